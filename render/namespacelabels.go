package render

import (
	"github.com/istio-render/istio-render/mesh"
)

// dayTwoLabels adds the day-two settings' labels to the Namespace object
// named name, each unless the spec's own labels for it set that key: the
// discovery label istiod selects by, and the Pod Security level.
func dayTwoLabels(s *mesh.Spec, name string, labels map[string]any) {
	add := func(k, v string) {
		if _, ok := labels[k]; !ok && v != "" {
			labels[k] = v
		}
	}
	if s.Mesh.Scope.DiscoverySelectors {
		add(mesh.DiscoveryLabel, s.RootNamespace)
	}
	if s.PodSecurity.Enabled {
		add(mesh.PodSecurityLabel, podSecurityLevel(s, name))
	}
}
