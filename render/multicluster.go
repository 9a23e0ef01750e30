package render

import (
	"fmt"

	"github.com/istio-render/istio-render/charts"
	"github.com/istio-render/istio-render/mesh"
)

// eastWestPorts are the network gateway's ports, as the gateway chart's
// networkGatewayPorts name them: health, cross-network mTLS, and istiod's
// xDS and webhook ports.
var eastWestPorts = []struct {
	name string
	port int64
}{{"status-port", 15021}, {"tls", 15443}, {"tls-istiod", 15012}, {"tls-webhook", 15017}}

// multiclusterIstiod configures istiod for the cluster's model: on the
// primary of remote clusters, istiod also serves them (externalIstiod); on
// a remote cluster the chart's remote profile renders no istiod, only the
// webhooks and a Service that lead to the primary's istiod at the
// discovery address, with the cluster and network in the injection path.
func multiclusterIstiod(s *mesh.Spec, v map[string]any) {
	m := s.Multicluster
	if m == nil {
		return
	}
	switch m.Model {
	case mesh.ModelPrimaryRemote:
		set(v, true, "global", "externalIstiod")
	case mesh.ModelRemote:
		v["profile"] = "remote"
		set(v, m.DiscoveryAddress, "global", "remotePilotAddress")
		path := "/inject/cluster/" + s.Mesh.ClusterName
		if s.Mesh.Network != "" {
			path += "/net/" + s.Mesh.Network
		}
		set(v, path, "istiodRemote", "injectionPath")
	}
}

// remoteBase gives the base chart the remote profile on a remote cluster.
func remoteBase(s *mesh.Spec, v map[string]any) {
	if s.IsRemote() {
		v["profile"] = "remote"
	}
}

// eastWestRelease is the east-west gateway's release: the gateway chart as
// a network gateway for spec.mesh.network. Its Service ports are the
// chart's network ports; they are also given as service.ports, which the
// Service ignores for a network gateway, so that the chart's NetworkPolicy
// admits them.
//
// Like a gateway without a revision of its own, it is injected by the
// default control plane and rendered from that control plane's charts.
func eastWestRelease(s *mesh.Spec, srcs []*charts.Source) []*release {
	m := s.Multicluster
	if m == nil || m.EastWestGateway == nil {
		return nil
	}
	g := m.EastWestGateway.Gateway()
	ds := s.Istiods()
	d, version := 0, s.Version
	if s.UsesRevisions() {
		d = s.ServingIstiod(ds[s.DefaultIstiod()].Label())
		version = ds[d].Version
	}
	v := gatewayValues(s, g, gatewayRevision(s, g))
	v["networkGateway"] = s.Mesh.Network
	ports := make([]any, len(eastWestPorts))
	for i, p := range eastWestPorts {
		ports[i] = map[string]any{"name": p.name, "port": p.port, "protocol": "TCP", "targetPort": p.port}
	}
	v["service"].(map[string]any)["ports"] = ports
	var raw []rawValues
	if len(s.Values.Gateway) > 0 {
		raw = []rawValues{{"spec.values.gateway", s.Values.Gateway}}
	}
	return []*release{{
		Release: Release{
			Component: ComponentGatewayPrefix + g.Name, Chart: charts.Gateway, Name: g.Name,
			Namespace: g.Namespace, KubeVersion: s.ChartKubernetesVersion(), Charts: ds[d].Charts,
		},
		src: srcs[d], istioVersion: version, own: v, raw: raw,
	}}
}

// multiclusterObjects renders the Gateway objects beside the east-west
// gateway, as Istio's samples/multicluster write them: on a primary, the
// cross-network Gateway that passes mTLS for every *.local service through
// on 15443; on the primary of remote clusters also istiod's Gateway and
// VirtualService on 15012 (xDS) and 15017 (webhooks). A remote cluster
// renders neither: the primary's istiod reads these from the primary.
func multiclusterObjects(s *mesh.Spec) []map[string]any {
	m := s.Multicluster
	if m == nil || m.EastWestGateway == nil || m.Model == mesh.ModelRemote {
		return nil
	}
	g := m.EastWestGateway.Gateway()
	selector := map[string]any{}
	for k, v := range g.GatewaySelector() {
		selector[k] = v
	}
	out := []map[string]any{object("networking.istio.io/v1", "Gateway", g.Namespace, "cross-network-gateway", map[string]any{
		"selector": selector,
		"servers": []any{map[string]any{
			"port":  map[string]any{"number": int64(15443), "name": "tls", "protocol": "TLS"},
			"tls":   map[string]any{"mode": "AUTO_PASSTHROUGH"},
			"hosts": []any{"*.local"},
		}},
	})}
	if m.Model != mesh.ModelPrimaryRemote {
		return out
	}
	passthrough := func(name string, port int64) any {
		return map[string]any{
			"port":  map[string]any{"number": port, "name": name, "protocol": "TLS"},
			"tls":   map[string]any{"mode": "PASSTHROUGH"},
			"hosts": []any{"*"},
		}
	}
	istiod := fmt.Sprintf("%s.%s.svc.cluster.local", istiodRelease(s.Istiods()[s.DefaultIstiod()].Revision), s.RootNamespace)
	route := func(port, to int64) any {
		return map[string]any{
			"match": []any{map[string]any{"port": port, "sniHosts": []any{"*"}}},
			"route": []any{map[string]any{"destination": map[string]any{"host": istiod, "port": map[string]any{"number": to}}}},
		}
	}
	return append(out,
		object("networking.istio.io/v1", "Gateway", g.Namespace, "istiod-gateway", map[string]any{
			"selector": selector,
			"servers":  []any{passthrough("tls-istiod", 15012), passthrough("tls-istiodwebhook", 15017)},
		}),
		object("networking.istio.io/v1", "VirtualService", g.Namespace, "istiod-vs", map[string]any{
			"hosts":    []any{"*"},
			"gateways": []any{"istiod-gateway"},
			"tls":      []any{route(15012, 15012), route(15017, 443)},
		}))
}
