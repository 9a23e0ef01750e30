package charts

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"helm.sh/helm/v3/pkg/chart/loader"
)

// pathSource holds charts a user pinned, loaded eagerly.
type pathSource struct {
	desc   string
	line   string
	charts map[string]*Loaded
}

var _ Source = (*pathSource)(nil)

// FromPaths loads charts from chart folders, .tgz archives, or folders that
// contain them (searched three levels deep, as in an Istio release's
// manifests/charts). Each chart is known by the name in its Chart.yaml; two
// charts of one name are an error.
func FromPaths(paths ...string) (Source, error) {
	if len(paths) == 0 {
		return nil, fmt.Errorf("no chart paths given")
	}
	s := &pathSource{desc: strings.Join(paths, ", "), charts: map[string]*Loaded{}}
	from := map[string]string{}
	for _, p := range paths {
		found, err := findCharts(p)
		if err != nil {
			return nil, err
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("charts %s: no Chart.yaml or .tgz found", p)
		}
		for _, f := range found {
			c, err := loader.Load(f)
			if err != nil {
				return nil, fmt.Errorf("loading chart %s: %w", f, err)
			}
			name := c.Name()
			if prev, dup := from[name]; dup {
				return nil, fmt.Errorf("charts: %s and %s are both the chart %q", prev, f, name)
			}
			from[name] = f
			l, err := newLoaded(c)
			if err != nil {
				return nil, err
			}
			s.charts[name] = l
			if s.line == "" || name == Base {
				s.line = MinorLine(c.Metadata.Version)
			}
		}
	}
	return s, nil
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
		if depth == 3 {
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
	sort.Strings(found)
	return found, nil
}

func (s *pathSource) Chart(name string) (*Loaded, error) {
	l, ok := s.charts[name]
	if !ok {
		return nil, fmt.Errorf("no chart named %q in %s", name, s.desc)
	}
	return l, nil
}

func (s *pathSource) Line() string   { return s.line }
func (s *pathSource) Embedded() bool { return false }
func (s *pathSource) String() string { return s.desc }
