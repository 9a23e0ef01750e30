package render

import (
	"context"
	"fmt"
	"path"
	"slices"

	"github.com/istio-render/istio-render/charts"
)

// renderRelease renders one release into objects, namespaced objects
// carrying their namespace, through the cache when there is one. A chart
// failure is a *ChartError.
func renderRelease(ctx context.Context, rel *release, cache *Cache) (rendered, error) {
	if cache == nil {
		return renderFresh(ctx, rel)
	}
	key := cacheKey(rel)
	if r, ok := cache.get(key); ok {
		return r, nil
	}
	r, err := renderFresh(ctx, rel)
	if err != nil {
		return rendered{}, err
	}
	cache.add(key, r)
	return r.clone(), nil
}

// renderFresh renders a release's chart; on failure it finds out whether
// the user's raw values caused it, unless the context is done by then.
func renderFresh(ctx context.Context, rel *release) (rendered, error) {
	r, err := renderChart(rel, rel.values(), true)
	if err == nil {
		if err := rel.gitops.apply(r.resources); err != nil {
			return rendered{}, &ChartError{Component: rel.Component, Chart: rel.Chart, Release: rel.Name, Err: err}
		}
		return r, nil
	}
	cerr := &ChartError{Component: rel.Component, Chart: rel.Chart, Release: rel.Name, Err: err}
	// Peel raw layers off, most specific first: the layer whose removal
	// makes the chart render is the one at fault.
	for n := len(rel.raw) - 1; n >= 0; n-- {
		if err := ctx.Err(); err != nil {
			return rendered{}, err
		}
		if _, again := renderChart(rel, rel.valuesUpTo(n), true); again == nil {
			cerr.Field = rel.raw[n].field
			break
		}
	}
	return rendered{}, cerr
}

// rendered is what one release renders: its objects, the warnings its
// NOTES.txt prints (istiod's name deprecated values there), and what the
// objects break of Kubernetes' rules (inspectObject).
type rendered struct {
	resources []Resource
	warnings  []string
	findings  []finding
	kept      []parsedObject
}

// clone copies the objects' bytes, so that what a caller does with a
// result never reaches a cached one. Findings and kept trees are never
// modified, so they are shared.
func (r rendered) clone() rendered {
	out := rendered{
		resources: slices.Clone(r.resources), warnings: slices.Clone(r.warnings),
		findings: slices.Clone(r.findings), kept: slices.Clone(r.kept),
	}
	for i := range out.resources {
		out.resources[i].YAML = slices.Clone(out.resources[i].YAML)
	}
	return out
}

// renderChart renders a release's chart with the given values into objects
// and notes' warnings. With shortcuts, the base chart's CRDs come from the
// precomputed bundle (crds.go) and documents are made canonical the short
// way (canonical.go); without, the chart's own template and the reference
// conversion run. Both give the same bytes.
func renderChart(rel *release, values map[string]any, shortcuts bool) (rendered, error) {
	in := charts.Release{
		Name: rel.Name, Namespace: rel.Namespace, IstioVersion: rel.istioVersion,
		KubeVersion: rel.KubeVersion, Values: values,
	}
	if rel.Chart == charts.Base && shortcuts {
		in.Templates = probeTemplates(rel.chart)
	}
	out, err := rel.chart.Render(in)
	if err != nil {
		return rendered{}, err
	}
	docs := out.Documents
	// Parsing and re-serializing a large document (istiod's injector
	// templates) takes as long as rendering the chart, so documents are
	// converted in parallel, largest first; the order stays the chart's.
	bySize := indexes(len(docs))
	slices.SortStableFunc(bySize, func(a, b int) int { return len(docs[b].Text) - len(docs[a].Text) })
	rules := newLabelRules()
	converted, err := parallelOrder(bySize, func(i int) (document, error) {
		return documentResources(rel.Component, rel.Namespace, docs[i], shortcuts, rules)
	})
	if err != nil {
		return rendered{}, err
	}
	var res rendered
	for _, d := range converted {
		res.resources = append(res.resources, d.resources...)
		res.findings = append(res.findings, d.findings...)
		res.kept = append(res.kept, d.kept...)
	}
	res.warnings = out.Warnings
	return res, nil
}

// document is what one rendered document becomes: resources, what they
// break of Kubernetes' rules, and the parsed tree of one the checks across
// objects read.
type document struct {
	resources []Resource
	findings  []finding
	kept      []parsedObject
}

// documentResources turns one rendered document into resources: the
// precomputed CRDs for the CRD probe, nothing for an empty document, else
// the object with its release namespace. Each object is inspected while
// its parsed tree is at hand.
func documentResources(component, namespace string, doc charts.Document, shortcuts bool, rules *labelRules) (document, error) {
	if p, ok := parseProbe(doc.Text); ok {
		rs, err := spliceCRDs(component, p)
		return document{resources: rs, findings: inspectCRDs(component, rs, p.Labels, rules)}, err
	}
	obj, err := parseObject(doc.Text, shortcuts)
	if err != nil {
		return document{}, fmt.Errorf("%s: %w", path.Base(doc.Template), err)
	}
	if obj.fields == nil {
		return document{}, nil
	}
	setNamespace(obj.fields, namespace)
	data, err := obj.encode(len(doc.Text))
	if err != nil {
		return document{}, fmt.Errorf("encoding %v: %w", obj.fields["kind"], err)
	}
	d := document{
		resources: []Resource{resourceOf(component, obj.fields, data)},
		findings:  inspectObject(component, obj.fields, rules),
	}
	if o, ok := kept(component, obj.fields); ok {
		d.kept = []parsedObject{o}
	}
	return d, nil
}

// parseObject parses one rendered YAML document, the short way or the
// reference way; nil fields for an empty one.
func parseObject(doc string, short bool) (parsed, error) {
	obj, err := parseCanonical([]byte(doc), short)
	if err != nil {
		return parsed{}, fmt.Errorf("parsing rendered YAML: %w", err)
	}
	if len(obj.fields) == 0 {
		return parsed{}, nil
	}
	if _, ok := obj.fields["kind"].(string); !ok {
		return parsed{}, fmt.Errorf("rendered a document without a kind")
	}
	return obj, nil
}

// setNamespace gives a namespaced object its release namespace when the
// chart left it out.
func setNamespace(obj map[string]any, ns string) {
	kind, _ := obj["kind"].(string)
	if clusterScoped[kind] {
		return
	}
	md, ok := obj["metadata"].(map[string]any)
	if !ok {
		md = map[string]any{}
		obj["metadata"] = md
	}
	if s, _ := md["namespace"].(string); s == "" {
		md["namespace"] = ns
	}
}
