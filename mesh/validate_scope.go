package mesh

import (
	"fmt"
	"slices"
	"strings"
)

// validateScope checks spec.mesh.scope and the namespaces' own scopes.
func (s *Spec) validateScope(p *problems) {
	sc := &s.Mesh.Scope
	if sc.Sidecar && s.Ambient.Enabled {
		p.warnf("spec.mesh.scope.sidecar", "a Sidecar resource scopes sidecar proxies only; ztunnel and waypoints in ambient mode ignore it")
	}
	for i := range s.Namespaces {
		n := &s.Namespaces[i]
		at := fmt.Sprintf("spec.namespaces[%d]", i)
		if sc.DiscoverySelectors {
			if v, ok := n.Labels[DiscoveryLabel]; ok && v != s.RootNamespace {
				p.errorf(keyAt(at+".labels", DiscoveryLabel), "%s hides the namespace from istiod, which selects %s: %s (spec.mesh.scope.discoverySelectors)", quote(v), DiscoveryLabel, quote(s.RootNamespace))
			}
		}
		if n.Scope == nil {
			continue
		}
		if n.Name == s.RootNamespace {
			// Istio takes a Sidecar in the root namespace as the mesh-wide
			// default, which spec.mesh.scope.sidecar renders.
			p.errorf(at+".scope", "the root namespace's default Sidecar is the mesh-wide one, inherited by every namespace without its own; set spec.mesh.scope.sidecar instead")
			continue
		}
		if len(n.Scope.Hosts) == 0 {
			p.errorf(at+".scope.hosts", "required: the hosts this namespace's proxies see besides their own namespace's and the root namespace's, e.g. payments/*")
		}
		for j, h := range n.Scope.Hosts {
			sidecarHost(p, fmt.Sprintf("%s.scope.hosts[%d]", at, j), h)
			if sc.DiscoverySelectors {
				s.discoveredHost(p, fmt.Sprintf("%s.scope.hosts[%d]", at, j), h)
			}
		}
		if n.Injection == "ambient" {
			p.warnf(at+".scope", "a Sidecar resource scopes sidecar proxies only; this namespace is in ambient mode")
		}
	}
}

// sidecarHost checks a Sidecar egress host: namespace/dnsName, where the
// namespace is a name, "*", "." or "~" and the name may be "*" or start
// with a wildcard label.
func sidecarHost(p *problems, at, h string) {
	ns, host, ok := strings.Cut(h, "/")
	if !ok {
		p.errorf(at, "%s is not namespace/host, such as payments/* or */api.example.com", quote(h))
		return
	}
	switch ns {
	case "*", ".", "~":
	default:
		dns1123Label(p, at, ns)
	}
	if host == "*" {
		return
	}
	if err := dnsName(strings.TrimPrefix(host, "*.")); err != nil {
		p.errorf(at, "%s is not namespace/host, such as payments/* or */api.example.com", quote(h))
	}
}

// discoveredHost warns about a scope host in a namespace istiod does not
// discover under spec.mesh.scope.discoverySelectors: one istio-render
// does not render, and so does not label. Its services never reach the
// proxies, unless the namespace is labelled outside the spec.
func (s *Spec) discoveredHost(p *problems, at, h string) {
	ns, _, ok := strings.Cut(h, "/")
	if !ok || ns == "*" || ns == "." || ns == "~" {
		return
	}
	if slices.Contains(s.ScopeNamespaces(), ns) || s.CNI.Enabled && ns == s.CNI.Namespace {
		return
	}
	p.warnf(at, "%s is not a namespace istio-render renders, so istiod, which discovers only those (spec.mesh.scope.discoverySelectors), never sees its services; list it in spec.namespaces, or label it %s: %s", quote(ns), DiscoveryLabel, quote(s.RootNamespace))
}
