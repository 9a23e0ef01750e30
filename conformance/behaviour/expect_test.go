package behaviour_test

import (
	"slices"
	"sort"
	"strings"

	"github.com/istio-render/istio-render/mesh"
)

// plane is one control plane as the spec describes it, read from the spec
// fields directly (spec.revision, spec.revisionTags and spec.canary, or
// spec.revisions and spec.tags) rather than through the library, so that
// the proof's expectations do not share the render's reading of them.
type plane struct {
	// label is the istio.io/rev value of its istiod: the revision, or
	// "default" for the default control plane.
	label string
	// version is the Istio version it runs, the proxies' image tag.
	version string
	// tags are the revision tags that point at it.
	tags []string
}

// planes lists the control planes of a spec.
func planes(s *mesh.Spec) []plane {
	if len(s.Revisions) == 0 {
		out := []plane{{label: or(s.Revision, "default"), version: s.Version, tags: s.RevisionTags}}
		if c := s.Canary; c != nil {
			out = append(out, plane{label: c.Revision, version: c.Version, tags: c.RevisionTags})
		}
		return out
	}
	var out []plane
	for _, r := range s.Revisions {
		p := plane{label: r.Name, version: r.Version}
		for tag, rev := range s.Tags {
			if rev == r.Name {
				p.tags = append(p.tags, tag)
			}
		}
		sort.Strings(p.tags)
		out = append(out, p)
	}
	return out
}

// serving returns the control plane a revision or tag name selects, or
// nil when none of the spec does.
func serving(s *mesh.Spec, name string) *plane {
	ps := planes(s)
	for i := range ps {
		if ps[i].label == name || slices.Contains(ps[i].tags, name) {
			return &ps[i]
		}
	}
	return nil
}

// defaultPlane is the control plane that serves istio-injection=enabled:
// the one the tag "default" points at, else the default revision; nil
// when the spec has neither.
func defaultPlane(s *mesh.Spec) *plane {
	ps := planes(s)
	for i := range ps {
		if slices.Contains(ps[i].tags, "default") {
			return &ps[i]
		}
	}
	for i := range ps {
		if ps[i].label == "default" {
			return &ps[i]
		}
	}
	return nil
}

// mainPlane is the control plane of what names no revision: the default
// one with spec.revisions, else spec.revision's.
func mainPlane(s *mesh.Spec) *plane {
	if len(s.Revisions) > 0 {
		if p := defaultPlane(s); p != nil {
			return p
		}
		ps := planes(s)
		return &ps[0]
	}
	return serving(s, or(s.Revision, "default"))
}

// sidecarPlane is the control plane the spec means to inject a listed
// namespace's pods with, or nil for no sidecar: enabled means the
// default control plane, a revision or tag the one it names, and
// disabled, ambient, no injection or a revision outside the spec none
// of this render's.
func sidecarPlane(s *mesh.Spec, ns string) *plane {
	for _, n := range s.Namespaces {
		if n.Name != ns {
			continue
		}
		switch n.Injection {
		case "", "disabled", "ambient":
			return nil
		case "enabled":
			return defaultPlane(s)
		}
		return serving(s, n.Injection)
	}
	return nil
}

// gatewayPlane is the control plane that injects a classic gateway.
func gatewayPlane(s *mesh.Spec, g *mesh.Gateway) *plane {
	if g.Revision == "" {
		return mainPlane(s)
	}
	return serving(s, g.Revision)
}

// variant is the image variant the spec runs: spec.variant, and in
// ambient mode, where the charts' own ambient profile sets it, distroless
// when spec.variant is empty.
func variant(s *mesh.Spec) string {
	if s.Variant == "" && s.Ambient.Enabled {
		return "distroless"
	}
	return s.Variant
}

// proxyImage is the image the spec asks proxies of a control plane to run.
func proxyImage(s *mesh.Spec, p *plane) string {
	tag := p.version
	if v := variant(s); v != "" {
		tag += "-" + v
	}
	return s.Hub + "/proxyv2:" + tag
}

// effectiveMTLS is the inbound mTLS mode the spec sets for a namespace:
// the namespace's own PeerAuthentication, else the mesh-wide one, else
// Istio's default, PERMISSIVE.
func effectiveMTLS(s *mesh.Spec, ns string) string {
	for _, n := range s.Namespaces {
		if n.Name == ns && n.MTLS != "" {
			return n.MTLS
		}
	}
	return or(s.Mesh.MTLS, "PERMISSIVE")
}

// clientMTLS reports whether the spec asks clients of a namespace's
// services to always originate Istio mTLS.
func clientMTLS(s *mesh.Spec, ns string) bool {
	for _, n := range s.Namespaces {
		if n.Name == ns {
			return n.ClientMTLS
		}
	}
	return false
}

// authorization is the authorization spec of a namespace, nil for none.
func authorization(s *mesh.Spec, ns string) *mesh.Authorization {
	for _, n := range s.Namespaces {
		if n.Name == ns {
			return n.Authorization
		}
	}
	return nil
}

// traceSampling is the percentage of requests the spec traces: its own,
// else Istio's default of 1%.
func traceSampling(t *mesh.Tracing) float64 {
	if t.Sampling != nil {
		return *t.Sampling
	}
	return 1
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// visible reports whether the spec lets a sidecar in namespace from hold
// the service sample.<dst>: istiod must discover dst (discoverySelectors
// watch the root namespace, the gateways' and the CNI agent's namespaces
// and spec.namespaces), and the Sidecar that applies to from must list it
// (a namespace's own scope, else the root Sidecar of spec.mesh.scope:
// its own namespace, the root namespace, every gateway's namespace and
// spec.namespaces).
func visible(s *mesh.Spec, from, dst string) bool {
	if s.Mesh.Scope.DiscoverySelectors && !discovered(s, dst) {
		return false
	}
	var hosts []string
	own := false
	for _, n := range s.Namespaces {
		if n.Name == from && n.Scope != nil {
			own = true
			hosts = append([]string{"./*", s.RootNamespace + "/*"}, n.Scope.Hosts...)
			for _, e := range s.Mesh.Egress {
				if g := gatewayNamed(s, e.Gateway); g != nil {
					hosts = append(hosts, g.Namespace+"/*")
				}
			}
		}
	}
	if !own {
		if !s.Mesh.Scope.Sidecar {
			return true
		}
		hosts = []string{"./*"}
		for _, ns := range meshNamespaces(s) {
			hosts = append(hosts, ns+"/*")
		}
	}
	fqdn := sampleName + "." + dst + ".svc.cluster.local"
	for _, h := range hosts {
		ns, name, _ := strings.Cut(h, "/")
		if ns != "*" && ns != dst && (ns != "." || from != dst) {
			continue
		}
		if name == "*" || name == fqdn || (strings.HasPrefix(name, "*.") && strings.HasSuffix(fqdn, name[1:])) {
			return true
		}
	}
	return false
}

// discovered reports whether istiod watches a namespace under the spec's
// discoverySelectors.
func discovered(s *mesh.Spec, ns string) bool {
	if s.CNI.Enabled && s.CNI.Namespace == ns {
		return true
	}
	return slices.Contains(meshNamespaces(s), ns)
}

// meshNamespaces are the root namespace, the namespaces of every enabled
// gateway (classic, east-west and Gateway API) and spec.namespaces.
func meshNamespaces(s *mesh.Spec) []string {
	out := []string{s.RootNamespace}
	for _, g := range s.Gateways {
		if g.IsEnabled() {
			out = append(out, g.Namespace)
		}
	}
	if mc := s.Multicluster; mc != nil && mc.EastWestGateway != nil {
		out = append(out, mc.EastWestGateway.Namespace)
	}
	for _, g := range s.GatewayAPI.Gateways {
		out = append(out, g.Namespace)
	}
	for _, n := range s.Namespaces {
		out = append(out, n.Name)
	}
	return out
}

// gatewayNamed is the enabled gateway of spec.gateways with the name, nil
// for none.
func gatewayNamed(s *mesh.Spec, name string) *mesh.Gateway {
	for i := range s.Gateways {
		if g := &s.Gateways[i]; g.Name == name && name != "" && g.IsEnabled() {
			return g
		}
	}
	return nil
}
