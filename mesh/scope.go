package mesh

import "slices"

// DiscoveryLabel is the namespace label spec.mesh.scope.discoverySelectors
// selects by; its value is the root namespace, which tells the control
// planes of one cluster apart.
const DiscoveryLabel = "istio-render.dev/discovery"

// Scope limits what the control plane and the proxies hold. Without it,
// istiod watches every namespace and each sidecar holds the configuration
// of every service in the mesh, which on a large cluster costs each proxy
// hundreds of megabytes.
type Scope struct {
	// Sidecar renders a Sidecar named default in the root namespace: every
	// sidecar without a Sidecar of its own namespace then holds only the
	// services of its own namespace, the root namespace, the namespaces of
	// spec.namespaces and the gateways' namespaces (Gateway API gateways'
	// included).
	// spec.namespaces[].scope gives a namespace another list.
	Sidecar bool `json:"sidecar,omitempty"`
	// DiscoverySelectors makes istiod watch only the namespaces istio-render
	// renders (the root namespace, the gateways' and the CNI agent's, and
	// spec.namespaces): each carries the label istio-render.dev/discovery:
	// <rootNamespace>, and the mesh config's discoverySelectors select it.
	// Workloads in any other namespace are not discovered.
	DiscoverySelectors bool `json:"discoverySelectors,omitempty"`
}

// NamespaceScope is the list of hosts one namespace's sidecars hold: a
// Sidecar named default in that namespace.
type NamespaceScope struct {
	// Hosts besides the namespace's own services, the root namespace's and
	// those of the namespaces of the egress gateways spec.mesh.egress
	// routes through, in Sidecar form namespace/dnsName: payments/* or
	// */api.example.com.
	Hosts []string `json:"hosts"`
}

// ScopeNamespaces are the namespaces a proxy sees under spec.mesh.scope's
// root Sidecar besides its own: the root namespace, the gateways' (the
// east-west and Gateway API gateways' included), and spec.namespaces',
// sorted and without duplicates.
func (s *Spec) ScopeNamespaces() []string {
	set := map[string]bool{s.RootNamespace: true}
	for i := range s.Gateways {
		if g := &s.Gateways[i]; g.IsEnabled() {
			set[g.Namespace] = true
		}
	}
	if mc := s.Multicluster; mc != nil && mc.EastWestGateway != nil {
		set[mc.EastWestGateway.Namespace] = true
	}
	for i := range s.GatewayAPI.Gateways {
		set[s.GatewayAPI.Gateways[i].Namespace] = true
	}
	for _, n := range s.Namespaces {
		set[n.Name] = true
	}
	out := make([]string, 0, len(set))
	for n := range set {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}
