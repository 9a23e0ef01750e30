package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckHints: when --check fails, what it suggests works. A folder
// rendered for another tool names the --for that matches it; a folder
// with foreign paths in the way says to move them first, since render
// refuses to replace them.
func TestCheckHints(t *testing.T) {
	t.Run("a folder rendered for another tool", func(t *testing.T) {
		t.Chdir(t.TempDir())
		expectExit(t, 0, "render", "-q", "--profile", "minimal", "--for", "flux", "-o", "deploy/istio")
		r := expectExit(t, 1, "render", "-q", "--profile", "minimal", "-o", "deploy/istio", "--check")
		if want := "deploy/istio matches the render --for flux: add --for flux"; !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
		expectExit(t, 0, "render", "-q", "--profile", "minimal", "--for", "flux", "-o", "deploy/istio", "--check")
	})

	t.Run("a foreign path in the way", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "deploy")
		expectExit(t, 0, "render", "-q", "--profile", "minimal", "-o", dir)
		link := filepath.Join(dir, "namespaces", "namespace-istio-system.yaml")
		if err := os.Remove(link); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.Join(t.TempDir(), "elsewhere.yaml"), link); err != nil {
			t.Fatal(err)
		}
		r := expectExit(t, 1, "render", "-q", "--profile", "minimal", "-o", dir, "--check")
		if strings.Contains(r.stderr, "without --check to update it") {
			t.Errorf("--check suggests a render that fails:\n%s", r.stderr)
		}
		if want := "render -o never replaces a foreign path: move or remove namespaces/namespace-istio-system.yaml, then run render -o " + dir + " without --check"; !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
		expectExit(t, 1, "render", "-q", "--profile", "minimal", "-o", dir)
	})
}
