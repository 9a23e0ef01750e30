// Package helmchart is half of istio-render's seam to Helm: loading a
// chart and reading or deriving from it. It imports only Helm's chart
// loader, which initializes quickly, so that the embedded charts can load
// while the rest of the binary initializes; package helm, the other half,
// renders.
package helmchart

import (
	"bytes"
	"io/fs"
	"path"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
)

// Chart is a loaded Helm chart. It is never modified after loading:
// WithVersion and WithTemplate return changed copies that share the rest.
type Chart struct{ c *chart.Chart }

// Load reads a chart from a folder or a .tgz archive.
func Load(p string) (*Chart, error) {
	c, err := loader.Load(p)
	if err != nil {
		return nil, err
	}
	return &Chart{c: c}, nil
}

// LoadFS reads the chart in folder dir of fsys.
func LoadFS(fsys fs.FS, dir string) (*Chart, error) {
	var files []*loader.BufferedFile
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		rel := path.Clean(p[len(dir):])
		if len(rel) > 0 && rel[0] == '/' {
			rel = rel[1:]
		}
		files = append(files, &loader.BufferedFile{Name: rel, Data: data})
		return nil
	})
	if err != nil {
		return nil, err
	}
	c, err := loader.LoadFiles(files)
	if err != nil {
		return nil, err
	}
	return &Chart{c: c}, nil
}

// Name is the chart's name from its Chart.yaml.
func (c *Chart) Name() string { return c.c.Name() }

// Version is the chart's version from its Chart.yaml.
func (c *Chart) Version() string { return c.c.Metadata.Version }

// AppVersion is the chart's appVersion from its Chart.yaml.
func (c *Chart) AppVersion() string { return c.c.Metadata.AppVersion }

// Schema is the chart's values.schema.json; nil when it has none.
func (c *Chart) Schema() []byte { return c.c.Schema }

// File returns one of the chart's non-template files, such as
// files/crd-all.gen.yaml.
func (c *Chart) File(name string) ([]byte, bool) {
	for _, f := range c.c.Files {
		if f.Name == name {
			return f.Data, true
		}
	}
	return nil, false
}

// Template returns one of the chart's templates, such as templates/crds.yaml.
func (c *Chart) Template(name string) ([]byte, bool) {
	for _, f := range c.c.Templates {
		if f.Name == name {
			return f.Data, true
		}
	}
	return nil, false
}

// Contents calls fn for every file the chart was loaded from, Chart.yaml,
// values and templates included, in a fixed order: what identifies the
// chart's content.
func (c *Chart) Contents(fn func(name string, data []byte)) {
	for _, f := range c.c.Raw {
		fn(f.Name, f.Data)
	}
}

// WithVersion returns a copy whose Chart.yaml version and appVersion are
// version, as Istio's release build sets them.
func (c *Chart) WithVersion(version string) *Chart {
	cp := *c.c
	md := *c.c.Metadata
	md.Version, md.AppVersion = version, version
	cp.Metadata = &md
	return &Chart{c: &cp}
}

// WithTemplate returns a copy with one template's content replaced; false
// when the chart has no template of that name.
func (c *Chart) WithTemplate(name string, data []byte) (*Chart, bool) {
	cp := *c.c
	cp.Templates = make([]*chart.File, len(c.c.Templates))
	found := false
	for i, t := range c.c.Templates {
		cp.Templates[i] = t
		if t.Name == name {
			cp.Templates[i] = &chart.File{Name: t.Name, Data: bytes.Clone(data)}
			found = true
		}
	}
	return &Chart{c: &cp}, found
}

// Helm returns the chart as Helm's packages take it, for package helm.
// It must not be modified.
func (c *Chart) Helm() *chart.Chart { return c.c }
