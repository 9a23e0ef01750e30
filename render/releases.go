package render

import (
	"fmt"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chartutil"

	"github.com/istio-render/istio-render/charts"
	"github.com/istio-render/istio-render/mesh"
)

// Release describes one Helm release exactly as [Render] renders it, so the
// same inputs can be handed to another renderer (Helm's own install action,
// for example) and the outputs compared.
type Release struct {
	// Component is the Resource.Component of every object the chart renders.
	Component string
	// ChartName is the chart's name in the chart source (charts.Base, ...).
	ChartName string
	// Chart is the chart given to Helm's engine. For the embedded charts it is
	// a copy whose Chart.yaml version and appVersion are the Istio version
	// being rendered. It is shared with the chart source: do not modify it.
	Chart *chart.Chart
	// Name is the Helm release name.
	Name string
	// Namespace is the Helm release namespace.
	Namespace string
	// Values are the values the spec gives the chart, before the chart's own
	// defaults are merged in. Each call to [Releases] returns fresh maps.
	Values map[string]any
	// Capabilities are what the chart sees of the cluster: the spec's
	// Kubernetes version and Helm's default list of API versions.
	Capabilities *chartutil.Capabilities

	// loaded validates values against the chart's values.schema.json.
	loaded *charts.Loaded
	// valuesField is the spec field whose raw values reach the chart.
	valuesField string
	// version is the Istio version the chart is labelled with.
	version string
}

// Releases completes the spec as [Render] does and lists the Helm releases
// Render renders for it, in install order. A spec error is a
// *mesh.ValidationError; a chart missing from the source is named.
func Releases(m *mesh.IstioMesh, opts Options) ([]Release, error) {
	p, err := newPlan(m, opts)
	if err != nil {
		return nil, err
	}
	return parallel(len(p.releases), func(i int) (Release, error) { return p.load(p.releases[i]) })
}

// plan is everything Render needs before any chart is loaded.
type plan struct {
	spec     *mesh.IstioMesh
	warnings []mesh.Warning
	// releases are in install order, their charts not loaded yet.
	releases []Release
	src      charts.Source
	caps     *chartutil.Capabilities
}

// newPlan completes the spec and checks it against the chart source.
func newPlan(m *mesh.IstioMesh, opts Options) (*plan, error) {
	spec, warnings, err := mesh.Resolve(m)
	if err != nil {
		return nil, err
	}
	src := opts.Charts
	if src == nil {
		src = charts.Embedded()
	}
	more, err := checkVersions(&spec.Spec, src)
	if err != nil {
		return nil, err
	}
	caps, err := capabilities(spec.Spec.KubernetesVersion)
	if err != nil {
		return nil, err
	}
	return &plan{
		spec: spec, warnings: append(warnings, more...),
		releases: releases(&spec.Spec), src: src, caps: caps,
	}, nil
}

// load completes a planned release with its chart, loading the chart on
// first use.
func (p *plan) load(rel Release) (Release, error) {
	loaded, err := p.src.Chart(rel.ChartName)
	if err != nil {
		return Release{}, fmt.Errorf("%s: %w", rel.Component, err)
	}
	rel.Chart = withVersion(loaded.Chart, p.src, rel.version)
	rel.Capabilities = p.caps
	rel.loaded = loaded
	return rel, nil
}
