package cli_test

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/istio-render/istio-render/internal/cli"
)

// TestFnStandaloneRerender runs fn standalone on its own output: the
// objects it generated before are replaced, not passed through, so the
// second run prints what the first printed.
func TestFnStandaloneRerender(t *testing.T) {
	dir := t.TempDir()
	spec, extra, first := filepath.Join(dir, "small.yaml"), filepath.Join(dir, "extra.yaml"), filepath.Join(dir, "first.yaml")
	writeTestFile(t, spec, smallSpec)
	writeTestFile(t, extra, extraConfigMap)
	once := expectExit(t, cli.ExitOK, "fn", "-q", spec, extra)
	writeTestFile(t, first, once.stdout)
	twice := expectExit(t, cli.ExitOK, "fn", "-q", spec, first)
	if diff := cmp.Diff(once.stdout, twice.stdout); diff != "" {
		t.Errorf("fn on its own output (-once +twice):\n%s", diff)
	}
}
