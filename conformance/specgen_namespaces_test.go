package conformance_test

import (
	"maps"
	"slices"
	"strings"

	"github.com/istio-render/istio-render/mesh"
)

// namespaces generates spec.namespaces: namespaces the gateways and
// certificates use, the root namespace, familiar and new ones, with every
// injection mode, labels, annotations, policy and waypoints; then decides
// how the Gateway API CRDs arrive, once waypoints are known.
func (d *draft) namespaces() {
	var candidates []string
	for _, ns := range slices.Sorted(maps.Keys(d.gatewayNS)) {
		if d.chance(0.4) {
			candidates = append(candidates, ns)
		}
	}
	for _, ns := range slices.Sorted(maps.Keys(d.otherNS)) {
		if d.chance(0.4) {
			candidates = append(candidates, ns)
		}
	}
	if d.chance(0.2) {
		candidates = append(candidates, d.root)
	}
	for range d.intn(5) {
		candidates = append(candidates, pick(d.gen, "shop", "payments", "catalog", "legacy", "default", "0", d.dnsLabel(63, false)))
	}
	seen := map[string]bool{}
	users := len(d.s.GatewayAPI.Gateways) > 0
	for _, name := range candidates {
		if seen[name] {
			continue
		}
		seen[name] = true
		n := d.namespace(name)
		if n.Waypoint != nil {
			users = true
		}
		d.s.Namespaces = append(d.s.Namespaces, n)
	}
	d.chooseGatewayAPICRDs(users)
}

// injectionModes are the fixed values of a namespace's injection.
var injectionModes = []string{"enabled", "disabled", "ambient"}

// gatewayNamespaceInjection returns the injection of a namespace that
// runs gateways: none, or one that selects the control plane every
// gateway there names, so that its pods are injected by their own.
func (d *draft) gatewayNamespaceInjection(ns string) string {
	planes := map[string]bool{}
	for _, g := range d.gateways {
		if g.namespace == ns {
			planes[g.controlPlane] = true
		}
	}
	if ns == d.eastWestNS {
		planes[d.servedBy[""]] = true
	}
	if len(planes) != 1 || planes[""] || d.chance(0.4) {
		return ""
	}
	var choices []string
	for _, v := range slices.Sorted(maps.Keys(d.servedBy)) {
		if v != "" && planes[d.servedBy[v]] && (v != mesh.DefaultRevisionName || d.usesRevisions) {
			choices = append(choices, v)
		}
	}
	if len(choices) == 0 {
		return ""
	}
	return pick(d.gen, choices...)
}

// namespace generates one namespace.
func (d *draft) namespace(name string) mesh.Namespace {
	n := mesh.Namespace{Name: name}
	var choices []string
	for _, mode := range injectionModes {
		switch {
		case mode == "disabled" && d.gatewayNS[name]:
		case mode == "ambient" && !d.ambient:
		case mode == "enabled" && d.usesRevisions && !d.defaultServed:
		default:
			choices = append(choices, mode)
		}
	}
	switch v := d.intn(10); {
	case d.gatewayNS[name]:
		n.Injection = d.gatewayNamespaceInjection(name)
	case v < 3:
	case v < 7 && len(choices) > 0:
		n.Injection = pick(d.gen, choices...)
	default:
		n.Injection = d.injectionTarget()
	}
	if d.chance(0.3) {
		n.Labels = d.labelMap(3)
		for _, k := range []string{"istio-injection", "istio.io/rev", "istio.io/dataplane-mode", "istio.io/use-waypoint"} {
			delete(n.Labels, k)
		}
		for k := range n.Labels {
			if strings.HasPrefix(k, "pod-security.kubernetes.io/") {
				delete(n.Labels, k)
			}
		}
	}
	if d.chance(0.3) {
		n.Annotations = d.annotationMap(3)
	}
	if d.chance(0.02) {
		if n.Annotations == nil {
			n.Annotations = map[string]string{}
		}
		n.Annotations["example.com/large"] = strings.Repeat("ü", 100_000)
	}
	if name != d.root {
		n.MTLS = d.enumOrEmpty("spec.namespaces[].mtls")
	}
	proxied := n.Injection != "" && n.Injection != "disabled" && (n.Injection != "enabled" || d.defaultServed || !d.usesRevisions)
	if proxied && d.chance(0.4) {
		n.ClientMTLS = true
	}
	if d.chance(0.25) {
		a := &mesh.Authorization{DefaultDeny: d.chance(0.7), AllowSameNamespace: d.chance(0.5)}
		for _, g := range d.gateways {
			if d.chance(0.4) {
				a.AllowFromGateways = append(a.AllowFromGateways, g.name)
			}
		}
		n.Authorization = a
	}
	if name != d.root && d.chance(0.2) {
		// The root namespace's Sidecar is the mesh-wide one.
		n.Scope = d.namespaceScope()
	}
	if d.ambient && d.chance(0.4) {
		n.Waypoint = d.waypoint(name)
	}
	return n
}
