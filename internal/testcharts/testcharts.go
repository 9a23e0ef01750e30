// Package testcharts gives tests the embedded Istio charts in the forms a
// user pins them: .tgz archives as `helm pull` downloads them, or unpacked
// chart folders, with Chart.yaml versions set as in a release, or as in
// Istio's source tree.
package testcharts

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/istio-render/istio-render/charts"
	"github.com/istio-render/istio-render/internal/embedded"
	"github.com/istio-render/istio-render/internal/helm"
	"github.com/istio-render/istio-render/mesh"
)

// Form is how the charts are written.
type Form string

// The forms charts.FromPaths reads.
const (
	Archives Form = "tgz"
	Folders  Form = "dir"
)

// Write writes every embedded chart, versioned mesh.DefaultVersion, into a
// new temporary folder in the given form and returns the folder.
func Write(t testing.TB, form Form) string {
	t.Helper()
	dir := t.TempDir()
	format := map[Form]helm.Format{Archives: helm.Archive, Folders: helm.Folder}[form]
	if format == 0 {
		t.Fatalf("unknown chart form %q", form)
	}
	for _, name := range charts.Names() {
		c, err := embedded.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := helm.Save(c.WithVersion(mesh.DefaultVersion), dir, format); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// Packaged writes the charts as Write does and loads them back with
// charts.FromPaths.
func Packaged(t testing.TB, form Form) *charts.Source {
	t.Helper()
	src, err := charts.FromPaths(Write(t, form))
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// SourceTree writes every embedded chart, with the placeholder version of
// Istio's source tree, into manifests/charts of a new temporary folder laid
// out as that tree, with a VERSION file holding version unless version is
// empty, and returns the folder.
func SourceTree(t testing.TB, version string) string {
	t.Helper()
	root := t.TempDir()
	dir := filepath.Join(root, "manifests", "charts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range charts.Names() {
		c, err := embedded.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := helm.Save(c, dir, helm.Folder); err != nil {
			t.Fatal(err)
		}
	}
	if version != "" {
		if err := os.WriteFile(filepath.Join(root, "VERSION"), []byte(version), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}
