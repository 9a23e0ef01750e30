package render

import (
	"fmt"

	"github.com/istio-render/istio-render/charts"
	"github.com/istio-render/istio-render/mesh"
)

// revisionSources returns the charts of each of the spec's Istiods: the
// render's charts for one that names none, else what resolve makes of its
// reference. A reference that cannot be resolved names its field.
func revisionSources(s *mesh.Spec, src *charts.Source, resolve charts.Resolver) ([]*charts.Source, error) {
	ds := s.Istiods()
	out := make([]*charts.Source, len(ds))
	var errs []mesh.FieldError
	for i, d := range ds {
		if d.Charts == "" {
			out[i] = src
			continue
		}
		at := d.At + ".charts"
		if resolve == nil {
			errs = append(errs, mesh.FieldError{Field: at, Message: fmt.Sprintf(
				"%q cannot be read: this render was given no way to find chart references (the command line finds them relative to the spec file; from Go, set render.Options.RevisionCharts)", d.Charts)})
			continue
		}
		c, err := resolve(d.Charts)
		if err != nil {
			errs = append(errs, mesh.FieldError{Field: at, Message: fmt.Sprintf("%q: %v", d.Charts, err)})
			continue
		}
		out[i] = c
	}
	if len(errs) > 0 {
		return nil, &mesh.ValidationError{Errors: errs}
	}
	return out, nil
}

// checkRevisionVersions requires each revision's version to be of its
// charts' release line. Charts from Istio's source tree, such as the
// embedded ones, carry a placeholder version; the line of such charts is
// the one the source says (the embedded charts know theirs, others read
// their tree's VERSION file), and a revision whose charts say none is
// warned about (uncheckedLine).
func checkRevisionVersions(s *mesh.Spec, srcs []*charts.Source) ([]mesh.Warning, error) {
	var warnings []mesh.Warning
	var errs []mesh.FieldError
	for i, d := range s.Istiods() {
		if w := uncheckedLine(d.VersionAt, d.Version, srcs[i]); w != nil {
			warnings = append(warnings, *w)
			continue
		}
		line := srcs[i].Line()
		if line == "" || charts.MinorLine(d.Version) == line {
			continue
		}
		msg := fmt.Sprintf("%s is not of the Istio %s line of its charts (%s); give the revision charts of Istio %s in %s.charts, or set its version to a %s release",
			d.Version, line, srcs[i], charts.MinorLine(d.Version), d.At, line)
		if srcs[i] == charts.Embedded() {
			msg = fmt.Sprintf("%s is outside the embedded charts' Istio %s line; give the revision the charts of Istio %s in %s.charts, as `helm pull istio/<chart> --version %s` downloads them",
				d.Version, line, charts.MinorLine(d.Version), d.At, d.Version)
		}
		errs = append(errs, mesh.FieldError{Field: d.VersionAt, Message: msg})
	}
	if len(errs) > 0 {
		return nil, &mesh.ValidationError{Errors: errs}
	}
	return warnings, nil
}

// gatewayRevision is the revision value of a gateway's chart: the revision
// or tag it names; else, with spec.revisions, the revision that serves the
// default (the tag default's, the default revision's, or the first), as
// spec.revision is without.
func gatewayRevision(s *mesh.Spec, g *mesh.Gateway) string {
	if g.Revision != "" || !s.UsesRevisions() {
		return or(g.Revision, s.Revision)
	}
	return s.Istiods()[s.DefaultIstiod()].Revision
}
