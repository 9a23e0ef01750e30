package render

import (
	"github.com/istio-render/istio-render/mesh"
)

// dayTwoNamespaces are namespaces the day-two settings put workloads in
// that spec.gateways and the CNI agent do not: the east-west gateway's.
func dayTwoNamespaces(s *mesh.Spec) []string {
	if mc := s.Multicluster; mc != nil && mc.EastWestGateway != nil {
		return []string{mc.EastWestGateway.Namespace}
	}
	return nil
}

// dayTwoLabels adds the day-two settings' labels to the Namespace object
// named name, each unless the spec's own labels for it set that key: the
// discovery label istiod selects by, the Pod Security level, and on the
// root namespace the cluster's network.
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
	if s.Multicluster != nil && name == s.RootNamespace {
		add(mesh.NetworkLabel, s.Mesh.Network)
	}
}
