package render

import (
	"github.com/istio-render/istio-render/mesh"
)

// The day-two settings as the charts' own values. Each values function of
// values.go calls its hook last, before the charts' profile is set; with
// none of the settings, each hook adds nothing.

// istiodDayTwo configures an istiod release.
func istiodDayTwo(s *mesh.Spec, v map[string]any) {
	discoverySelectors(s, v)
}
