package behaviour_test

import (
	"slices"
	"sort"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/istio-render/istio-render/mesh"
)

// gatewayAPIGroup is the API group of the Kubernetes Gateway API.
const gatewayAPIGroup = "gateway.networking.k8s.io"

// routeKind is the kind of route a listener of a protocol takes; "" for
// one the proof binds no route to (TCP, whose TCPRoute is experimental).
func routeKind(protocol string) string {
	switch protocol {
	case "HTTP", "HTTPS":
		return "HTTPRoute"
	case "TLS":
		return "TLSRoute"
	}
	return ""
}

// routeNamespace is the namespace a route to a listener may come from, by
// its allowedRoutes, or "" when none of the world's may: Same is the
// gateway's, All the probe namespace, Selector the first namespace (by
// name) whose labels match.
func (w *world) routeNamespace(gw *mesh.APIGateway, l mesh.Listener) string {
	a := l.AllowedRoutes
	if a != nil && len(a.Kinds) > 0 && !slices.Contains(a.Kinds, routeKind(l.Protocol)) {
		return ""
	}
	switch {
	case a == nil || a.From == "Same":
		return gw.Namespace
	case a.From == "All":
		return probeNamespace
	}
	sel := labels.SelectorFromSet(a.Selector)
	var names []string
	for n := range w.namespaces {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if sel.Matches(labels.Set(w.namespaces[n].Labels)) {
			return n
		}
	}
	return ""
}

// addAPIRoutes binds a route to every Gateway API listener that takes
// one, as an application would: an HTTPRoute (HTTP, HTTPS) or TLSRoute
// (TLS passthrough) for the listener's hostname, from a namespace its
// allowedRoutes admits, to the sample app there. A listener that
// redirects to HTTPS has the render's own redirect route.
func (w *world) addAPIRoutes() {
	for i := range w.b.spec.GatewayAPI.Gateways {
		gw := &w.b.spec.GatewayAPI.Gateways[i]
		for _, l := range gw.Listeners {
			kind := routeKind(l.Protocol)
			if kind == "" || l.HTTPSRedirect {
				continue
			}
			ns := w.routeNamespace(gw, l)
			if ns == "" {
				continue
			}
			w.addSample(ns)
			spec := map[string]any{
				"parentRefs": []any{map[string]any{
					"group": gatewayAPIGroup, "kind": "Gateway",
					"name": gw.Name, "namespace": gw.Namespace, "sectionName": l.Name,
				}},
				"rules": []any{map[string]any{"backendRefs": []any{map[string]any{
					"name": sampleName, "port": int64(samplePort),
				}}}},
			}
			if l.Hostname != "" {
				spec["hostnames"] = []any{l.Hostname}
			}
			w.routes = append(w.routes, &unstructured.Unstructured{Object: map[string]any{
				"apiVersion": gatewayAPIGroup + "/v1",
				"kind":       kind,
				"metadata":   map[string]any{"name": "route-" + gw.Name + "-" + l.Name, "namespace": ns},
				"spec":       spec,
			}})
			w.routed[routeKey(gw.Namespace, gw.Name, l.Name)] = ns
		}
	}
}
