package render

import (
	"slices"

	"github.com/istio-render/istio-render/mesh"
)

// scope renders the Sidecars of spec.mesh.scope and spec.namespaces[].scope:
// a default Sidecar in the root namespace, which every namespace without
// one of its own inherits, and a default Sidecar in each namespace with
// its own list. Each lets a sidecar hold only the services of its own
// namespace ("./*"), the root namespace's (where the egress ServiceEntries
// are) and the listed ones'. A namespace's own list also holds the
// namespaces of the egress gateways that external hosts are routed
// through: the VirtualService that sends a host's calls to its gateway
// lives there (see egress), and a proxy that cannot see it still sees the
// host's ServiceEntry in the root namespace, so it would call the host
// directly, past the gateway. The root Sidecar holds every gateway's
// namespace already.
func scope(s *mesh.Spec) []map[string]any {
	var out []map[string]any
	if s.Mesh.Scope.Sidecar {
		hosts := []any{"./*"}
		for _, ns := range s.ScopeNamespaces() {
			hosts = append(hosts, ns+"/*")
		}
		out = append(out, sidecar(s.RootNamespace, hosts))
	}
	for i := range s.Namespaces {
		n := &s.Namespaces[i]
		if n.Scope == nil {
			continue
		}
		hosts := []any{"./*", s.RootNamespace + "/*"}
		given := map[string]bool{"./*": true, s.RootNamespace + "/*": true}
		for _, ns := range egressRouteNamespaces(s) {
			if h := ns + "/*"; !given[h] {
				hosts = append(hosts, h)
				given[h] = true
			}
		}
		for _, h := range n.Scope.Hosts {
			if !given[h] {
				hosts = append(hosts, h)
			}
		}
		out = append(out, sidecar(n.Name, hosts))
	}
	return out
}

// egressRouteNamespaces lists, sorted and once each, the namespaces of the
// enabled gateways that spec.mesh.egress routes external hosts through,
// where egress renders their VirtualServices and DestinationRules.
func egressRouteNamespaces(s *mesh.Spec) []string {
	routed := map[string]bool{}
	for i := range s.Mesh.Egress {
		if g := s.Mesh.Egress[i].Gateway; g != "" {
			routed[g] = true
		}
	}
	var out []string
	for i := range s.Gateways {
		if g := &s.Gateways[i]; g.IsEnabled() && routed[g.Name] && !slices.Contains(out, g.Namespace) {
			out = append(out, g.Namespace)
		}
	}
	slices.Sort(out)
	return out
}

// sidecar is a namespace's default Sidecar, limiting its proxies' egress
// configuration to hosts.
func sidecar(ns string, hosts []any) map[string]any {
	return object("networking.istio.io/v1", "Sidecar", ns, "default", map[string]any{
		"egress": []any{map[string]any{"hosts": hosts}},
	})
}

// discoverySelectors sets the mesh config's discoverySelectors to the
// label every namespace istio-render renders carries under
// spec.mesh.scope.discoverySelectors.
func discoverySelectors(s *mesh.Spec, v map[string]any) {
	if !s.Mesh.Scope.DiscoverySelectors {
		return
	}
	set(v, []any{map[string]any{"matchLabels": map[string]any{mesh.DiscoveryLabel: s.RootNamespace}}}, "meshConfig", "discoverySelectors")
}
