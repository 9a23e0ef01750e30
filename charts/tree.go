package charts

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
)

// Istio's source tree keeps its charts in manifests/charts, each with the
// placeholder version in Chart.yaml, and its release line in the file
// VERSION at the top of the tree (such as 1.31), from which its Makefile
// derives the build's version.
const (
	treeChartsDir   = "charts"
	treeManifests   = "manifests"
	treeVersionFile = "VERSION"
)

// treeLineRE reads a release line from the start of a VERSION file: 1.31,
// 1.31-dev or 1.31.0.
var treeLineRE = regexp.MustCompile(`^v?([0-9]+\.[0-9]+)(?:[.-]|$)`)

// treeRoot returns the top of the Istio source tree that holds the chart
// folder dir (a slash-separated path): the folder two levels above the
// manifests/charts folder dir is in, looking at most maxDepth levels up;
// false when dir is not in such a folder.
func treeRoot(dir string) (string, bool) {
	for range maxDepth {
		parent := path.Dir(dir)
		if parent == dir {
			return "", false
		}
		if path.Base(parent) == treeChartsDir && path.Base(path.Dir(parent)) == treeManifests {
			return path.Dir(path.Dir(parent)), true
		}
		dir = parent
	}
	return "", false
}

// treeLine returns the release line a source tree's VERSION file says, ""
// when it says none.
func treeLine(data []byte) string {
	first, _, _ := strings.Cut(string(data), "\n")
	m := treeLineRE.FindStringSubmatch(strings.TrimSpace(first))
	if m == nil {
		return ""
	}
	return m[1]
}

// treeLineOS returns the release line of the source tree that holds the
// chart folder or archive p on disk, "" when p is not in one or the tree's
// VERSION file is missing or names no line. Symbolic links are followed
// first: a link to a tree's manifests/charts finds the tree.
func treeLineOS(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return ""
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	root, ok := treeRoot(filepath.ToSlash(abs))
	if !ok {
		return ""
	}
	data, err := os.ReadFile(filepath.Join(filepath.FromSlash(root), treeVersionFile))
	if err != nil {
		return ""
	}
	return treeLine(data)
}

// treeLineFS is treeLineOS for a chart folder in fsys.
func treeLineFS(fsys fs.FS, dir string) string {
	root, ok := treeRoot(dir)
	if !ok {
		return ""
	}
	data, err := fs.ReadFile(fsys, path.Join(root, treeVersionFile))
	if err != nil {
		return ""
	}
	return treeLine(data)
}
