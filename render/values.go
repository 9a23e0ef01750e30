package render

import (
	"fmt"
	"sort"
	"strings"

	"github.com/istio-render/istio-render/internal/merge"
	"github.com/istio-render/istio-render/mesh"
)

// defaultGatewayPorts are the ports the gateway chart's Service exposes,
// and chartPortNames their names.
var (
	defaultGatewayPorts = map[int32]bool{15021: true, 80: true, 443: true}
	chartPortNames      = map[string]bool{"status-port": true, "http2": true, "https": true}
)

// globals are the values every chart shares.
func globals(s *mesh.Spec, version string) map[string]any {
	g := map[string]any{}
	set(g, s.Hub, "hub")
	set(g, version, "tag")
	set(g, s.Variant, "variant")
	set(g, s.RootNamespace, "istioNamespace")
	set(g, s.Mesh.MeshID, "meshID")
	set(g, s.Mesh.ClusterName, "multiCluster", "clusterName")
	set(g, s.Mesh.Network, "network")
	return g
}

// withProfile sets the charts' own ambient profile when ambient is on.
func withProfile(s *mesh.Spec, v map[string]any) map[string]any {
	if s.Ambient.Enabled {
		v["profile"] = "ambient"
	}
	return v
}

// baseValues configures the base chart (CRDs, default validation webhook).
func baseValues(s *mesh.Spec) map[string]any {
	v := map[string]any{"global": map[string]any{"istioNamespace": s.RootNamespace}}
	if d := s.Istiods()[s.DefaultIstiod()]; d.Revision != "" {
		// The default validating webhook must point at an istiod that
		// exists: the one the tag default (istio-injection=enabled) selects.
		v["defaultRevision"] = d.Revision
	}
	failClosed(s, v)
	baseDayTwo(s, v)
	return withProfile(s, v)
}

// istiodValues configures one istiod release.
func istiodValues(s *mesh.Spec, revision, version string, tags []string) map[string]any {
	cp := &s.ControlPlane
	v := map[string]any{"global": globals(s, version)}
	set(v, revision, "revision")
	if len(tags) > 0 {
		list := make([]any, len(tags))
		for i, t := range tags {
			list[i] = t
		}
		v["revisionTags"] = list
	}
	switch {
	case cp.Replicas != nil:
		v["autoscaleEnabled"] = false
		v["replicaCount"] = int64(*cp.Replicas)
	case cp.Autoscale != nil:
		v["autoscaleEnabled"] = true
		v["autoscaleMin"] = int64(cp.Autoscale.Min)
		v["autoscaleMax"] = int64(cp.Autoscale.Max)
	}
	set(v, resources(cp.Resources), "resources")
	selector := map[string]any{"app": "istiod", "istio.io/rev": or(revision, "default")}
	set(v, spread(cp.TopologySpread, selector), "topologySpreadConstraints")
	set(v, antiAffinity(cp.AntiAffinity, selector), "affinity")
	if wantsBudget(&cp.Workload) {
		v["pdb"] = budget(cp.PodDisruptionBudget)
	} else {
		set(v, false, "global", "defaultPodDisruptionBudget", "enabled")
	}
	if cp.LogLevel != "" {
		set(v, "default:"+cp.LogLevel, "global", "logging", "level")
	}
	set(v, gatewayClasses(s), "gatewayClasses")
	set(v, resources(s.Proxy.Resources), "global", "proxy", "resources")
	set(v, s.Proxy.LogLevel, "global", "proxy", "logLevel")
	if s.CNI.Enabled {
		set(v, true, "cni", "enabled")
	}
	meshConfig(s, v)
	failClosed(s, v)
	istiodDayTwo(s, v)
	return withProfile(s, v)
}

// meshConfig sets MeshConfig: its own fields and the extension providers,
// the tracing provider last. Tracing itself is switched on by the
// Telemetry resource (telemetry.go), not on the legacy path
// (global.proxy.tracer, defaultConfig.tracing, traceSampling), and
// defaultProviders is left to the chart, which keeps Prometheus metrics.
func meshConfig(s *mesh.Spec, v map[string]any) {
	mc := &s.Mesh
	set(v, mc.AccessLogFile, "meshConfig", "accessLogFile")
	set(v, mc.OutboundTrafficPolicy, "meshConfig", "outboundTrafficPolicy", "mode")
	set(v, mc.TrustDomain, "meshConfig", "trustDomain")
	var providers []any
	for _, ep := range mc.ExtensionProviders {
		providers = append(providers, merge.Copy(map[string]any(ep)))
	}
	if t := mc.Tracing; t != nil {
		host, port := splitHostPort(t.Address)
		providers = append(providers, map[string]any{
			"name":     t.TracingProviderName(),
			t.Provider: map[string]any{"service": serviceHost(host), "port": port},
		})
	}
	set(v, providers, "meshConfig", "extensionProviders")
}

// gatewayValues configures one gateway release, injected by revision.
func gatewayValues(s *mesh.Spec, g *mesh.Gateway, revision string) map[string]any {
	v := map[string]any{}
	set(v, revision, "revision")
	switch {
	case g.Replicas != nil:
		set(v, false, "autoscaling", "enabled")
		v["replicaCount"] = int64(*g.Replicas)
	case g.Autoscale != nil:
		set(v, true, "autoscaling", "enabled")
		set(v, int64(g.Autoscale.Min), "autoscaling", "minReplicas")
		set(v, int64(g.Autoscale.Max), "autoscaling", "maxReplicas")
	}
	set(v, resources(g.Resources), "resources")
	if len(g.Labels) > 0 {
		labels := map[string]any{"istio.io/dataplane-mode": "none"}
		for k, val := range g.Labels {
			labels[k] = val
		}
		v["labels"] = labels
	}
	svc := map[string]any{"type": g.Service.Type}
	if len(g.Service.Annotations) > 0 {
		ann := map[string]any{}
		for k, val := range g.Service.Annotations {
			ann[k] = val
		}
		svc["annotations"] = ann
	}
	set(svc, g.Service.LoadBalancerIP, "loadBalancerIP")
	set(svc, g.Service.ExternalTrafficPolicy, "externalTrafficPolicy")
	set(svc, servicePorts(g), "ports")
	v["service"] = svc
	selector := map[string]any{"app": g.Name, "istio": strings.TrimPrefix(g.Name, "istio-")}
	set(v, spread(g.TopologySpread, selector), "topologySpreadConstraints")
	set(v, antiAffinity(g.AntiAffinity, selector), "affinity")
	if wantsBudget(&g.Workload) {
		v["podDisruptionBudget"] = budget(g.PodDisruptionBudget)
	}
	gatewayDayTwo(s, g, v)
	return withProfile(s, v)
}

// extraPorts are Service ports for server ports the chart does not expose,
// and the Service's own extra ports.
func extraPorts(g *mesh.Gateway) []any {
	seen := map[int32]bool{}
	var ports []int32
	names := map[int32]string{}
	for _, sp := range g.Service.Ports {
		seen[sp.Port] = true
		ports = append(ports, sp.Port)
		names[sp.Port] = sp.Name
	}
	for _, sv := range g.AllServers() {
		if defaultGatewayPorts[sv.Port] || seen[sv.Port] {
			continue
		}
		seen[sv.Port] = true
		ports = append(ports, sv.Port)
		names[sv.Port] = sv.Name
		if chartPortNames[sv.Name] {
			// The chart's own Service ports already use this name.
			names[sv.Port] = fmt.Sprintf("%s-%d", strings.ToLower(sv.Protocol), sv.Port)
		}
	}
	sort.Slice(ports, func(i, j int) bool { return ports[i] < ports[j] })
	out := make([]any, len(ports))
	for i, p := range ports {
		out[i] = map[string]any{"name": names[p], "port": int64(p), "protocol": "TCP", "targetPort": int64(p)}
	}
	return out
}

// cniValues configures the CNI node agent of a revision.
func cniValues(s *mesh.Spec, revision, version string) map[string]any {
	v := map[string]any{"global": globals(s, version)}
	set(v, revision, "revision")
	if mesh.KubernetesAtLeast(s.KubernetesVersion, 30) {
		// Kubernetes 1.30 replaced the AppArmor annotation, which servers
		// now warn about, with the securityContext field the chart sets
		// instead when the annotation is off.
		v["useAppArmorAnnotation"] = false
	}
	cniDayTwo(s, v)
	return withProfile(s, v)
}

// ztunnelValues configures the ztunnel node proxy of a revision.
func ztunnelValues(s *mesh.Spec, revision, version string) map[string]any {
	v := map[string]any{"global": globals(s, version)}
	set(v, s.Hub, "hub")
	set(v, version, "tag")
	set(v, s.Variant, "variant")
	set(v, revision, "revision")
	set(v, s.RootNamespace, "istioNamespace")
	set(v, s.Mesh.ClusterName, "multiCluster", "clusterName")
	set(v, s.Mesh.Network, "network")
	ztunnelDayTwo(s, v)
	return withProfile(s, v)
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// splitHostPort splits a validated host:port.
func splitHostPort(addr string) (string, int64) {
	i := strings.LastIndexByte(addr, ':')
	var port int64
	for _, c := range addr[i+1:] {
		port = port*10 + int64(c-'0')
	}
	return addr[:i], port
}

// serviceHost completes a Kubernetes Service address: an extension
// provider names its service by the host name Istio's registry knows it
// by, such as zipkin.istio-system.svc.cluster.local, and istiod finds no
// service for the short forms DNS would resolve (zipkin.istio-system,
// zipkin.istio-system.svc), so tracing would silently stay off. Other
// names are left as they are.
func serviceHost(host string) string {
	switch parts := strings.Split(host, "."); {
	case len(parts) == 2:
		return host + ".svc.cluster.local"
	case len(parts) == 3 && parts[2] == "svc":
		return host + ".cluster.local"
	}
	return host
}
