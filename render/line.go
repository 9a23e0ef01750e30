package render

import (
	"fmt"

	"github.com/istio-render/istio-render/charts"
	"github.com/istio-render/istio-render/mesh"
)

// uncheckedLine warns that version, at field, cannot be checked against
// the release line of src, whose charts carry the placeholder version of
// Istio's source tree and are not in a tree whose VERSION file names their
// line. Such charts are labelled with version whatever line they are of,
// so a mismatch would go unseen. It returns nil when src's line is known,
// or when the charts carry a release version of their own.
func uncheckedLine(field, version string, src *charts.Source) *mesh.Warning {
	if src.Line() != "" || !src.Placeholder() {
		return nil
	}
	return &mesh.Warning{Field: field, Message: fmt.Sprintf(
		"%s cannot be checked against the Istio release line of the charts (%s): their Chart.yaml version is the placeholder of Istio's source tree, and no VERSION file two levels above their manifests/charts folder names the line; make sure they are Istio %s's charts, or give release charts (`helm pull istio/<chart> --version %s`)",
		version, src, charts.MinorLine(version), version)}
}
