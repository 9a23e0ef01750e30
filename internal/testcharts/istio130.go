package testcharts

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/istio-render/istio-render/charts"
)

// The head of istio.io/istio's release-1.30 branch (its VERSION file says
// 1.30): tests render a second Istio line from its charts beside the
// embedded 1.31 ones. It is downloaded through the Go module proxy into
// the module cache, never copied into the repository.
const (
	Istio130Module  = "istio.io/istio"
	Istio130Version = "v0.0.0-20260826214018-9739e10eb9d7"
	// Istio130Ref is the chart reference golden specs give a revision of
	// the 1.30 line; Resolver resolves it.
	Istio130Ref = "charts-1.30"
)

// Istio130Dir returns the folder of the release-1.30 module in the
// module cache, downloading it with `go mod download` first. Any failure
// fails the test: the module proxy is reachable wherever the tests run.
func Istio130Dir(t testing.TB) string {
	t.Helper()
	dir, err := DownloadIstio130(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// DownloadIstio130 is Istio130Dir for callers without a testing.TB: it runs
// `go mod download` in work, a folder outside any module, so that no
// go.mod or go.sum changes.
func DownloadIstio130(work string) (string, error) {
	cmd := exec.Command("go", "mod", "download", "-json", Istio130Module+"@"+Istio130Version)
	cmd.Dir = work
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go mod download %s@%s: %v\n%s%s", Istio130Module, Istio130Version, err, out, stderr.Bytes())
	}
	var mod struct{ Dir, Error string }
	if err := json.Unmarshal(out, &mod); err != nil || mod.Dir == "" {
		return "", fmt.Errorf("go mod download %s@%s: no folder in %s (%v)", Istio130Module, Istio130Version, out, err)
	}
	return mod.Dir, nil
}

// Istio130Charts returns the folder of the 1.30 line's charts
// (manifests/charts of the module).
func Istio130Charts(t testing.TB) string {
	t.Helper()
	return filepath.Join(Istio130Dir(t), "manifests", "charts")
}

// Resolver resolves chart references the way the command line does,
// relative to a spec's folder, in a folder where Istio130Ref is the 1.30
// line's charts.
func Resolver(t testing.TB) charts.Resolver {
	t.Helper()
	dir := t.TempDir()
	if err := os.Symlink(Istio130Charts(t), filepath.Join(dir, Istio130Ref)); err != nil {
		t.Fatal(err)
	}
	return charts.FolderResolver(dir)
}
