package charts

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/istio-render/istio-render/internal/helm"
	"github.com/istio-render/istio-render/internal/helmchart"
)

// Chart is a loaded chart with its values schema compiled. It never
// changes, so one chart serves concurrent renders.
type Chart struct {
	h      *helmchart.Chart
	schema *schema
	// placeholder is set when the Chart.yaml version is Istio's
	// source-tree placeholder.
	placeholder bool
	digest      func() string
}

// newChart compiles a loaded chart's schema.
func newChart(h *helmchart.Chart, placeholder bool) (*Chart, error) {
	c := &Chart{h: h, placeholder: placeholder}
	c.digest = sync.OnceValue(c.computeDigest)
	if raw := h.Schema(); len(raw) > 0 {
		s, err := compileSchema(raw)
		if err != nil {
			return nil, fmt.Errorf("chart %s: values.schema.json: %w", h.Name(), err)
		}
		c.schema = s
	}
	return c, nil
}

// Name is the chart's name from its Chart.yaml.
func (c *Chart) Name() string { return c.h.Name() }

// VersionFor is the version a render of Istio version istio labels the
// chart with: istio for charts with Istio's source-tree placeholder version
// (the embedded ones), as Istio's release build labels them, else the
// chart's own version.
func (c *Chart) VersionFor(istio string) string {
	if c.placeholder {
		return istio
	}
	return c.h.Version()
}

// Digest identifies the chart's content: the SHA-256 of every file it was
// loaded from, as hex. It is computed on first use.
func (c *Chart) Digest() string { return c.digest() }

func (c *Chart) computeDigest() string {
	h := sha256.New()
	var n [8]byte
	c.h.Contents(func(name string, data []byte) {
		for _, part := range [][]byte{[]byte(name), data} {
			binary.BigEndian.PutUint64(n[:], uint64(len(part)))
			h.Write(n[:])
			h.Write(part)
		}
	})
	return hex.EncodeToString(h.Sum(nil))
}

// File returns one of the chart's non-template files, such as
// files/crd-all.gen.yaml. The bytes are shared: do not modify them.
func (c *Chart) File(name string) ([]byte, bool) { return c.h.File(name) }

// Template returns one of the chart's templates, such as
// templates/crds.yaml. The bytes are shared: do not modify them.
func (c *Chart) Template(name string) ([]byte, bool) { return c.h.Template(name) }

// Validate checks values, coalesced with the chart's defaults, against the
// chart's values.schema.json; nil when the chart has none.
func (c *Chart) Validate(values map[string]any) error {
	if c.schema == nil {
		return nil
	}
	return c.schema.validate(values)
}

// Release is one render of a chart.
type Release struct {
	// Name and Namespace of the Helm release.
	Name, Namespace string
	// IstioVersion labels charts whose Chart.yaml has Istio's placeholder
	// version (see VersionFor).
	IstioVersion string
	// KubeVersion is the cluster version the chart sees, such as 1.36.0.
	KubeVersion string
	// Upgrade renders as an upgrade of an installed release
	// (.Release.IsUpgrade) instead of a first install.
	Upgrade bool
	// Values are given to the chart, coalesced over its defaults as
	// `helm template` does. They are not modified.
	Values map[string]any
	// Templates replace the chart's templates of these names for this
	// render only.
	Templates map[string][]byte
}

// Rendered is what a chart renders for one release.
type Rendered struct {
	// Documents are the non-empty YAML documents of the chart's .yaml,
	// .yml and .json templates, by template path and then in order.
	Documents []Document
	// Warnings are the "WARNING: " lines of the chart's NOTES.txt
	// (istiod's names deprecated values there), sorted.
	Warnings []string
}

// Document is one rendered YAML document.
type Document struct {
	// Template is the path of the template that rendered it.
	Template string
	// Text is the document, without its separator.
	Text string
}

// Render renders the chart for a release with Helm's template engine. The
// values, coalesced with the chart's defaults, must pass the chart's
// values.schema.json. Templates run with no cluster client and no
// network.
func (c *Chart) Render(r Release) (*Rendered, error) {
	h := c.h
	if c.placeholder {
		h = h.WithVersion(r.IstioVersion)
	}
	for _, name := range slices.Sorted(maps.Keys(r.Templates)) {
		var found bool
		if h, found = h.WithTemplate(name, r.Templates[name]); !found {
			return nil, fmt.Errorf("chart %s has no template %s", c.Name(), name)
		}
	}
	out, err := helm.Render(h, helm.Release{
		Name: r.Name, Namespace: r.Namespace, KubeVersion: r.KubeVersion, Upgrade: r.Upgrade,
	}, r.Values, c.Validate)
	if err != nil {
		return nil, cleanTemplateError(err)
	}
	names := make([]string, 0, len(out.Files))
	for n := range out.Files {
		if strings.HasSuffix(n, ".yaml") || strings.HasSuffix(n, ".yml") || strings.HasSuffix(n, ".json") {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	res := &Rendered{}
	for _, n := range names {
		for _, d := range splitDocuments(out.Files[n]) {
			res.Documents = append(res.Documents, Document{Template: n, Text: d})
		}
	}
	for n, text := range out.Files {
		if path.Base(n) != "NOTES.txt" {
			continue
		}
		for _, line := range strings.Split(text, "\n") {
			if w, ok := strings.CutPrefix(strings.TrimSpace(line), "WARNING: "); ok {
				res.Warnings = append(res.Warnings, w)
			}
		}
	}
	slices.Sort(res.Warnings)
	return res, nil
}

// splitDocuments splits a template's output into YAML documents in order,
// as Helm does, dropping empty ones. Helm's separator pattern is slow on
// long indented text, so output with no "---" at the start of a line,
// which is most of it, is one document without running the pattern.
func splitDocuments(out string) []string {
	if !strings.HasPrefix(strings.TrimSpace(out), "---") && !strings.Contains(out, "\n---") {
		if doc := strings.TrimSpace(out); doc != "" {
			return []string{doc}
		}
		return nil
	}
	var docs []string
	for _, d := range helm.SplitManifests(out) {
		if strings.TrimSpace(d) != "" {
			docs = append(docs, d)
		}
	}
	return docs
}

// cleanTemplateError keeps Helm's message but drops its long template
// call-chain prefix.
func cleanTemplateError(err error) error {
	msg := err.Error()
	if i := strings.LastIndex(msg, "error calling fail: "); i >= 0 {
		return fmt.Errorf("%s", strings.TrimSpace(msg[i+len("error calling fail: "):]))
	}
	return err
}
