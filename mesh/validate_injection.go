package mesh

import (
	"slices"

	"istio.io/istio/pkg/config/constants"
)

// InjectorSkippedNamespaces lists the namespaces whose pods Istio's
// sidecar injector never injects, whatever their labels: istio.io/istio's
// pkg/kube/inject.IgnoredNamespaces. A gateway's pods run the image "auto"
// until the injector gives them a proxy, so a gateway there never starts.
// Each call returns a new sorted slice.
func InjectorSkippedNamespaces() []string {
	out := []string{
		constants.KubeSystemNamespace,
		constants.KubePublicNamespace,
		constants.KubeNodeLeaseNamespace,
		constants.LocalPathStorageNamespace,
	}
	slices.Sort(out)
	return out
}

// injectorSkips reports whether the injector never injects pods in ns.
func injectorSkips(ns string) bool {
	return slices.Contains(InjectorSkippedNamespaces(), ns)
}

// gatewayInjectable checks that nothing in the spec keeps a gateway's
// pods from being injected: its namespace, and labels that would override
// the chart's injection labels.
func (s *Spec) gatewayInjectable(p *problems, at string, g *Gateway) {
	if injectorSkips(g.Namespace) {
		if g.Namespace == s.RootNamespace {
			p.errorf("spec.rootNamespace", "%s is a namespace Istio's sidecar injector never injects, and gateway %s runs here (a gateway's namespace defaults to the root namespace): its pods would keep the image \"auto\" and never start; choose another root namespace, or set %s.namespace",
				quote(g.Namespace), g.Name, at)
		} else {
			p.errorf(at+".namespace", "%s is a namespace Istio's sidecar injector never injects: the gateway's pods would keep the image \"auto\" and never start; choose another namespace",
				quote(g.Namespace))
		}
	}
	if _, ok := g.Labels[labelSidecarInject]; ok {
		p.errorf(keyAt(at+".labels", labelSidecarInject), "set by the gateway chart to \"true\": a gateway's pods start only once Istio's injector gives them their proxy")
	}
	if _, ok := g.Labels[labelRevision]; ok {
		p.errorf(keyAt(at+".labels", labelRevision), "set from the gateway's revision; use %s.revision", at)
	}
}

// Labels Istio's injector reads on pods.
const (
	labelSidecarInject = "sidecar.istio.io/inject"
	labelRevision      = "istio.io/rev"
)

// namespaceInjection checks a namespace's injection against the gateways
// running in it and against its client-side mTLS.
func (s *Spec) namespaceInjection(p *problems, at string, n *Namespace, revisions map[string]bool, tags map[string]string) {
	if n.Injection == "disabled" {
		for i := range s.Gateways {
			if g := &s.Gateways[i]; g.IsEnabled() && g.Namespace == n.Name {
				p.errorf(at+".injection", "disabled, but gateway %s (spec.gateways[%d]) runs in this namespace, and its pods start only once Istio's injector gives them their proxy; enable injection here or move the gateway",
					g.Name, i)
			}
		}
	}
	// The injector skips these namespaces whatever their labels; ambient
	// enrolment is the node agent's, not the injector's.
	skipped := injectorSkips(n.Name) && n.Injection != "ambient"
	if skipped && n.Injection != "" && n.Injection != "disabled" {
		p.warnf(at+".injection", "%s is a namespace Istio's sidecar injector never injects, whatever its labels: its pods get no proxy", quote(n.Name))
	}
	if !n.ClientMTLS {
		return
	}
	const fails = "every call from the mesh into it fails"
	switch v := n.Injection; {
	case skipped:
		p.errorf(at+".clientMTLS", "the DestinationRule makes every client in the mesh call this namespace with Istio mTLS, but %s is a namespace Istio's sidecar injector never injects: its pods have no proxy to answer, so %s; drop clientMTLS", quote(n.Name), fails)
	case v == "disabled":
		p.errorf(at+".clientMTLS", "the DestinationRule makes every client in the mesh call this namespace with Istio mTLS, but injection is disabled: its pods have no proxy to answer, so %s; enable injection (enabled, ambient, or a revision or tag) or drop clientMTLS", fails)
	case v == "":
		p.errorf(at+".clientMTLS", "the DestinationRule makes every client in the mesh call this namespace with Istio mTLS, but the namespace has no injection: its pods have no proxy to answer, so %s; set injection (enabled, ambient, or a revision or tag) or drop clientMTLS", fails)
	case v == "enabled", v == "ambient", revisions[v], tags[v] != "":
	default:
		p.warnf(at+".clientMTLS", "injection is %s: whether its pods have a proxy depends on a control plane this spec does not install; without one, %s", quote(v), fails)
	}
}
