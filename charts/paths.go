package charts

import (
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/istio-render/istio-render/internal/helmchart"
)

// maxDepth is how deep FromPaths and FromFS look for charts below the
// folder given: an Istio release's manifests/charts holds
// istio-control/istio-discovery.
const maxDepth = 3

// FromPaths loads charts from chart folders, .tgz archives, or folders that
// contain them (searched three levels deep, as in an Istio release's
// manifests/charts). Each chart is known by the name in its Chart.yaml; two
// charts of one name are an error. Every chart is loaded before FromPaths
// returns, so a broken chart fails here.
//
// The charts' release line is that of the base chart's version (else of
// the first chart found). Charts from Istio's source tree carry a
// placeholder version instead; their line is the one the tree's VERSION
// file says, two levels above manifests/charts, and unknown ("") when
// they are not in such a tree.
func FromPaths(paths ...string) (*Source, error) {
	if len(paths) == 0 {
		return nil, fmt.Errorf("no chart paths given")
	}
	loaded := map[string]*Chart{}
	from := map[string]string{}
	var first *helmchart.Chart
	for _, p := range paths {
		found, err := findCharts(p)
		if err != nil {
			return nil, err
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("charts %s: no Chart.yaml or .tgz found", p)
		}
		for _, f := range found {
			h, err := helmchart.Load(f)
			if err != nil {
				return nil, fmt.Errorf("loading chart %s: %w", f, err)
			}
			name := h.Name()
			if prev, dup := from[name]; dup {
				return nil, fmt.Errorf("charts: %s and %s are both the chart %q", prev, f, name)
			}
			from[name] = f
			if first == nil || name == Base {
				first = h
			}
			c, err := newChart(h, h.Version() == placeholderVersion)
			if err != nil {
				return nil, err
			}
			loaded[name] = c
		}
	}
	s := &Source{desc: strings.Join(paths, ", "), load: map[string]func() (*Chart, error){}}
	s.placeholder = first.Version() == placeholderVersion
	if s.placeholder {
		s.line = treeLineOS(from[first.Name()])
	} else {
		s.line = MinorLine(first.Version())
	}
	for name, c := range loaded {
		s.load[name] = func() (*Chart, error) { return c, nil }
	}
	return s, nil
}

// FromFS finds the chart folders in fsys at or below root (three levels
// deep) and loads each on first use. Each chart is known by the name in its
// Chart.yaml; two charts of one name are an error. line is the Istio minor
// version the charts belong to, such as 1.31, or "" to take it from the
// base chart's version or, for charts of Istio's source tree, from the
// tree's VERSION file in fsys, as FromPaths does.
func FromFS(fsys fs.FS, root, line string) (*Source, error) {
	if fsys == nil {
		return nil, fmt.Errorf("charts %s: no file system given", root)
	}
	if !fs.ValidPath(root) {
		return nil, fmt.Errorf("charts %q: not a valid path in the file system (fs.ValidPath)", root)
	}
	dirs, err := findFS(fsys, root)
	if err != nil {
		return nil, err
	}
	if len(dirs) == 0 {
		return nil, fmt.Errorf("charts %s: no Chart.yaml found", root)
	}
	s := &Source{desc: root, line: line, load: map[string]func() (*Chart, error){}}
	from := map[string]string{}
	versions := map[string]string{}
	for _, dir := range dirs {
		meta, err := chartMeta(fsys, dir)
		if err != nil {
			return nil, err
		}
		if prev, dup := from[meta.Name]; dup {
			return nil, fmt.Errorf("charts: %s and %s are both the chart %q", prev, dir, meta.Name)
		}
		from[meta.Name] = dir
		versions[meta.Name] = meta.Version
	}
	refName := Base
	if versions[Base] == "" {
		refName = slices.Sorted(maps.Keys(versions))[0]
	}
	ref, refDir := versions[refName], from[refName]
	s.placeholder = ref == placeholderVersion
	switch {
	case s.line != "":
	case s.placeholder:
		s.line = treeLineFS(fsys, refDir)
	default:
		s.line = MinorLine(ref)
	}
	for name, dir := range from {
		s.load[name] = once(func() (*helmchart.Chart, error) { return helmchart.LoadFS(fsys, dir) }, dir, versions[name] == placeholderVersion)
	}
	return s, nil
}

// chartMeta reads the name and version of the chart in dir.
func chartMeta(fsys fs.FS, dir string) (struct{ Name, Version string }, error) {
	var meta struct{ Name, Version string }
	data, err := fs.ReadFile(fsys, path.Join(dir, "Chart.yaml"))
	if err != nil {
		return meta, fmt.Errorf("charts: %w", err)
	}
	var doc struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return meta, fmt.Errorf("charts: %s/Chart.yaml: %w", dir, err)
	}
	if doc.Name == "" {
		return meta, fmt.Errorf("charts: %s/Chart.yaml has no name", dir)
	}
	meta.Name, meta.Version = doc.Name, doc.Version
	return meta, nil
}

// findFS lists the chart folders at or below root in fsys.
func findFS(fsys fs.FS, root string) ([]string, error) {
	var found []string
	var walk func(dir string, depth int) error
	walk = func(dir string, depth int) error {
		if _, err := fs.Stat(fsys, path.Join(dir, "Chart.yaml")); err == nil {
			found = append(found, dir)
			return nil
		}
		if depth == maxDepth {
			return nil
		}
		entries, err := fs.ReadDir(fsys, dir)
		if err != nil {
			return fmt.Errorf("charts: %w", err)
		}
		for _, e := range entries {
			if e.IsDir() {
				if err := walk(path.Join(dir, e.Name()), depth+1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := walk(root, 0); err != nil {
		return nil, err
	}
	slices.Sort(found)
	return found, nil
}

// findCharts lists chart folders and archives at or below p.
func findCharts(p string) ([]string, error) {
	info, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("charts: %w", err)
	}
	if !info.IsDir() {
		return []string{p}, nil
	}
	var found []string
	var walk func(dir string, depth int) error
	walk = func(dir string, depth int) error {
		if _, err := os.Stat(filepath.Join(dir, "Chart.yaml")); err == nil {
			found = append(found, dir)
			return nil
		}
		if depth == maxDepth {
			return nil
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			return fmt.Errorf("charts: %w", err)
		}
		for _, e := range entries {
			full := filepath.Join(dir, e.Name())
			switch {
			case e.IsDir():
				if err := walk(full, depth+1); err != nil {
					return err
				}
			case strings.HasSuffix(e.Name(), ".tgz"):
				found = append(found, full)
			}
		}
		return nil
	}
	if err := walk(p, 0); err != nil {
		return nil, err
	}
	slices.Sort(found)
	return found, nil
}
