package iop

import (
	"maps"
	"slices"
	"strings"

	"github.com/istio-render/istio-render/mesh"
)

// Keys of the global values each chart reads besides istiod, which reads
// them all: a raw global goes to the charts that read it. From the charts'
// values.yaml.
var chartGlobals = map[string][]string{
	"base":    {"enableReaderRBAC", "imagePullSecrets", "istioNamespace", "resourceScope"},
	"cni":     {"defaultResources", "hub", "imagePullPolicy", "imagePullSecrets", "logAsJson", "logging", "nativeNftables", "networkPolicy", "resourceScope", "tag", "variant"},
	"ztunnel": {"networkPolicy"},
	"gateway": {"networkPolicy"},
}

// istiodKeys are the istiod chart's top-level values: a key of
// values.pilot, or a top-level key of values, that istiod reads is raw
// istiod values.
var istiodKeys = []string{
	"affinity", "autoscaleBehavior", "configMap", "cpu", "deploymentAnnotations", "deploymentLabels",
	"env", "envVarFrom", "experimental", "extraContainerArgs", "gatewayClasses", "hub", "image",
	"initContainers", "ipFamilies", "ipFamilyPolicy", "istiodRemote", "jwksResolverExtraRootCA",
	"keepaliveMaxServerConnectionAge", "memory", "nodeSelector", "ownerName", "pdb", "podAnnotations",
	"podLabels", "rollingMaxSurge", "rollingMaxUnavailable", "seccompProfile", "serviceAccountAnnotations",
	"serviceAnnotations", "sidecarInjectorWebhook", "sidecarInjectorWebhookAnnotations", "tag", "taint",
	"telemetry", "tolerations", "topologySpreadConstraints", "trustedZtunnelName", "trustedZtunnelNamespace",
	"variant", "volumeMounts", "volumes",
}

// values maps spec.values, the values istioctl gives every chart.
func (imp *importer) values(v *obj) {
	s := &imp.res.Mesh.Spec
	if p := v.str("profile"); p != "" {
		switch p {
		case "ambient":
			s.Ambient.Enabled = true
		default:
			imp.chartProfile = p
		}
	}
	if r := v.str("revision"); r != "" && s.Revision == "" {
		s.Revision = r
	}
	if tags, ok := v.get("revisionTags"); ok {
		list, _ := tags.([]any)
		for _, t := range list {
			if str, ok := t.(string); ok {
				s.RevisionTags = append(s.RevisionTags, str)
			}
		}
	}
	if dr, ok := v.get("defaultRevision"); ok && dr != "" {
		imp.note(v.at("defaultRevision"), "istio-render sets base's defaultRevision to the revision the tag default points at, else spec.revision; tag the revision default to move it")
	}
	if cv := v.str("compatibilityVersion"); cv != "" {
		imp.everyChart("compatibilityVersion", cv)
	}
	if p := v.str("platform"); p != "" {
		imp.platform(p)
	}
	imp.global(v.sub("global"))
	imp.pilot(v.sub("pilot"))
	imp.meshConfig(v.sub("meshConfig"))
	gws := v.sub("gateways")
	imp.legacyGateway(gws.sub("istio-ingressgateway"), "ingress")
	imp.legacyGateway(gws.sub("istio-egressgateway"), "egress")
	imp.rest(gws)
	if cni := v.sub("cni"); cni.m != nil {
		if on, ok := cni.boolean("enabled"); ok && on {
			s.CNI.Enabled = true
		}
		if ns := cni.str("namespace"); ns != "" {
			s.CNI.Namespace = ns
		}
		s.Values.CNI = mergeRaw(s.Values.CNI, cni.raw(nil))
	}
	if zt := v.sub("ztunnel"); zt.m != nil {
		if on, ok := zt.boolean("enabled"); ok && on {
			s.Ambient.Enabled = true
		}
		if rn := zt.str("resourceName"); rn != "" && rn != "ztunnel" {
			setPath(&s.Values.Ztunnel, rn, "resourceName")
		}
		s.Values.Ztunnel = mergeRaw(s.Values.Ztunnel, zt.raw(nil))
	}
	if base := v.sub("base"); base.m != nil {
		base.get("enabled")
		if b := base.raw(nil); len(b) > 0 {
			setPath(&s.Values.Base, b, "base")
		}
	}
	if _, ok := v.get("istio_cni"); ok {
		imp.unmapped(v.at("istio_cni"), "not a value of Istio's charts any more; enable the CNI agent with spec.cni.enabled")
	}
	for _, k := range v.rest() {
		if slices.Contains(istiodKeys, k) {
			setPath(&s.Values.Istiod, v.m[k], k)
			v.get(k)
			continue
		}
		v.get(k)
		imp.unmapped(v.at(k), "no chart istio-render renders reads values.%s; nothing was carried over", k)
	}
}

// global maps values.global.
func (imp *importer) global(g *obj) {
	s := &imp.res.Mesh.Spec
	if hub := g.str("hub"); hub != "" {
		s.Hub = hub
	}
	imp.tag(g.at("tag"), g.str("tag"))
	if v := g.str("variant"); v != "" {
		s.Variant = v
	}
	if ns := g.str("istioNamespace"); ns != "" {
		s.RootNamespace = ns
	}
	if id := g.str("meshID"); id != "" {
		s.Mesh.MeshID = id
	}
	if n := g.str("network"); n != "" {
		s.Mesh.Network = n
	}
	mc := g.sub("multiCluster")
	if cn := mc.str("clusterName"); cn != "" {
		s.Mesh.ClusterName = cn
	}
	if rest := mc.raw(nil); len(rest) > 0 {
		setPath(&s.Values.Istiod, rest, "global", "multiCluster")
	}
	if lvl := g.sub("logging").str("level"); lvl != "" {
		if l, ok := strings.CutPrefix(lvl, "default:"); ok && !strings.Contains(l, ",") && slices.Contains([]string{"debug", "info", "warn", "error"}, l) {
			s.ControlPlane.LogLevel = l
		} else {
			setPath(&s.Values.Istiod, lvl, "global", "logging", "level")
		}
	}
	proxy := g.sub("proxy")
	if r := imp.resources(proxy.sub("resources")); r != nil {
		s.Proxy.Resources = r
	}
	if l := proxy.str("logLevel"); l != "" {
		s.Proxy.LogLevel = l
	}
	if rest := proxy.raw(nil); len(rest) > 0 {
		setPath(&s.Values.Istiod, rest, "global", "proxy")
	}
	if _, ok := g.get("mtls"); ok {
		imp.unmapped(g.at("mtls"), "not a value of Istio's charts any more (istioctl refuses it); for mesh-wide mutual TLS set spec.mesh.mtls: STRICT, which renders a PeerAuthentication")
	}
	for _, k := range g.rest() {
		val := g.m[k]
		g.get(k)
		setPath(&s.Values.Istiod, val, "global", k)
		for _, chart := range slices.Sorted(maps.Keys(chartGlobals)) {
			if slices.Contains(chartGlobals[chart], k) {
				imp.shared = append(imp.shared, sharedValue{chart, []string{"global", k}, val})
			}
		}
	}
}

// chartValues returns the raw values of a chart.
func (imp *importer) chartValues(chart string) *mesh.Values {
	vs := &imp.res.Mesh.Spec.Values
	switch chart {
	case "base":
		return &vs.Base
	case "cni":
		return &vs.CNI
	case "ztunnel":
		return &vs.Ztunnel
	case "gateway":
		return &vs.Gateway
	}
	return &vs.Istiod
}

// pilot maps values.pilot, istiod's values.
func (imp *importer) pilot(p *obj) {
	s := &imp.res.Mesh.Spec
	cp := &s.ControlPlane
	p.get("enabled")
	p.sub("cni").get("enabled") // set from components.cni
	auto, autoSet := p.boolean("autoscaleEnabled")
	lo, loSet := p.number("autoscaleMin")
	hi, hiSet := p.number("autoscaleMax")
	n, nSet := p.number("replicaCount")
	switch {
	case autoSet && !auto && nSet:
		cp.Replicas, cp.Autoscale = &n, nil
	case autoSet && !auto:
		one := int32(1)
		cp.Replicas, cp.Autoscale = &one, nil
	case loSet || hiSet:
		cp.Autoscale = &mesh.Autoscale{Min: or32(lo, loSet, 1), Max: or32(hi, hiSet, 5)}
	case nSet:
		cp.Replicas = &n
		imp.note(p.at("replicaCount"), "with autoscaling on, istioctl keeps istiod's autoscaler beside the count, which then decides; the spec runs replicas: %d without one (use autoscale {min, max} to keep one)", n)
	}
	if r := imp.resources(p.sub("resources")); r != nil {
		cp.Resources = r
	}
	if p.has("traceSampling") {
		// Left in the raw values, where it keeps its legacy meaning: the
		// sampling of a tracer configured on the legacy path. spec.mesh.tracing
		// needs the collector's address, which the legacy path keeps
		// elsewhere.
		imp.note(p.at("traceSampling"), "kept in spec.values.istiod, Istio's legacy path; to trace through the Telemetry API, set spec.mesh.tracing {provider, address, sampling} and remove it")
	}
	if pdb := p.sub("podDisruptionBudget"); pdb.m != nil {
		imp.unmapped(pdb.path, "not read by the istiod chart; set spec.controlPlane.podDisruptionBudget")
		pdb.raw(nil)
	}
	if rest := p.raw(nil); len(rest) > 0 {
		s.Values.Istiod = mergeRaw(s.Values.Istiod, rest)
	}
}

func or32(v int32, set bool, def int32) int32 {
	if set {
		return v
	}
	return def
}

// meshConfig maps spec.meshConfig and values.meshConfig: the settings the
// spec names to its fields, the rest to istiod's meshConfig values.
func (imp *importer) meshConfig(mc *obj) {
	if mc.m == nil {
		return
	}
	s := &imp.res.Mesh.Spec
	if f := mc.str("accessLogFile"); f != "" {
		s.Mesh.AccessLogFile = f
	}
	if mode := mc.sub("outboundTrafficPolicy").str("mode"); mode != "" {
		s.Mesh.OutboundTrafficPolicy = mode
	}
	if td := mc.str("trustDomain"); td != "" {
		s.Mesh.TrustDomain = td
	}
	otp := mc.sub("outboundTrafficPolicy")
	if rest := otp.raw(nil); len(rest) > 0 {
		setPath(&s.Values.Istiod, rest, "meshConfig", "outboundTrafficPolicy")
	}
	if rest := mc.raw(nil); len(rest) > 0 {
		cur, _ := s.Values.Istiod["meshConfig"].(map[string]any)
		setPath(&s.Values.Istiod, mergeRaw(cur, rest), "meshConfig")
	}
}

// resources maps a container's requests and limits; quantities other than
// cpu and memory are reported.
func (imp *importer) resources(r *obj) *mesh.Resources {
	if r.m == nil {
		return nil
	}
	out := &mesh.Resources{}
	for _, part := range []string{"requests", "limits"} {
		q := r.sub(part)
		if q.m == nil {
			continue
		}
		a := &mesh.ResourceAmounts{CPU: mesh.Quantity(q.str("cpu")), Memory: mesh.Quantity(q.str("memory"))}
		for _, k := range q.rest() {
			q.get(k)
			imp.unmapped(q.at(k), "the spec sizes cpu and memory; set %s in the chart's raw values (spec.values)", k)
		}
		if a.CPU != "" || a.Memory != "" {
			if part == "requests" {
				out.Requests = a
			} else {
				out.Limits = a
			}
		}
	}
	imp.rest(r)
	if out.Requests == nil && out.Limits == nil {
		return nil
	}
	return out
}

// mergeRaw lays b over a, key by key at the top.
func mergeRaw(a mesh.Values, b map[string]any) mesh.Values {
	if len(b) == 0 {
		return a
	}
	if a == nil {
		a = mesh.Values{}
	}
	for k, v := range b {
		a[k] = v
	}
	return a
}
