package charts_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/istio-render/istio-render/charts"
	"github.com/istio-render/istio-render/internal/testcharts"
)

// TestSourceTreeLine reads the release line of charts from Istio's source
// tree, whose Chart.yaml versions are the placeholder 1.0.0, from the
// tree's VERSION file two levels above manifests/charts; charts outside
// such a tree, or in one whose VERSION names no line, have none.
func TestSourceTreeLine(t *testing.T) {
	tests := []struct {
		name    string
		version string
		// path picks what is given to FromPaths in the tree at root.
		path string
		want string
	}{
		{name: "manifests/charts", version: "1.30\n", path: "manifests/charts", want: "1.30"},
		{name: "one chart folder", version: "1.30\n", path: "manifests/charts/istiod", want: "1.30"},
		{name: "a development version", version: "1.32-dev", path: "manifests/charts", want: "1.32"},
		{name: "a patch version", version: "1.29.3\n", path: "manifests/charts", want: "1.29"},
		{name: "a link to manifests/charts", version: "1.30", path: "link", want: "1.30"},
		{name: "no VERSION file", path: "manifests/charts", want: ""},
		{name: "a VERSION file naming no line", version: "master\n", path: "manifests/charts", want: ""},
		{name: "a VERSION file with more after the line", version: "1.30x\n", path: "manifests/charts", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := testcharts.SourceTree(t, tt.version)
			if err := os.Symlink(filepath.Join(root, "manifests", "charts"), filepath.Join(root, "link")); err != nil {
				t.Fatal(err)
			}
			src, err := charts.FromPaths(filepath.Join(root, filepath.FromSlash(tt.path)))
			if err != nil {
				t.Fatal(err)
			}
			if !src.Placeholder() {
				t.Error("Placeholder() = false for source-tree charts")
			}
			if got := src.Line(); got != tt.want {
				t.Errorf("FromPaths(%s).Line() = %q, want %q", tt.path, got, tt.want)
			}
			fsSrc, err := charts.FromFS(os.DirFS(root), "manifests/charts", "")
			if err != nil {
				t.Fatal(err)
			}
			if got := fsSrc.Line(); got != tt.want {
				t.Errorf("FromFS(manifests/charts).Line() = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestSourceTreeLineOutsideTheTree: source-tree charts copied out of their
// tree, or given to FromFS at the root of an FS that is their charts
// folder, have no known line, even beside a VERSION file; a line given to
// FromFS wins over the tree's.
func TestSourceTreeLineOutsideTheTree(t *testing.T) {
	root := testcharts.SourceTree(t, "1.30")
	moved := filepath.Join(t.TempDir(), "charts")
	if err := os.Rename(filepath.Join(root, "manifests", "charts"), moved); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(filepath.Dir(moved), "VERSION"), []byte("1.30"), 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := charts.FromPaths(moved)
	if err != nil {
		t.Fatal(err)
	}
	if got := src.Line(); got != "" {
		t.Errorf("FromPaths(charts outside a source tree).Line() = %q, want none", got)
	}
	fsSrc, err := charts.FromFS(os.DirFS(moved), ".", "")
	if err != nil {
		t.Fatal(err)
	}
	if got := fsSrc.Line(); got != "" {
		t.Errorf("FromFS(charts folder as the FS root).Line() = %q, want none", got)
	}
	tree := testcharts.SourceTree(t, "1.30")
	given, err := charts.FromFS(os.DirFS(tree), "manifests/charts", "1.31")
	if err != nil {
		t.Fatal(err)
	}
	if got := given.Line(); got != "1.31" {
		t.Errorf("FromFS with line 1.31 in a 1.30 tree: Line() = %q, want 1.31", got)
	}
}

// TestIstioSourceTreeLine reads the line of a real Istio source tree: the
// release-1.30 branch, whose VERSION file says 1.30.
func TestIstioSourceTreeLine(t *testing.T) {
	src, err := charts.FromPaths(testcharts.Istio130Charts(t))
	if err != nil {
		t.Fatal(err)
	}
	if !src.Placeholder() || src.Line() != "1.30" {
		t.Errorf("Istio's release-1.30 charts: Placeholder() = %t, Line() = %q; want true, 1.30", src.Placeholder(), src.Line())
	}
}
