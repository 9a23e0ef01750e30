package cli_test

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/istio-render/istio-render/internal/cli"
)

// result is what one run of the command line printed and returned.
type result struct {
	stdout, stderr string
	code           int
}

// runCLI runs the command line with args and stdin.
func runCLI(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Main(context.Background(), cli.Streams{In: strings.NewReader(stdin), Out: &out, Err: &errb}, args)
	return result{stdout: out.String(), stderr: errb.String(), code: code}
}

// expectExit runs the command line and fails the test unless it exits with
// want.
func expectExit(t *testing.T, want int, args ...string) result {
	t.Helper()
	r := runCLI(t, "", args...)
	if r.code != want {
		t.Fatalf("istio-render %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, want, r.stdout, r.stderr)
	}
	return r
}

// writeTestFile writes a file, creating its folders.
func writeTestFile(t *testing.T, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// snapshotDir reads every file under dir, keyed by slash-separated path.
func snapshotDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// copyTestDir copies a folder of regular files.
func copyTestDir(t *testing.T, from, to string) {
	t.Helper()
	for rel, data := range snapshotDir(t, from) {
		writeTestFile(t, filepath.Join(to, filepath.FromSlash(rel)), data)
	}
}

const specHead = "apiVersion: istio-render.dev/v1alpha1\nkind: IstioMesh\nmetadata:\n  name: test\n"
