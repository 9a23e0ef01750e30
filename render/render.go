package render

import (
	"context"
	"fmt"

	"github.com/istio-render/istio-render/charts"
	"github.com/istio-render/istio-render/mesh"
)

// Options change where charts come from. The zero value renders with the
// embedded charts.
type Options struct {
	// Charts to render from; nil means charts.Embedded().
	Charts charts.Source
}

// Render completes the spec (profile, defaults, validation; see
// mesh.Resolve) and renders it. A spec error is a *mesh.ValidationError
// naming each field; a chart that fails to render names the component.
// Nothing is returned but the error when anything fails.
func Render(ctx context.Context, m *mesh.IstioMesh, opts Options) (*Manifest, error) {
	p, err := newPlan(m, opts)
	if err != nil {
		return nil, err
	}
	spec, warnings := p.spec, p.warnings
	out, notes, err := renderReleases(ctx, p)
	if err != nil {
		return nil, err
	}
	own, err := meshObjects(&spec.Spec)
	if err != nil {
		return nil, err
	}
	out = append(out, own...)
	if err := sortResources(out); err != nil {
		return nil, err
	}
	return &Manifest{Spec: spec, Resources: out, Warnings: append(warnings, notes...)}, nil
}

// renderReleases loads and renders independent releases concurrently,
// each starting as soon as its own chart is loaded; the results are in
// release order.
func renderReleases(ctx context.Context, p *plan) ([]Resource, []mesh.Warning, error) {
	rels := p.releases
	results, err := parallelOrder(longestFirst(rels), func(i int) (rendered, error) {
		if err := ctx.Err(); err != nil {
			return rendered{}, err
		}
		rel, err := p.load(rels[i])
		if err != nil {
			return rendered{}, err
		}
		r, err := renderRelease(rel)
		if err != nil && rels[i].valuesField != "" {
			// The spec validates everything it sets itself, so a chart
			// that rejects its values was given them raw.
			return rendered{}, &mesh.ValidationError{Errors: []mesh.FieldError{{Field: rels[i].valuesField, Message: err.Error()}}}
		}
		return r, err
	})
	if err != nil {
		return nil, nil, err
	}
	var out []Resource
	var warnings []mesh.Warning
	for i, r := range results {
		out = append(out, r.resources...)
		for _, w := range r.warnings {
			warnings = append(warnings, mesh.Warning{Field: rels[i].valuesField, Message: rels[i].Component + ": " + w})
		}
	}
	return out, warnings, nil
}

// longestFirst orders releases for rendering: istiod's, which take the
// longest, then the others in install order.
func longestFirst(rels []Release) []int {
	order := make([]int, 0, len(rels))
	for i, rel := range rels {
		if rel.ChartName == charts.Istiod {
			order = append(order, i)
		}
	}
	for i, rel := range rels {
		if rel.ChartName != charts.Istiod {
			order = append(order, i)
		}
	}
	return order
}

// checkVersions requires the image versions to match the charts' release
// line: the embedded charts render only their own line; pinned charts of
// another line are allowed with a warning.
func checkVersions(s *mesh.Spec, src charts.Source) ([]mesh.Warning, error) {
	line := src.Line()
	if line == "" {
		return nil, nil
	}
	type check struct{ field, version string }
	checks := []check{{"spec.version", s.Version}}
	if s.Canary != nil {
		checks = append(checks, check{"spec.canary.version", s.Canary.Version})
	}
	var warnings []mesh.Warning
	var errs []mesh.FieldError
	for _, c := range checks {
		if charts.MinorLine(c.version) == line {
			continue
		}
		if src.Embedded() {
			errs = append(errs, mesh.FieldError{Field: c.field, Message: fmt.Sprintf(
				"%s is outside the embedded charts' Istio %s line; render with that version's charts (the charts option, e.g. --charts DIR)", c.version, line)})
			continue
		}
		warnings = append(warnings, mesh.Warning{Field: c.field, Message: fmt.Sprintf(
			"%s differs from the charts' Istio %s line (%s)", c.version, line, src)})
	}
	if len(errs) > 0 {
		return nil, &mesh.ValidationError{Errors: errs}
	}
	return warnings, nil
}

// releases lists the Helm releases a spec needs, in install order; their
// charts are not loaded yet.
func releases(s *mesh.Spec) []Release {
	out := []Release{{
		Component: ComponentBase, ChartName: charts.Base, Name: "istio-base",
		Namespace: s.RootNamespace, Values: baseValues(s), version: s.Version,
		valuesField: "spec.values.base",
	}, {
		Component: ComponentIstiod, ChartName: charts.Istiod, Name: istiodRelease(s.Revision),
		Namespace: s.RootNamespace, version: s.Version,
		Values:      istiodValues(s, s.Revision, s.Version, s.RevisionTags, nil),
		valuesField: "spec.values.istiod",
	}}
	if c := s.Canary; c != nil {
		out = append(out, Release{
			Component: istiodRelease(c.Revision), ChartName: charts.Istiod, Name: istiodRelease(c.Revision),
			Namespace: s.RootNamespace, version: c.Version,
			Values:      istiodValues(s, c.Revision, c.Version, c.RevisionTags, c.Values),
			valuesField: "spec.canary.values",
		})
	}
	if s.CNI.Enabled {
		out = append(out, Release{
			Component: ComponentCNI, ChartName: charts.CNI, Name: "istio-cni",
			Namespace: s.CNI.Namespace, Values: cniValues(s), version: s.Version,
			valuesField: "spec.values.cni",
		})
	}
	if s.Ambient.Enabled {
		out = append(out, Release{
			Component: ComponentZtunnel, ChartName: charts.Ztunnel, Name: "ztunnel",
			Namespace: s.RootNamespace, Values: ztunnelValues(s), version: s.Version,
			valuesField: "spec.values.ztunnel",
		})
	}
	for i := range s.Gateways {
		g := &s.Gateways[i]
		if !g.IsEnabled() {
			continue
		}
		out = append(out, Release{
			Component: ComponentGatewayPrefix + g.Name, ChartName: charts.Gateway, Name: g.Name,
			Namespace: g.Namespace, Values: gatewayValues(s, g), version: s.Version,
			valuesField: fmt.Sprintf("spec.gateways[%d].values", i),
		})
	}
	return out
}

// istiodRelease names an istiod release after its revision.
func istiodRelease(revision string) string {
	if revision == "" {
		return "istiod"
	}
	return "istiod-" + revision
}

// meshObjects renders the objects no chart renders.
func meshObjects(s *mesh.Spec) ([]Resource, error) {
	var out []Resource
	add := func(component string, objs []map[string]any) error {
		for _, o := range objs {
			r, err := newResource(component, o)
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	}
	if err := add(ComponentNamespaces, namespaces(s)); err != nil {
		return nil, err
	}
	if err := add(ComponentPolicy, policies(s)); err != nil {
		return nil, err
	}
	for i := range s.Gateways {
		g := &s.Gateways[i]
		if !g.IsEnabled() {
			continue
		}
		if err := add(ComponentGatewayPrefix+g.Name, gatewayObjects(g)); err != nil {
			return nil, err
		}
	}
	return out, nil
}
