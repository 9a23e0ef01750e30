package render

import (
	"fmt"
	"slices"

	"github.com/istio-render/istio-render/mesh"
)

// egress renders the external hosts of spec.mesh.egress: a ServiceEntry
// each in the root namespace and, for hosts routed through an egress
// gateway, Istio's egress-gateway pattern (istio.io, "Egress Gateways"):
// a Gateway that accepts the host on the gateway, a VirtualService that
// sends the mesh's calls to the gateway and the gateway's on to the host,
// and per gateway a DestinationRule with a subset per host.
func egress(s *mesh.Spec) []map[string]any {
	var out []map[string]any
	routed := map[string][]*mesh.EgressHost{}
	for i := range s.Mesh.Egress {
		e := &s.Mesh.Egress[i]
		out = append(out, serviceEntry(s.RootNamespace, e))
		if e.Gateway != "" {
			routed[e.Gateway] = append(routed[e.Gateway], e)
		}
	}
	for i := range s.Gateways {
		g := &s.Gateways[i]
		hosts := routed[g.Name]
		if !g.IsEnabled() || len(hosts) == 0 {
			continue
		}
		out = append(out, egressDestinationRule(g, hosts))
		for _, e := range hosts {
			out = append(out, egressGateway(g, e), egressVirtualService(g, e))
		}
	}
	return out
}

// serviceEntry adds an external host to the mesh's registry.
func serviceEntry(ns string, e *mesh.EgressHost) map[string]any {
	ports := make([]any, len(e.Ports))
	for i, p := range e.Ports {
		ports[i] = map[string]any{"number": int64(p.Port), "name": p.Name, "protocol": p.Protocol}
	}
	return object("networking.istio.io/v1", "ServiceEntry", ns, e.EgressName(), map[string]any{
		"hosts":      []any{e.Host},
		"location":   "MESH_EXTERNAL",
		"ports":      ports,
		"resolution": e.Resolution,
	})
}

// gatewayService is the cluster-local host of a gateway's Service.
func gatewayService(g *mesh.Gateway) string {
	return fmt.Sprintf("%s.%s.svc.cluster.local", g.Name, g.Namespace)
}

// egressDestinationRule gives the egress gateway's Service a subset per
// host routed through it, which the VirtualServices route to.
func egressDestinationRule(g *mesh.Gateway, hosts []*mesh.EgressHost) map[string]any {
	names := make([]string, len(hosts))
	for i, e := range hosts {
		names[i] = e.SubsetName()
	}
	slices.Sort(names)
	subsets := make([]any, len(names))
	for i, n := range names {
		subsets[i] = map[string]any{"name": n}
	}
	return object("networking.istio.io/v1", "DestinationRule", g.Namespace, "egress-"+g.Name, map[string]any{
		"host":    gatewayService(g),
		"subsets": subsets,
	})
}

// egressGateway opens the host's ports on the egress gateway: HTTP as
// HTTP, TLS passed through by SNI.
func egressGateway(g *mesh.Gateway, e *mesh.EgressHost) map[string]any {
	selector := map[string]any{}
	for k, v := range g.GatewaySelector() {
		selector[k] = v
	}
	servers := make([]any, len(e.Ports))
	for i, p := range e.Ports {
		server := map[string]any{
			"hosts": []any{e.Host},
			"port":  map[string]any{"number": int64(p.Port), "name": p.Name, "protocol": p.GatewayProtocol()},
		}
		if p.GatewayProtocol() == "TLS" {
			server["tls"] = map[string]any{"mode": "PASSTHROUGH"}
		}
		servers[i] = server
	}
	return object("networking.istio.io/v1", "Gateway", g.Namespace, e.GatewayObjectName(), map[string]any{
		"selector": selector,
		"servers":  servers,
	})
}

// egressVirtualService routes the host's calls from the mesh's proxies to
// the egress gateway, and from the gateway to the host, port by port.
func egressVirtualService(g *mesh.Gateway, e *mesh.EgressHost) map[string]any {
	gw := g.Namespace + "/" + e.GatewayObjectName()
	var http, tls []any
	for _, p := range e.Ports {
		port := int64(p.Port)
		toGateway := []any{map[string]any{"destination": map[string]any{
			"host": gatewayService(g), "subset": e.SubsetName(), "port": map[string]any{"number": port},
		}}}
		toHost := []any{map[string]any{"destination": map[string]any{
			"host": e.Host, "port": map[string]any{"number": port},
		}, "weight": int64(100)}}
		if p.GatewayProtocol() == "HTTP" {
			http = append(http,
				map[string]any{"match": []any{map[string]any{"gateways": []any{"mesh"}, "port": port}}, "route": toGateway},
				map[string]any{"match": []any{map[string]any{"gateways": []any{gw}, "port": port}}, "route": toHost})
			continue
		}
		sni := []any{e.Host}
		tls = append(tls,
			map[string]any{"match": []any{map[string]any{"gateways": []any{"mesh"}, "port": port, "sniHosts": sni}}, "route": toGateway},
			map[string]any{"match": []any{map[string]any{"gateways": []any{gw}, "port": port, "sniHosts": sni}}, "route": toHost})
	}
	spec := map[string]any{
		"hosts":    []any{e.Host},
		"gateways": []any{"mesh", gw},
	}
	if len(http) > 0 {
		spec["http"] = http
	}
	if len(tls) > 0 {
		spec["tls"] = tls
	}
	return object("networking.istio.io/v1", "VirtualService", g.Namespace, e.EgressName(), spec)
}
