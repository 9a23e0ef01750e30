package behaviour_test

import (
	"fmt"
	"testing"

	listener "github.com/envoyproxy/go-control-plane/envoy/config/listener/v3"
	corev1 "k8s.io/api/core/v1"

	"istio.io/istio/pilot/pkg/model"
	"istio.io/istio/pilot/test/xds"
	"istio.io/istio/pilot/test/xdstest"

	"github.com/istio-render/istio-render/mesh"
)

// waypointListener is the internal listener a waypoint terminates HBONE
// into; it holds a filter chain per service the waypoint serves.
const waypointListener = "main_internal"

// checkWaypoint checks the Envoy configuration istiod generates for a
// namespace's waypoint. Istio's request simulation does not model
// waypoints, so this reads the configuration: a waypoint for service (or
// all) traffic has a chain for the namespace's sample Service, named after
// its inbound-vip cluster, which exists; one for workload traffic or none
// has none; the chain carries the metrics filter, the spec's tracing and
// access log, and, since the waypoint is where the namespace's service
// traffic is authorized with the caller's identity, the namespace's
// authorization.
func checkWaypoint(t *testing.T, f *xds.FakeDiscoveryServer, w *world, ns string, wp *mesh.Waypoint, p *model.Proxy, gateways map[string]*corev1.Pod) []string {
	where := fmt.Sprintf("waypoint %s/%s (for %s)", ns, wp.Name, wp.For)
	var problems []string
	report := func(format string, args ...any) {
		problems = append(problems, where+": "+fmt.Sprintf(format, args...))
	}
	name := fmt.Sprintf("inbound-vip|%d|http|%s.%s.svc.cluster.local", samplePort, sampleName, ns)
	l := xdstest.ExtractListener(waypointListener, f.Listeners(p))
	var fc *listener.FilterChain
	for _, c := range l.GetFilterChains() {
		if c.GetName() == name {
			fc = c
		}
	}
	cluster := xdstest.ExtractClusters(f.Clusters(p))[name]
	w.tally.add("waypoint: the traffic it serves")
	services := wp.For == "service" || wp.For == "all"
	switch {
	case services && (fc == nil || cluster == nil):
		report("does not serve Service %s.%s: no chain and cluster %s (listeners %v)", sampleName, ns, name, xdstest.ExtractListenerNames(f.Listeners(p)))
		return problems
	case !services && (fc != nil || cluster != nil):
		report("serves Service %s.%s, but the spec asks it to handle %s traffic", sampleName, ns, wp.For)
		return problems
	case !services:
		return nil
	}
	if !w.metrics(t, fc) {
		report("chain %q has no %s filter: no request metrics", name, statsFilter)
	}
	problems = append(problems, checkTracing(t, w, fc, where)...)
	problems = append(problems, checkAccessLog(t, w, fc, where)...)
	problems = append(problems, prefix(where+": ", checkAuthorization(t, w, fc, ns, gateways))...)
	return problems
}
