package charts

import (
	"fmt"
	"io/fs"
	"path"
	"sync"

	"helm.sh/helm/v3/pkg/chart/loader"
	"istio.io/istio/manifests"
)

// EmbeddedModule and EmbeddedVersion identify where the embedded charts come
// from; EmbeddedLine is their Istio release line.
const (
	EmbeddedModule  = "istio.io/istio"
	EmbeddedVersion = "v0.0.0-20260827124520-eed52ebb66ad"
	EmbeddedLine    = "1.31"
)

// embeddedPaths maps chart names to their folders in manifests.FS.
var embeddedPaths = map[string]string{
	Base:    "charts/base",
	Istiod:  "charts/istio-control/istio-discovery",
	Gateway: "charts/gateway",
	CNI:     "charts/istio-cni",
	Ztunnel: "charts/ztunnel",
}

// fsSource loads charts lazily from a file system, each at most once.
type fsSource struct {
	fsys  fs.FS
	paths map[string]string
	once  map[string]func() (*Loaded, error)
}

var _ Source = (*fsSource)(nil)

// embedded is the process-wide embedded source: constant data, loaded
// lazily and never modified.
var embedded = sync.OnceValue(NewEmbedded)

// Embedded returns the charts built into the binary from istio.io/istio.
func Embedded() Source { return embedded() }

func newFSSource(fsys fs.FS, paths map[string]string) *fsSource {
	s := &fsSource{fsys: fsys, paths: paths, once: map[string]func() (*Loaded, error){}}
	for name, dir := range paths {
		s.once[name] = sync.OnceValues(func() (*Loaded, error) { return loadFS(fsys, dir) })
	}
	return s
}

// Chart loads the named chart on first use.
func (s *fsSource) Chart(name string) (*Loaded, error) {
	load, ok := s.once[name]
	if !ok {
		return nil, fmt.Errorf("no chart named %q in %s", name, s)
	}
	return load()
}

func (s *fsSource) Line() string   { return EmbeddedLine }
func (s *fsSource) Embedded() bool { return true }
func (s *fsSource) String() string {
	return fmt.Sprintf("embedded %s@%s (Istio %s)", EmbeddedModule, EmbeddedVersion, EmbeddedLine)
}

// loadFS reads one chart folder into Helm's loader.
func loadFS(fsys fs.FS, dir string) (*Loaded, error) {
	var files []*loader.BufferedFile
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		rel := relPath(dir, p)
		files = append(files, &loader.BufferedFile{Name: rel, Data: data})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading chart %s: %w", dir, err)
	}
	c, err := loader.LoadFiles(files)
	if err != nil {
		return nil, fmt.Errorf("loading chart %s: %w", dir, err)
	}
	return newLoaded(c)
}

// relPath is p relative to dir, both slash-separated fs paths.
func relPath(dir, p string) string {
	rel := p[len(dir):]
	if len(rel) > 0 && rel[0] == '/' {
		rel = rel[1:]
	}
	return path.Clean(rel)
}

// NewEmbedded returns a new source over the embedded charts with load-once
// state of its own: its first use pays for loading, as a new process does.
// Embedded shares one such source per process.
func NewEmbedded() Source { return newFSSource(manifests.FS, embeddedPaths) }
