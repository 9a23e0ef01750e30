package behaviour_test

import (
	"errors"
	"fmt"
	"testing"

	listener "github.com/envoyproxy/go-control-plane/envoy/config/listener/v3"

	"istio.io/istio/pilot/pkg/model"
	"istio.io/istio/pilot/pkg/simulation"
	"istio.io/istio/pilot/test/xds"
	"istio.io/istio/pilot/test/xdstest"

	"github.com/istio-render/istio-render/mesh"
)

// listenerHost is a concrete host a listener's hostname accepts.
func listenerHost(l mesh.Listener) string {
	if l.Hostname == "" {
		return "www.example.test"
	}
	return sampleHost(l.Hostname)
}

// redirectsToHTTPS reports whether the route a simulated call matched
// answers with a redirect to https, as a Gateway API RequestRedirect
// filter does (the simulation reports only the classic require_tls).
func redirectsToHTTPS(t *testing.T, sim *simulation.Simulation, fc *listener.FilterChain, r simulation.Result) bool {
	if fc == nil || r.RouteMatched == "" {
		return false
	}
	rc := xdstest.ExtractHTTPConnectionManager(t, fc).GetRouteConfig()
	if rc == nil {
		rc = xdstest.ExtractRouteConfigurations(sim.Routes)[r.RouteConfigMatched]
	}
	for _, vh := range rc.GetVirtualHosts() {
		if vh.GetName() != r.VirtualHostMatched {
			continue
		}
		for _, rt := range vh.GetRoutes() {
			if rt.GetName() == r.RouteMatched {
				rd := rt.GetRedirect()
				return rd.GetSchemeRedirect() == "https" || rd.GetHttpsRedirect()
			}
		}
	}
	return false
}

// checkAPIGateway checks the Envoy configuration istiod generates for a
// Gateway API gateway's pod against the spec's listeners: a listener on
// each port; plain HTTP redirected to HTTPS or routed; TLS terminated
// with the certificateRefs' Secrets for the listener's hostname, or
// passed through by SNI without termination; the metrics filter, tracing
// and access log on every HTTP chain.
func checkAPIGateway(t *testing.T, f *xds.FakeDiscoveryServer, w *world, gw *mesh.APIGateway, p *model.Proxy) []string {
	var problems []string
	sim := simulation.NewSimulation(t, f, p)
	for _, l := range gw.Listeners {
		where := fmt.Sprintf("Gateway API gateway %s/%s: listener %s (%s %d)", gw.Namespace, gw.Name, l.Name, l.Protocol, l.Port)
		report := func(format string, args ...any) {
			problems = append(problems, where+": "+fmt.Sprintf(format, args...))
		}
		if listenerByName(sim.Listeners, fmt.Sprintf("0.0.0.0_%d", l.Port)) == nil {
			report("no listener 0.0.0.0_%d (listeners: %v)", l.Port, xdstest.ExtractListenerNames(sim.Listeners))
			continue
		}
		w.tally.add("Gateway API listener: listener")
		routeNS := w.routed[routeKey(gw.Namespace, gw.Name, l.Name)]
		wantCluster := fmt.Sprintf("outbound|%d||%s.%s.svc.cluster.local", samplePort, sampleName, routeNS)
		h := listenerHost(l)
		var fc *listener.FilterChain
		switch {
		case l.Protocol == "TLS" && l.TLS != nil && l.TLS.Mode == "Passthrough":
			w.tally.add("Gateway API listener: TLS passthrough")
			var r simulation.Result
			r, fc = run(sim, simulation.Call{Port: int(l.Port), Protocol: simulation.TCP, TLS: simulation.TLS, Sni: h, CallMode: simulation.CallModeGateway})
			if fc == nil {
				report("no filter chain passes TLS for %s through: %v", h, r.Error)
				continue
			}
			if fc.GetTransportSocket() != nil {
				report("passthrough chain %q terminates TLS", r.FilterChainMatched)
			}
			if routeNS != "" && r.ClusterMatched != wantCluster {
				report("TLS for %s goes to cluster %q (%v), want the routed %q", h, r.ClusterMatched, r.Error, wantCluster)
			}
		case l.Protocol == "HTTPS" || l.Protocol == "TLS":
			w.tally.add("Gateway API listener: TLS termination")
			var r simulation.Result
			r, fc = run(sim, simulation.Call{Port: int(l.Port), Protocol: simulation.HTTP, TLS: simulation.TLS, Sni: h, HostHeader: h, CallMode: simulation.CallModeGateway})
			if fc == nil {
				report("no filter chain for TLS to %s: %v", h, r.Error)
				continue
			}
			var creds []string
			for _, ref := range l.TLS.CertificateRefs {
				creds = append(creds, fmt.Sprintf("kubernetes-gateway://%s/%s", ref.Namespace, ref.Name))
			}
			problems = append(problems, prefix(where+": ", checkDownstreamTLS(fc, false, "", creds))...)
			if routeNS != "" && r.ClusterMatched != wantCluster {
				report("HTTPS request to %s goes to cluster %q (%v), want the routed %q", h, r.ClusterMatched, r.Error, wantCluster)
			}
		case l.Protocol == "HTTP":
			w.tally.add("Gateway API listener: plain HTTP")
			var r simulation.Result
			r, fc = run(sim, simulation.Call{Port: int(l.Port), Protocol: simulation.HTTP, HostHeader: h, CallMode: simulation.CallModeGateway})
			switch {
			case l.HTTPSRedirect && !errors.Is(r.Error, simulation.ErrTLSRedirect) && !redirectsToHTTPS(t, sim, fc, r):
				report("httpsRedirect, but plain HTTP to %s gets %v, not a redirect to HTTPS", h, r.Error)
			case !l.HTTPSRedirect && routeNS != "" && r.ClusterMatched != wantCluster:
				report("plain HTTP to %s goes to cluster %q (%v), want the routed %q", h, r.ClusterMatched, r.Error, wantCluster)
			}
			if fc == nil {
				report("no filter chain takes plain HTTP to %s", h)
				continue
			}
		default:
			// TCP: the listener is all the spec says.
			continue
		}
		if !w.metrics(t, fc) {
			report("chain %q has no %s filter: no request metrics", fc.GetName(), statsFilter)
		}
		problems = append(problems, checkTracing(t, w, fc, where)...)
		problems = append(problems, checkAccessLog(t, w, fc, where)...)
	}
	return problems
}
