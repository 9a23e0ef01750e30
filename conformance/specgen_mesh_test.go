package conformance_test

import (
	"fmt"
	"math"
	"slices"

	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/istio-render/istio-render/mesh"
)

// workload sizes and places a Deployment. base is what the profile sets
// for it (nil when nothing): a list of named items is merged key by key
// over its profile's, so the generator keeps to the profile's choice of
// replicas or autoscale, and of minAvailable or maxUnavailable, rather
// than set both.
func (d *draft) workload(base *mesh.Workload) mesh.Workload {
	if base == nil {
		base = &mesh.Workload{}
	}
	var w mesh.Workload
	fixed := base.Replicas != nil || base.Autoscale == nil && d.chance(0.5)
	switch {
	case d.chance(0.4):
	case fixed && base.Autoscale == nil:
		w.Replicas = ptr(pick(d.gen, int32(1), 2, 3, 10, math.MaxInt32))
	case base.Replicas == nil:
		lo := pick(d.gen, int32(1), 2, 3)
		w.Autoscale = &mesh.Autoscale{Min: lo, Max: pick(d.gen, lo, lo+1, 100, math.MaxInt32)}
	}
	if d.chance(0.4) {
		w.Resources = d.resources(base.Resources != nil)
	}
	if d.chance(0.4) {
		w.PodDisruptionBudget = d.budget(base, &w)
	}
	if d.chance(0.3) {
		keys := []string{"topology.kubernetes.io/zone", "kubernetes.io/hostname", "topology.kubernetes.io/region", d.qualifiedName()}
		for _, k := range keys[:1+d.intn(len(keys))] {
			ts := mesh.TopologySpread{TopologyKey: k, WhenUnsatisfiable: d.enumOrEmpty("spec.controlPlane.topologySpread[].whenUnsatisfiable")}
			if d.chance(0.6) {
				ts.MaxSkew = pick(d.gen, int32(1), 2, 5, math.MaxInt32)
			}
			w.TopologySpread = append(w.TopologySpread, ts)
		}
		if len(base.TopologySpread) > 0 {
			// Lists without names replace the profile's; keep its keys out.
			w.TopologySpread = nil
		}
	}
	w.AntiAffinity = d.enumOrEmpty("spec.controlPlane.antiAffinity")
	w.Scheduling = d.scheduling()
	return w
}

// minReplicas is the fewest replicas the merged workload runs.
func minReplicas(base, w *mesh.Workload) int32 {
	switch {
	case w.Replicas != nil:
		return *w.Replicas
	case w.Autoscale != nil:
		return w.Autoscale.Min
	}
	return base.MinReplicas()
}

// budget returns a PodDisruptionBudget setting that lets a pod be
// evicted: off, a count below the replicas, or a percentage.
func (d *draft) budget(base, w *mesh.Workload) *mesh.PodDisruptionBudget {
	b := &mesh.PodDisruptionBudget{}
	if d.chance(0.2) {
		b.Enabled = ptr(d.chance(0.5))
		return b
	}
	n := minReplicas(base, w)
	useMax := base.PodDisruptionBudget == nil || base.PodDisruptionBudget.MaxUnavailable != nil
	if base.PodDisruptionBudget == nil {
		useMax = d.chance(0.5)
	}
	if useMax {
		if d.chance(0.5) {
			b.MaxUnavailable = &mesh.IntOrString{Int: ptr(pick(d.gen, int32(1), 2, math.MaxInt32))}
		} else {
			b.MaxUnavailable = &mesh.IntOrString{Str: ptr(pick(d.gen, "1%", "25%", "100%"))}
		}
		return b
	}
	if n >= 3 && d.chance(0.5) {
		b.MinAvailable = &mesh.IntOrString{Int: ptr(n - 1)}
	} else if n <= 1 && d.chance(0.5) {
		b.MinAvailable = &mesh.IntOrString{Int: ptr(int32(1))}
	} else {
		b.MinAvailable = &mesh.IntOrString{Str: ptr(pick(d.gen, "1%", "50%", "99%"))}
	}
	return b
}

// resources returns requests and limits, each request at most its limit;
// all four when they are merged over a profile's, which could otherwise
// keep a limit below a new request. The charts merge their own requests
// and limits under the spec's, so a request set alone is at most the
// lowest limit of a chart (the gateway, proxy and waypoint limits of
// 2 CPUs and 1Gi), and a limit set alone at least the highest request
// (istiod's 500m and 2048Mi).
func (d *draft) resources(all bool) *mesh.Resources {
	cpus := []string{"1m", "10m", "100m", "500m", "0.5", "1", "2", "1500m", "64", "0.001"}
	mems := []string{"1", "64Mi", "128Mi", "512M", "1Gi", "1.5Gi", "134217728", "2G", "1Ti", "128974848", "2Gi", "4Gi"}
	// amounts returns a request and a limit; each is "" when it is left
	// out.
	amounts := func(values []string, loneRequest, loneLimit string) (string, string) {
		within := func(keep func(q *resource.Quantity) bool) []string {
			var out []string
			for _, v := range values {
				if q := resource.MustParse(v); keep(&q) {
					out = append(out, v)
				}
			}
			return out
		}
		switch {
		case !all && d.chance(0.2):
			return "", ""
		case !all && d.chance(0.2):
			bound := resource.MustParse(loneRequest)
			return pick(d.gen, within(func(q *resource.Quantity) bool { return q.Cmp(bound) <= 0 })...), ""
		case !all && d.chance(0.2):
			bound := resource.MustParse(loneLimit)
			return "", pick(d.gen, within(func(q *resource.Quantity) bool { return q.Cmp(bound) >= 0 })...)
		}
		a, b := pick(d.gen, values...), pick(d.gen, values...)
		if qa, qb := resource.MustParse(a), resource.MustParse(b); qa.Cmp(qb) > 0 {
			a, b = b, a
		}
		return a, b
	}
	cpuReq, cpuLim := amounts(cpus, "2", "500m")
	memReq, memLim := amounts(mems, "1Gi", "2048Mi")
	req := &mesh.ResourceAmounts{CPU: mesh.Quantity(cpuReq), Memory: mesh.Quantity(memReq)}
	lim := &mesh.ResourceAmounts{CPU: mesh.Quantity(cpuLim), Memory: mesh.Quantity(memLim)}
	r := &mesh.Resources{}
	if *req != (mesh.ResourceAmounts{}) {
		r.Requests = req
	}
	if *lim != (mesh.ResourceAmounts{}) {
		r.Limits = lim
	}
	return r
}

// extensionProviderKinds are the provider kinds of Istio's MeshConfig
// that spec.mesh.extensionProviders take, with a configuration of each.
var extensionProviderKinds = map[string]func(d *draft) map[string]any{
	"envoyOtelAls":      serviceProvider,
	"opentelemetry":     serviceProvider,
	"zipkin":            serviceProvider,
	"skywalking":        serviceProvider,
	"envoyHttpAls":      serviceProvider,
	"envoyTcpAls":       serviceProvider,
	"envoyExtAuthzHttp": serviceProvider,
	"envoyExtAuthzGrpc": serviceProvider,
	"datadog":           serviceProvider,
	"lightstep":         serviceProvider,
	"opencensus":        serviceProvider,
	"envoyFileAccessLog": func(d *draft) map[string]any {
		return map[string]any{"path": pick(d.gen, "/dev/stdout", "/var/log/ünïcode.log")}
	},
	"prometheus":  func(*draft) map[string]any { return map[string]any{} },
	"stackdriver": func(*draft) map[string]any { return map[string]any{} },
	"sds":         func(d *draft) map[string]any { return map[string]any{"name": pick(d.gen, words...)} },
}

// serviceProvider is the configuration of a provider reached at a
// service and port.
func serviceProvider(d *draft) map[string]any {
	return map[string]any{
		"service": pick(d.gen, "otel-collector.observability.svc.cluster.local", "collector", d.hostName(false)),
		"port":    int64(pick(d.gen, 1, 4317, 9411, 65535)),
	}
}

// meshConfig generates spec.mesh: policy, tracing, extension providers
// and the mesh's identity.
func (d *draft) meshConfig() {
	mc := &d.s.Mesh
	mc.MTLS = d.enumOrEmpty("spec.mesh.mtls")
	d.meshMTLS = mc.MTLS
	if d.meshMTLS == "" {
		d.meshMTLS = d.base.Spec.Mesh.MTLS
	}
	mc.OutboundTrafficPolicy = d.enumOrEmpty("spec.mesh.outboundTrafficPolicy")
	if d.chance(0.3) {
		mc.AccessLogFile = pick(d.gen, "/dev/stdout", "/var/log/istio/access.log", "/tmp/zugriff-ü.log", "/")
	}
	if d.chance(0.35) {
		t := &mesh.Tracing{Provider: d.enumOrEmpty("spec.mesh.tracing.provider")}
		t.Address = fmt.Sprintf("%s:%d", pick(d.gen, "zipkin.istio-system", "Jaeger-Collector.Observability", "10.0.0.7", "a", "collector.example.com"), pick(d.gen, 1, 9411, 4317, 65535))
		if d.chance(0.6) {
			t.Sampling = ptr(pick(d.gen, 0.001, 0.01, 1, 12.5, 99.99, 100))
		}
		mc.Tracing = t
	}
	taken := map[string]bool{"zipkin": true, "opentelemetry": true}
	for _, ep := range d.base.Spec.Mesh.ExtensionProviders {
		name, _ := ep["name"].(string)
		taken[name] = true
	}
	kinds := make([]string, 0, len(extensionProviderKinds))
	for k := range extensionProviderKinds {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for range d.intn(4) {
		name := d.dnsLabel(63, false)
		if taken[name] {
			continue
		}
		taken[name] = true
		kind := pick(d.gen, kinds...)
		mc.ExtensionProviders = append(mc.ExtensionProviders, mesh.Values{"name": name, kind: extensionProviderKinds[kind](d)})
	}
	if d.chance(0.3) {
		mc.TrustDomain = pick(d.gen, mesh.DefaultTrustDomain, "example.org", d.dnsSubdomain(253))
	}
	if d.chance(0.3) {
		mc.MeshID = d.labelValue()
	}
	if d.chance(0.3) {
		mc.ClusterName = d.labelValue()
	}
	if d.chance(0.3) {
		mc.Network = d.labelValue()
	}
}
