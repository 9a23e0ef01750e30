package render

import (
	"fmt"

	"github.com/istio-render/istio-render/charts"
	"github.com/istio-render/istio-render/internal/merge"
	"github.com/istio-render/istio-render/mesh"
)

// Release is one Helm release exactly as [Render] renders it: the chart,
// the release name and namespace, and the values. Handing the same to
// Helm's own install action (helm template) renders the same chart objects.
type Release struct {
	// Component is the Resource.Component of every object the chart renders.
	Component string
	// Chart is the chart's name (charts.Base, charts.Istiod, ...).
	Chart string
	// ChartVersion is the version the chart is rendered as: for the
	// embedded charts, whose Chart.yaml versions are placeholders, the
	// Istio version being rendered, as Istio's release charts carry.
	ChartVersion string
	// Name is the Helm release name.
	Name string
	// Namespace is the Helm release namespace.
	Namespace string
	// Values are the values the spec gives the chart, before the chart's own
	// defaults are merged in. Each call to [Releases] returns fresh maps.
	Values map[string]any
	// KubeVersion is the cluster version the chart sees
	// (.Capabilities.KubeVersion); API versions are Helm's built-in list.
	KubeVersion string
	// Charts is the chart reference of the revision whose charts render the
	// release (spec.revisions[].charts); empty for the charts the render
	// was given.
	Charts string
}

// Releases completes the spec as [Render] does and lists the Helm releases
// Render renders for it, in install order. A spec error is a
// *mesh.ValidationError; a chart missing from the source is named.
func Releases(r *mesh.Resolved, opts Options) ([]Release, error) {
	p, err := newPlan(r, opts)
	if err != nil {
		return nil, err
	}
	return parallel(len(p.releases), func(i int) (Release, error) {
		rel, err := p.load(p.releases[i])
		if err != nil {
			return Release{}, err
		}
		out := rel.Release
		out.Values = merge.Maps(nil, rel.values(), merge.Replace)
		return out, nil
	})
}

// release is a planned release: what Releases reports, and what render
// needs besides.
type release struct {
	Release
	// istioVersion labels the chart where its version is a placeholder.
	istioVersion string
	// own are the values the spec sets through its fields.
	own map[string]any
	// raw are the raw values layered over own, least specific first.
	raw []rawValues
	// src holds the release's chart.
	src *charts.Source
	// chart is the loaded chart; nil until load.
	chart *charts.Chart
	// gitops decides the annotations of the release's objects.
	gitops gitops
}

// rawValues are raw Helm values from one spec field.
type rawValues struct {
	field  string
	values mesh.Values
}

// values are the values given to the chart: own with every raw layer
// merged over it.
func (r *release) values() map[string]any {
	return r.valuesUpTo(len(r.raw))
}

// valuesUpTo merges the first n raw layers over own.
func (r *release) valuesUpTo(n int) map[string]any {
	v := r.own
	for _, l := range r.raw[:n] {
		v = merge.Maps(v, l.values, merge.Replace)
	}
	return v
}

// plan is everything Render needs before any chart is loaded.
type plan struct {
	spec     *mesh.Resolved
	warnings []mesh.Warning
	// releases are in install order, their charts not loaded yet.
	releases []*release
}

// newPlan completes the spec and checks it against the chart source.
func newPlan(r *mesh.Resolved, opts Options) (*plan, error) {
	spec, warnings, err := r.Complete()
	if err != nil {
		return nil, err
	}
	src := opts.Charts
	if src == nil {
		src = charts.Embedded()
	}
	srcs, err := revisionSources(&spec.Spec, src, opts.RevisionCharts)
	if err != nil {
		return nil, err
	}
	var more []mesh.Warning
	if spec.Spec.UsesRevisions() {
		more, err = checkRevisionVersions(&spec.Spec, srcs)
	} else {
		more, err = checkVersions(&spec.Spec, src)
	}
	if err == nil {
		err = checkCompatibility(&spec.Spec, srcs)
	}
	if err != nil {
		return nil, err
	}
	return &plan{
		spec: spec, warnings: append(warnings, more...),
		releases: withGitOps(releases(&spec.Spec, srcs), &spec.Spec),
	}, nil
}

// load returns a planned release with its chart, loading the chart on
// first use.
func (p *plan) load(rel *release) (*release, error) {
	c, err := rel.src.Chart(rel.Chart)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", rel.Component, err)
	}
	cp := *rel
	cp.chart = c
	cp.ChartVersion = c.VersionFor(rel.istioVersion)
	return &cp, nil
}
