package render

import (
	"context"
	"fmt"

	"github.com/istio-render/istio-render/charts"
	"github.com/istio-render/istio-render/mesh"
)

// Options change where charts come from and what a render may remember.
// The zero value renders with the embedded charts and remembers nothing.
type Options struct {
	// Charts to render from; nil means charts.Embedded().
	Charts *charts.Source
	// Cache remembers rendered releases across calls; nil remembers
	// nothing. See [Cache].
	Cache *Cache
	// RevisionCharts resolves the chart references of spec.revisions[].charts
	// to their charts, e.g. charts.FolderResolver(the spec's folder). nil
	// makes a spec that names charts an error: the library reads no file
	// it is not given.
	RevisionCharts charts.Resolver
}

// Render completes the spec (defaults and validation of anything changed
// since it was resolved; see mesh.Resolved.Complete), renders it and checks
// what it rendered (see the package documentation). A spec error, or a
// rendered object that breaks a check, is a *mesh.ValidationError naming
// each field; a chart that fails to render is a *ChartError naming the
// component; a context done before the render is finished is the context's
// error. Nothing is returned but the error when anything fails. r is not
// modified.
func Render(ctx context.Context, r *mesh.Resolved, opts Options) (*Manifest, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p, err := newPlan(r, opts)
	if err != nil {
		return nil, err
	}
	out, notes, found, objs, err := renderReleases(ctx, p, opts.Cache)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	own, ownFound, ownObjs, err := meshObjects(&p.spec.Spec)
	if err != nil {
		return nil, err
	}
	if err := gitopsOf(&p.spec.Spec).apply(own); err != nil {
		return nil, err
	}
	out = append(out, own...)
	if err := sortResources(out); err != nil {
		return nil, err
	}
	if err := checkRendered(&p.spec.Spec, p.releases, append(objs, ownObjs...), append(found, ownFound...)); err != nil {
		return nil, err
	}
	return &Manifest{Spec: p.spec, Resources: out, Warnings: append(p.warnings, notes...)}, nil
}

// renderReleases loads and renders independent releases concurrently,
// each starting as soon as its own chart is loaded; the results are in
// release order. A release not yet started when ctx is done is not
// started; one under way runs to its end, as Helm's engine cannot be
// interrupted (the ban on template actions in raw values, see
// mesh.Spec's validation, is what bounds how long that takes).
func renderReleases(ctx context.Context, p *plan, cache *Cache) ([]Resource, []mesh.Warning, []finding, []parsedObject, error) {
	rels := p.releases
	results, err := parallelOrder(longestFirst(rels), func(i int) (rendered, error) {
		if err := ctx.Err(); err != nil {
			return rendered{}, err
		}
		rel, err := p.load(rels[i])
		if err != nil {
			return rendered{}, err
		}
		return renderRelease(ctx, rel, cache)
	})
	if err != nil {
		return nil, nil, nil, nil, err
	}
	var out []Resource
	var warnings []mesh.Warning
	var found []finding
	var objs []parsedObject
	for i, r := range results {
		out = append(out, r.resources...)
		found = append(found, r.findings...)
		objs = append(objs, r.kept...)
		field := ""
		if n := len(rels[i].raw); n > 0 {
			field = rels[i].raw[n-1].field
		}
		for _, w := range r.warnings {
			warnings = append(warnings, mesh.Warning{Field: field, Message: rels[i].Component + ": " + w})
		}
	}
	return out, warnings, found, objs, nil
}

// longestFirst orders releases for rendering: istiod's, which take the
// longest, then the others in install order.
func longestFirst(rels []*release) []int {
	order := make([]int, 0, len(rels))
	for i, rel := range rels {
		if rel.Chart == charts.Istiod {
			order = append(order, i)
		}
	}
	for i, rel := range rels {
		if rel.Chart != charts.Istiod {
			order = append(order, i)
		}
	}
	return order
}

// checkVersions requires the image versions to match the charts' release
// line: the embedded charts render only their own line; pinned charts of
// another line are allowed with a warning, as are source-tree charts whose
// line is not known (uncheckedLine).
func checkVersions(s *mesh.Spec, src *charts.Source) ([]mesh.Warning, error) {
	line := src.Line()
	type check struct{ field, version string }
	checks := []check{{"spec.version", s.Version}}
	if s.Canary != nil {
		checks = append(checks, check{"spec.canary.version", s.Canary.Version})
	}
	var warnings []mesh.Warning
	var errs []mesh.FieldError
	for _, c := range checks {
		if w := uncheckedLine(c.field, c.version, src); w != nil {
			warnings = append(warnings, *w)
			continue
		}
		if line == "" || charts.MinorLine(c.version) == line {
			continue
		}
		if src == charts.Embedded() {
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
// charts are not loaded yet. srcs are the charts of each of the spec's
// Istiods.
func releases(s *mesh.Spec, srcs []*charts.Source) []*release {
	kube := s.ChartKubernetesVersion()
	raw := func(field string, v mesh.Values) []rawValues {
		if len(v) == 0 {
			return nil
		}
		return []rawValues{{field, v}}
	}
	ds := s.Istiods()
	base, serving := 0, 0
	if s.UsesRevisions() {
		// CRDs as new as the newest control plane; node agents follow the
		// default.
		base, serving = s.NewestIstiod(), s.DefaultIstiod()
	}
	baseVersion, version, rev := s.Version, s.Version, s.Revision
	if s.UsesRevisions() {
		baseVersion, version, rev = ds[base].Version, ds[serving].Version, ds[serving].Revision
	}
	out := []*release{{
		Release: Release{
			Component: ComponentBase, Chart: charts.Base, Name: "istio-base",
			Namespace: s.RootNamespace, KubeVersion: kube, Charts: ds[base].Charts,
		},
		src: srcs[base], istioVersion: baseVersion, own: baseValues(s), raw: raw("spec.values.base", s.Values.Base),
	}}
	for i, d := range ds {
		component := istiodRelease(d.Revision)
		if i == 0 && !s.UsesRevisions() {
			component = ComponentIstiod
		}
		out = append(out, &release{
			Release: Release{
				Component: component, Chart: charts.Istiod, Name: istiodRelease(d.Revision),
				Namespace: s.RootNamespace, KubeVersion: kube, Charts: d.Charts,
			},
			src: srcs[i], istioVersion: d.Version, own: istiodValues(s, d.Revision, d.Version, d.Tags),
			raw: append(raw("spec.values.istiod", s.Values.Istiod), raw(d.ValuesAt, d.Values)...),
		})
	}
	if s.CNI.Enabled {
		out = append(out, &release{
			Release: Release{
				Component: ComponentCNI, Chart: charts.CNI, Name: "istio-cni",
				Namespace: s.CNI.Namespace, KubeVersion: kube, Charts: ds[serving].Charts,
			},
			src: srcs[serving], istioVersion: version, own: cniValues(s, rev, version), raw: raw("spec.values.cni", s.Values.CNI),
		})
	}
	if s.Ambient.Enabled {
		out = append(out, &release{
			Release: Release{
				Component: ComponentZtunnel, Chart: charts.Ztunnel, Name: "ztunnel",
				Namespace: s.RootNamespace, KubeVersion: kube, Charts: ds[serving].Charts,
			},
			src: srcs[serving], istioVersion: version, own: ztunnelValues(s, rev, version), raw: raw("spec.values.ztunnel", s.Values.Ztunnel),
		})
	}
	for i := range s.Gateways {
		g := &s.Gateways[i]
		if !g.IsEnabled() {
			continue
		}
		gwRev, d := gatewayRevision(s, g), 0
		gwVersion := s.Version
		if s.UsesRevisions() {
			d = s.ServingIstiod(or(g.Revision, ds[serving].Label()))
			gwVersion = ds[d].Version
		}
		out = append(out, &release{
			Release: Release{
				Component: ComponentGatewayPrefix + g.Name, Chart: charts.Gateway, Name: g.Name,
				Namespace: g.Namespace, KubeVersion: kube, Charts: ds[d].Charts,
			},
			src: srcs[d], istioVersion: gwVersion, own: gatewayValues(s, g, gwRev),
			raw: append(raw("spec.values.gateway", s.Values.Gateway), raw(fmt.Sprintf("spec.gateways[%d].values", i), g.Values)...),
		})
	}
	out = append(out, eastWestRelease(s, srcs)...)
	return out
}

// istiodRelease names an istiod release after its revision.
func istiodRelease(revision string) string {
	if revision == "" {
		return "istiod"
	}
	return "istiod-" + revision
}

// meshObjects renders the objects no chart renders, and inspects them.
func meshObjects(s *mesh.Spec) ([]Resource, []finding, []parsedObject, error) {
	var out []Resource
	var found []finding
	var objs []parsedObject
	add := func(component string, trees []map[string]any) error {
		for _, t := range trees {
			r, err := newResource(component, t)
			if err != nil {
				return err
			}
			out = append(out, r)
			found = append(found, inspectObject(component, t, nil)...)
			if o, ok := kept(component, t); ok {
				objs = append(objs, o)
			}
		}
		return nil
	}
	if err := add(ComponentNamespaces, namespaces(s)); err != nil {
		return nil, nil, nil, err
	}
	if err := add(ComponentPolicy, policies(s)); err != nil {
		return nil, nil, nil, err
	}
	if err := add(ComponentPolicy, dayTwoObjects(s)); err != nil {
		return nil, nil, nil, err
	}
	for i := range s.Gateways {
		g := &s.Gateways[i]
		if !g.IsEnabled() {
			continue
		}
		if err := add(ComponentGatewayPrefix+g.Name, gatewayObjects(g)); err != nil {
			return nil, nil, nil, err
		}
	}
	if err := gatewayAPIObjects(s, add); err != nil {
		return nil, nil, nil, err
	}
	crds, err := gatewayAPICRDs(s)
	if err != nil {
		return nil, nil, nil, err
	}
	return append(out, crds...), found, objs, nil
}
