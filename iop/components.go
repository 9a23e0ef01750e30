package iop

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/istio-render/istio-render/mesh"
)

// components maps spec.components.
func (imp *importer) components(c *obj) {
	s := &imp.res.Mesh.Spec
	if base := c.sub("base"); base.m != nil {
		if on, ok := base.boolean("enabled"); ok && !on {
			imp.unmapped(base.at("enabled"), "istio-render always renders the base chart (CRDs and the default validator); leave the CRDs' files out of what you apply if another installation owns them")
		}
		imp.k8sUnmapped(base.sub("k8s"))
		imp.rest(base)
	}
	if pilot := c.sub("pilot"); pilot.m != nil {
		if on, ok := pilot.boolean("enabled"); ok && !on {
			imp.unmapped(pilot.at("enabled"), "istio-render always renders istiod; a cluster without one (a remote cluster) is not supported")
		}
		if ns := pilot.str("namespace"); ns != "" {
			s.RootNamespace = ns
		}
		imp.image(pilot, &s.Values.Istiod)
		imp.deployment(pilot.sub("k8s"), &s.ControlPlane.Workload, &s.Values.Istiod, istiodK8s)
		imp.rest(pilot)
	}
	if cni := c.sub("cni"); cni.m != nil {
		if on, ok := cni.boolean("enabled"); ok {
			s.CNI.Enabled = on
		}
		if ns := cni.str("namespace"); ns != "" {
			s.CNI.Namespace = ns
		}
		imp.image(cni, &s.Values.CNI)
		imp.daemonSet(cni.sub("k8s"), &s.Values.CNI)
		imp.rest(cni)
	}
	if zt := c.sub("ztunnel"); zt.m != nil {
		if on, ok := zt.boolean("enabled"); ok && on {
			if !s.Ambient.Enabled && s.Profile != "ambient" {
				imp.note(zt.at("enabled"), "ztunnel comes with ambient mode: spec.ambient.enabled, which also runs the CNI agent and the charts' ambient profile")
			}
			s.Ambient.Enabled = true
		}
		if ns := zt.str("namespace"); ns != "" && ns != s.RootNamespace && ns != imp.namespace {
			imp.unmapped(zt.at("namespace"), "ztunnel runs in the root namespace (spec.rootNamespace); %q is not carried over", ns)
		}
		imp.image(zt, &s.Values.Ztunnel)
		imp.daemonSet(zt.sub("k8s"), &s.Values.Ztunnel)
		imp.rest(zt)
	}
	if r := c.sub("istiodRemote"); r.m != nil {
		imp.unmapped(r.path, "remote clusters are not supported: istio-render renders clusters with their own istiod")
		r.raw(nil)
	}
	imp.gateways(c, "ingressGateways", "ingress")
	imp.gateways(c, "egressGateways", "egress")
	imp.rest(c)
}

// image maps a component's own hub and tag to its chart's values.
func (imp *importer) image(comp *obj, vals *mesh.Values) {
	s := &imp.res.Mesh.Spec
	if hub := comp.str("hub"); hub != "" && hub != s.Hub {
		setPath(vals, hub, "hub")
	}
	if tag := comp.str("tag"); tag != "" && tag != s.Version {
		setPath(vals, tag, "tag")
	}
}

// gateways maps a list of gateway components. istioctl lays the list over
// the profile's, replacing it; reconcileGateways then makes the spec's
// gateways the same set.
func (imp *importer) gateways(c *obj, key, kind string) {
	v, ok := c.get(key)
	if !ok {
		return
	}
	imp.replaced[kind] = true
	list, _ := v.([]any)
	for i, e := range list {
		g := newObj(fmt.Sprintf("%s[%d]", c.at(key), i), e)
		name := g.str("name")
		if name == "" {
			name = "istio-" + kind + "gateway"
			imp.note(g.path, "a gateway with no name: istioctl renders its objects without a name, which Kubernetes refuses; imported as %s", name)
		}
		gw := imp.gateway(name, kind)
		imp.listed[name] = true
		if on, ok := g.boolean("enabled"); ok && !on {
			f := false
			gw.Enabled = &f
		} else {
			gw.Enabled = nil
		}
		if ns := g.str("namespace"); ns != "" {
			gw.Namespace = ns
		}
		imp.labels(g.sub("label"), gw)
		if g.has("hub") || g.has("tag") {
			g.get("hub")
			g.get("tag")
			imp.unmapped(g.path+".hub", "gateway pods get their proxy image from istiod's injection; set spec.hub and spec.version")
		}
		imp.gatewayK8s(g.sub("k8s"), gw)
		imp.rest(g)
	}
}

// istioctlGateways are the gateways istioctl's profiles enable (true) or
// list disabled (false), by kind.
func istioctlGateways(profile, kind string) map[string]bool {
	if kind == "egress" {
		return map[string]bool{"istio-egressgateway": profile == "demo"}
	}
	switch profile {
	case "minimal", "ambient", "empty", "remote", "openshift-ambient":
		return map[string]bool{"istio-ingressgateway": false}
	}
	return map[string]bool{"istio-ingressgateway": true}
}

// reconcileGateways makes the spec render the gateways istioctl renders:
// those its profile enables unless the IstioOperator lists gateways of
// that kind, and those the list enables. A gateway of the IstioMesh
// profile that istioctl would not render is disabled.
func (imp *importer) reconcileGateways(istioctlProfile string) {
	s := &imp.res.Mesh.Spec
	for _, kind := range []string{"ingress", "egress"} {
		want := map[string]bool{}
		if !imp.replaced[kind] {
			for name, on := range istioctlGateways(istioctlProfile, kind) {
				if on || imp.altEnabled[kind] && name == "istio-"+kind+"gateway" {
					want[name] = true
				}
			}
		}
		for _, g := range s.Gateways {
			if g.Kind == kind && g.IsEnabled() {
				want[g.Name] = true
			}
		}
		for _, name := range slices.Sorted(maps.Keys(want)) {
			imp.gateway(name, kind)
		}
		for _, p := range profileGateways(s.Profile, kind) {
			if !want[p] {
				imp.gateway(p, kind).Enabled = new(bool)
			}
		}
	}
}

// tidyGateways drops gateway entries that say nothing the profile does
// not, and takes the minimal profile for a default one without its
// gateway.
func (imp *importer) tidyGateways() {
	s := &imp.res.Mesh.Spec
	// istio-render's default profile without its gateway is its minimal
	// profile, which renders no mesh-wide policy, as istioctl renders none.
	if s.Profile == "default" && slices.ContainsFunc(s.Gateways, func(g mesh.Gateway) bool {
		return g.Name == "istio-ingressgateway" && !g.IsEnabled()
	}) {
		s.Profile = "minimal"
	}
	// Keep only what differs from the profile: an entry that just names a
	// gateway the profile enables, or disables one it does not add, says
	// nothing.
	kept := s.Gateways[:0]
	for _, g := range s.Gateways {
		inProfile := slices.Contains(profileGateways(s.Profile, g.Kind), g.Name)
		if g.IsEnabled() && isBare(g) && inProfile || !g.IsEnabled() && !inProfile {
			continue
		}
		kept = append(kept, g)
	}
	s.Gateways = kept
}

// isBare reports whether a gateway entry sets nothing but its name and
// kind.
func isBare(g mesh.Gateway) bool {
	return reflect.DeepEqual(g, mesh.Gateway{Name: g.Name, Kind: g.Kind})
}

// gateway returns the spec's gateway of a name, adding it.
func (imp *importer) gateway(name, kind string) *mesh.Gateway {
	s := &imp.res.Mesh.Spec
	for i := range s.Gateways {
		if s.Gateways[i].Name == name {
			return &s.Gateways[i]
		}
	}
	s.Gateways = append(s.Gateways, mesh.Gateway{Name: name, Kind: kind})
	return &s.Gateways[len(s.Gateways)-1]
}

// labels maps a gateway's pod labels. The spec derives app and istio from
// the gateway's name; a different istio label cannot be carried over.
func (imp *importer) labels(l *obj, gw *mesh.Gateway) {
	for _, k := range l.rest() {
		v := fmt.Sprint(l.m[k])
		l.get(k)
		switch {
		case k == "app" && v == gw.Name, k == "istio" && v == strings.TrimPrefix(gw.Name, "istio-"):
		case k == "app" || k == "istio":
			imp.unmapped(l.at(k), "the spec sets %s: %s from the gateway's name %s; Gateway objects that select %s: %s need the gateway renamed", k, mustSelector(gw)[k], gw.Name, k, v)
		default:
			if gw.Labels == nil {
				gw.Labels = map[string]string{}
			}
			gw.Labels[k] = v
		}
	}
}

func mustSelector(gw *mesh.Gateway) map[string]string { return gw.SelectorLabels() }

// legacyGateway records values.gateways.istio-<kind>gateway, the values
// istioctl's gateway charts take for every gateway of that kind; they are
// laid under each gateway's own settings once the components are read.
func (imp *importer) legacyGateway(v *obj, kind string) {
	if v.m == nil {
		return
	}
	d := legacyDefaults{kind: kind}
	if on, ok := v.boolean("enabled"); ok && on {
		imp.altEnabled[kind] = true
	}
	imp.legacyWorkload(v, &d.w, &d.vals)
	d.svc = mesh.GatewayService{Type: v.str("type"), LoadBalancerIP: v.str("loadBalancerIP"), ExternalTrafficPolicy: v.str("externalTrafficPolicy")}
	if ann := v.sub("serviceAnnotations"); ann.m != nil {
		d.svc.Annotations = stringMap(ann)
	}
	if ports, ok := v.get("ports"); ok {
		setPath(&d.vals, ports, "service", "ports")
	}
	if r, ok := v.get("loadBalancerSourceRanges"); ok {
		setPath(&d.vals, r, "service", "loadBalancerSourceRanges")
	}
	v.get("name")
	v.get("labels") // the spec sets them from each gateway's name
	for _, k := range v.rest() {
		v.get(k)
		imp.unmapped(v.at(k), "a setting of istioctl's own gateway chart, which the gateway chart istio-render renders has not; set its counterpart in spec.gateways[].values")
	}
	imp.legacy = append(imp.legacy, d)
}

// legacyDefaults are the values.gateways settings of one kind of gateway.
type legacyDefaults struct {
	kind string
	w    mesh.Workload
	svc  mesh.GatewayService
	vals mesh.Values
}

// applyLegacy lays values.gateways settings under every gateway of their
// kind istioctl renders.
func (imp *importer) applyLegacy() {
	s := &imp.res.Mesh.Spec
	for _, d := range imp.legacy {
		for _, p := range profileGateways(s.Profile, d.kind) {
			if i := slices.IndexFunc(s.Gateways, func(g mesh.Gateway) bool { return g.Name == p }); i < 0 || s.Gateways[i].IsEnabled() {
				imp.gateway(p, d.kind)
			}
		}
		for i := range s.Gateways {
			g := &s.Gateways[i]
			if g.Kind != d.kind || !g.IsEnabled() {
				continue
			}
			fillWorkload(&g.Workload, d.w)
			g.Service.Type = or(g.Service.Type, d.svc.Type)
			g.Service.LoadBalancerIP = or(g.Service.LoadBalancerIP, d.svc.LoadBalancerIP)
			g.Service.ExternalTrafficPolicy = or(g.Service.ExternalTrafficPolicy, d.svc.ExternalTrafficPolicy)
			if g.Service.Annotations == nil {
				g.Service.Annotations = d.svc.Annotations
			}
			for k, v := range d.vals {
				if _, set := g.Values[k]; !set {
					setPath(&g.Values, v, k)
				}
			}
		}
	}
}

// legacyWorkload maps the sizing keys of istioctl's gateway values.
func (imp *importer) legacyWorkload(v *obj, w *mesh.Workload, vals *mesh.Values) {
	auto, autoSet := v.boolean("autoscaleEnabled")
	lo, loSet := v.number("autoscaleMin")
	hi, hiSet := v.number("autoscaleMax")
	n, nSet := v.number("replicaCount")
	switch {
	case autoSet && !auto:
		w.Replicas = &n
		if !nSet {
			one := int32(1)
			w.Replicas = &one
		}
	case loSet || hiSet:
		w.Autoscale = &mesh.Autoscale{Min: or32(lo, loSet, 1), Max: or32(hi, hiSet, 5)}
	case nSet:
		w.Replicas = &n
	}
	if r := imp.resources(v.sub("resources")); r != nil {
		w.Resources = r
	}
	for _, k := range []string{"podAnnotations", "nodeSelector", "tolerations", "affinity", "env", "priorityClassName"} {
		if val, ok := v.get(k); ok {
			setPath(vals, val, k)
		}
	}
}

// fillWorkload sets the fields of a that are unset from b.
func fillWorkload(a *mesh.Workload, b mesh.Workload) {
	if a.Replicas == nil && a.Autoscale == nil {
		a.Replicas, a.Autoscale = b.Replicas, b.Autoscale
	}
	if a.Resources == nil {
		a.Resources = b.Resources
	}
	if a.PodDisruptionBudget == nil {
		a.PodDisruptionBudget = b.PodDisruptionBudget
	}
}

// stringMap reads a mapping of strings.
func stringMap(o *obj) map[string]string {
	out := map[string]string{}
	for _, k := range o.rest() {
		out[k] = fmt.Sprint(o.m[k])
		o.get(k)
	}
	return out
}

// profileGateways are the gateways of kind an IstioMesh profile adds.
func profileGateways(profile, kind string) []string {
	switch {
	case kind == "ingress" && (profile == "default" || profile == "demo" || profile == "production"):
		return []string{"istio-ingressgateway"}
	case kind == "egress" && profile == "demo":
		return []string{"istio-egressgateway"}
	}
	return nil
}
