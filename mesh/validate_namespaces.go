package mesh

import (
	"fmt"
)

// validateNamespaces checks the namespaces against the gateways and tags the
// spec defines.
func (s *Spec) validateNamespaces(p *problems, gateways map[string]*Gateway, tags map[string]string) {
	seen := map[string]string{}
	revisions := s.revisionNames()
	for i := range s.Namespaces {
		n := &s.Namespaces[i]
		at := fmt.Sprintf("spec.namespaces[%d]", i)
		if n.Name == "" {
			p.errorf(at+".name", "required")
		} else {
			dns1123Label(p, at+".name", n.Name)
			if first, dup := seen[n.Name]; dup {
				p.errorf(at+".name", "duplicate namespace %s (first at %s)", quote(n.Name), first)
			}
			seen[n.Name] = at
		}
		s.validateInjection(p, at+".injection", n.Injection, revisions, tags)
		s.namespaceInjection(p, at, n, revisions, tags)
		labels(p, at+".labels", n.Labels)
		for _, k := range []string{"istio-injection", "istio.io/rev", "istio.io/dataplane-mode"} {
			if _, ok := n.Labels[k]; ok {
				p.errorf(keyAt(at+".labels", k), "set by injection; use the injection field")
			}
		}
		annotations(p, at+".annotations", n.Annotations)
		oneOf(p, at+".mtls", n.MTLS, "", "STRICT", "PERMISSIVE", "DISABLE")
		root := n.Name == s.RootNamespace
		switch {
		case root && n.MTLS != "":
			// Istio takes a PeerAuthentication in the root namespace as the
			// mesh-wide one, whatever spec.mesh.mtls says.
			p.errorf(at+".mtls", "the root namespace's PeerAuthentication is the mesh-wide one; set spec.mesh.mtls instead")
		case n.MTLS == "DISABLE" && s.Mesh.MTLS == "STRICT":
			p.warnf(at+".mtls", "DISABLE under mesh-wide STRICT: workloads here accept plaintext only")
		}
		if root && n.ClientMTLS {
			p.warnf(at+".clientMTLS", "a DestinationRule in the root namespace applies to every namespace's clients")
		}
		if a := n.Authorization; a != nil {
			for k, g := range a.AllowFromGateways {
				if _, ok := gateways[g]; !ok {
					p.errorf(fmt.Sprintf("%s.authorization.allowFromGateways[%d]", at, k), "%s is not an enabled gateway of spec.gateways", quote(g))
				}
			}
			switch {
			case !a.DefaultDeny && !a.AllowSameNamespace && len(a.AllowFromGateways) == 0:
				p.warnf(at+".authorization", "empty: no AuthorizationPolicy is rendered")
			case root:
				rootAuthorization(p, at+".authorization", n.Name, a)
			case !a.DefaultDeny:
				p.warnf(at+".authorization", "an ALLOW policy denies all traffic it does not match, so the namespace is default-deny anyway; set defaultDeny: true to say so")
			}
		}
	}
}

// validateInjection checks a namespace's injection setting.
func (s *Spec) validateInjection(p *problems, at, v string, revisions map[string]bool, tags map[string]string) {
	switch v {
	case "", "disabled":
	case "enabled":
		if s.UsesRevisions() && tags["default"] == "" && !revisions[DefaultRevisionName] {
			p.errorf(at, "istio-injection=enabled selects the default revision, and spec.revisions has no revision named default and spec.tags no tag default; tag a revision default, or name the revision or a tag instead")
			return
		}
		if s.Revision != "" && tags["default"] == "" {
			p.warnf(at, "istio-injection=enabled selects the default revision, which this spec does not install (spec.revision is %s); name the revision or a tag instead", quote(s.Revision))
		}
	case "ambient":
		if !s.Ambient.Enabled {
			p.errorf(at, "ambient needs spec.ambient.enabled (or profile ambient)")
		}
	default:
		if revisions[v] || tags[v] != "" {
			return
		}
		dns1123Label(p, at, v)
		if s.UsesRevisions() {
			p.errorf(at, "%s is neither enabled, disabled, ambient, nor a revision of spec.revisions or a tag of spec.tags", quote(v))
			return
		}
		p.warnf(at, "%s is neither enabled, disabled, ambient, nor a revision or tag of this spec; pods here are injected only if another control plane serves it", quote(v))
	}
}

// rootAuthorization warns about each rule of the root namespace's
// authorization: Istio applies an AuthorizationPolicy without a selector in
// the root namespace to every workload of the mesh, so each rule is
// mesh-wide, not the namespace's. An ALLOW rule there makes every workload
// deny what no ALLOW policy admits.
func rootAuthorization(p *problems, at, root string, a *Authorization) {
	const everywhere = "a policy in the root namespace applies to every workload of the mesh"
	if a.DefaultDeny {
		p.warnf(at+".defaultDeny", "a policy in the root namespace denies traffic in every namespace of the mesh")
	}
	if a.AllowSameNamespace {
		p.warnf(at+".allowSameNamespace", "%s: every workload then accepts only callers in %s, and what other ALLOW policies admit", everywhere, quote(root))
	}
	if len(a.AllowFromGateways) > 0 {
		p.warnf(at+".allowFromGateways", "%s: every workload then accepts only these gateways, and what other ALLOW policies admit", everywhere)
	}
}
