//go:build linux || darwin || freebsd || netbsd || openbsd

package cli_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// realTempDir is t.TempDir with its links resolved (/var on macOS).
func realTempDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestRenderRefusesALinkedFolder renders with -o at a symbolic link and
// beneath one, and with --check there: each must fail, name the link and
// the real path, and write nothing where the link points.
func TestRenderRefusesALinkedFolder(t *testing.T) {
	base, outside := realTempDir(t), realTempDir(t)
	link := filepath.Join(base, "deploy")
	if err := os.Symlink(outside, link); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		reason string
		out    string
		real   string
	}{
		{"the folder is a link", link, outside},
		{"the folder is beneath a link", filepath.Join(link, "istio"), filepath.Join(outside, "istio")},
	}
	for _, tc := range tests {
		t.Run(tc.reason, func(t *testing.T) {
			for _, args := range [][]string{
				{"render", "--profile", "minimal", "-q", "-o", tc.out},
				{"render", "--profile", "minimal", "-q", "-o", tc.out, "--check"},
			} {
				r := expectExit(t, 1, args...)
				for _, want := range []string{link + " is a symbolic link to " + strconv.Quote(outside), "give its real path " + strconv.Quote(tc.real)} {
					if !strings.Contains(r.stderr, want) {
						t.Errorf("istio-render %s: stderr %q\nwant it to say %s", strings.Join(args, " "), r.stderr, want)
					}
				}
			}
			if diff := cmp.Diff(map[string]string{}, snapshotDir(t, outside)); diff != "" {
				t.Errorf("files written behind the link (-want +got):\n%s", diff)
			}
		})
	}
}

// TestConcurrentRenders runs several render -o into one folder at once:
// every one must succeed, and the folder must then be up to date. (Where
// flock is missing, renders into one folder are not kept apart.)
func TestConcurrentRenders(t *testing.T) {
	dir := filepath.Join(realTempDir(t), "deploy")
	const renders = 4
	results := make([]result, renders)
	var wg sync.WaitGroup
	for i := range renders {
		wg.Go(func() { results[i] = runCLI(t, "", "render", "--profile", "minimal", "-q", "-o", dir) })
	}
	wg.Wait()
	for i, r := range results {
		if r.code != 0 {
			t.Errorf("render %d: exit %d, stderr:\n%s", i, r.code, r.stderr)
		}
	}
	expectExit(t, 0, "render", "--profile", "minimal", "-q", "-o", dir, "--check")
}
