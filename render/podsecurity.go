package render

import (
	"github.com/istio-render/istio-render/mesh"
)

// podSecurityLevel is the Pod Security Admission level a namespace
// istio-render renders is enforced at: privileged where a node agent (the
// CNI agent, ztunnel) runs, baseline where istiod or a gateway runs or
// where workloads join the mesh, and none elsewhere: a listed namespace
// that does not join the mesh runs workloads istio-render knows nothing
// of. Every pod istio-render places at baseline meets it: istiod and the
// gateways drop every capability, and with the CNI agent an injected
// sidecar needs no privileged init container.
func podSecurityLevel(s *mesh.Spec, ns string) string {
	if s.CNI.Enabled && ns == s.CNI.Namespace || s.Ambient.Enabled && ns == s.RootNamespace {
		return mesh.PodSecurityPrivileged
	}
	if ns == s.RootNamespace {
		return mesh.PodSecurityBaseline
	}
	for i := range s.Gateways {
		if g := &s.Gateways[i]; g.IsEnabled() && g.Namespace == ns {
			return mesh.PodSecurityBaseline
		}
	}
	for i := range s.GatewayAPI.Gateways {
		if s.GatewayAPI.Gateways[i].Namespace == ns {
			return mesh.PodSecurityBaseline
		}
	}
	for _, n := range dayTwoNamespaces(s) {
		if n == ns {
			return mesh.PodSecurityBaseline
		}
	}
	for _, n := range s.Namespaces {
		if n.Name == ns && n.Injection != "" && n.Injection != "disabled" {
			return mesh.PodSecurityBaseline
		}
	}
	return ""
}
