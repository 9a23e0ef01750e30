package render

import (
	"github.com/istio-render/istio-render/mesh"
)

// scope renders the Sidecars of spec.mesh.scope and spec.namespaces[].scope:
// a default Sidecar in the root namespace, which every namespace without
// one of its own inherits, and a default Sidecar in each namespace with
// its own list. Each lets a sidecar hold only the services of its own
// namespace ("./*"), the root namespace's (where the egress ServiceEntries
// are) and the listed ones'.
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
		for _, h := range n.Scope.Hosts {
			if h != "./*" && h != s.RootNamespace+"/*" {
				hosts = append(hosts, h)
			}
		}
		out = append(out, sidecar(n.Name, hosts))
	}
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
