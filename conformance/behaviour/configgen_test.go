package behaviour_test

import (
	"fmt"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

// proveConfigGen runs every proxy's configuration through the istiod
// that serves it (the one that injected it, or, for Gateway API gateways
// and waypoints, deployed it) and returns what differs from the spec.
func proveConfigGen(t *testing.T, w *world, ds []*istiod, pods []admitted) []string {
	s := w.b.spec
	objs := clusterObjects(t, w, pods)
	cfgs := istioConfigs(t, objs)
	kube := kubeObjects(t, w, objs)
	var problems []string
	checked := map[string]bool{}
	gatewayPods := map[string]*corev1.Pod{}
	for _, a := range pods {
		if a.gateway != nil && a.pod != nil {
			gatewayPods[a.gateway.Name] = a.pod
		}
	}
	for _, d := range ds {
		var mine []admitted
		for _, a := range pods {
			switch {
			case a.pod == nil || proxyContainer(a.pod) == nil:
			case a.generatedBy == d.revision:
				mine = append(mine, a)
			case len(a.calls) > 0 && a.calls[len(a.calls)-1].revision == d.revision:
				mine = append(mine, a)
			}
		}
		if len(mine) == 0 {
			continue
		}
		f := newDiscovery(t, w, d, kube, cfgs)
		for _, a := range mine {
			p, err := proxyOf(f, d, a)
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s: proxy: %v", a.id(), err))
				continue
			}
			switch {
			case a.sample:
				t.Logf("configgen: sidecar %s/%s (istiod %s)", a.namespace, a.name, d.revision)
				problems = append(problems, checkSidecar(t, f, w, p, a.namespace, gatewayPods)...)
			case a.gateway != nil:
				checked["gateway "+a.gateway.Namespace+"/"+a.gateway.Name] = true
				t.Logf("configgen: gateway %s/%s (istiod %s)", a.gateway.Namespace, a.gateway.Name, d.revision)
				problems = append(problems, checkGateway(t, f, w, a.gateway, p)...)
			case a.apiGateway != nil:
				checked["Gateway API gateway "+a.apiGateway.Namespace+"/"+a.apiGateway.Name] = true
				t.Logf("configgen: Gateway API gateway %s/%s (istiod %s)", a.apiGateway.Namespace, a.apiGateway.Name, d.revision)
				problems = append(problems, checkAPIGateway(t, f, w, a.apiGateway, p)...)
			case a.waypoint != nil:
				checked["waypoint "+a.namespace+"/"+a.waypoint.Name] = true
				t.Logf("configgen: waypoint %s/%s (istiod %s)", a.namespace, a.waypoint.Name, d.revision)
				problems = append(problems, checkWaypoint(t, f, w, a.namespace, a.waypoint, p, gatewayPods)...)
			}
		}
	}
	for _, g := range s.Gateways {
		if id := "gateway " + g.Namespace + "/" + g.Name; g.IsEnabled() && len(gatewayObjects(&g)) > 0 && !checked[id] {
			problems = append(problems, id+": no gateway proxy to generate configuration for")
		}
	}
	for _, gw := range s.GatewayAPI.Gateways {
		if id := "Gateway API gateway " + gw.Namespace + "/" + gw.Name; !checked[id] {
			problems = append(problems, id+": no gateway proxy to generate configuration for")
		}
	}
	for _, n := range s.Namespaces {
		if n.Waypoint != nil && !checked["waypoint "+n.Name+"/"+n.Waypoint.Name] {
			problems = append(problems, "waypoint "+n.Name+"/"+n.Waypoint.Name+": no waypoint proxy to generate configuration for")
		}
	}
	return problems
}
