package behaviour_test

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	listener "github.com/envoyproxy/go-control-plane/envoy/config/listener/v3"
	tlsv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/transport_sockets/tls/v3"

	"istio.io/istio/pilot/pkg/model"
	"istio.io/istio/pilot/pkg/simulation"
	"istio.io/istio/pilot/test/xds"
	"istio.io/istio/pilot/test/xdstest"
	"istio.io/istio/pkg/config/host"
	"istio.io/istio/pkg/config/protocol"

	"github.com/istio-render/istio-render/mesh"
)

// sampleHost picks a concrete host a server's host pattern accepts.
func sampleHost(pattern string) string {
	if _, h, ok := strings.Cut(pattern, "/"); ok {
		pattern = h
	}
	switch {
	case pattern == "*":
		return "www.example.test"
	case strings.HasPrefix(pattern, "*."):
		return "www." + pattern[2:]
	}
	return pattern
}

// checkGateway checks the Envoy configuration istiod generates for a
// classic gateway's pod against the servers of every Gateway object of
// the gateway: a listener on each server's port, TLS termination with the
// credential's SDS secret, client certificates for MUTUAL, the minimum
// TLS version, passthrough by SNI, the HTTPS redirect, the metrics filter,
// tracing and access log, and that the gateway Service's port for each
// server speaks a protocol the server accepts.
func checkGateway(t *testing.T, f *xds.FakeDiscoveryServer, w *world, g *mesh.Gateway, p *model.Proxy) []string {
	var problems []string
	sim := simulation.NewSimulation(t, f, p)
	svcHost := host.Name(fmt.Sprintf("%s.%s.svc.cluster.local", g.Name, g.Namespace))
	svc := f.PushContext().ServiceForHostname(p, svcHost)
	for _, obj := range gatewayObjects(g) {
		for _, sv := range obj.servers {
			where := fmt.Sprintf("gateway %s/%s: Gateway %s server %s (%s %d)", g.Namespace, g.Name, obj.name, sv.Name, sv.Protocol, sv.Port)
			report := func(format string, args ...any) {
				problems = append(problems, where+": "+fmt.Sprintf(format, args...))
			}
			routed := w.routed[routeKey(g.Namespace, obj.name, sv.Name)] != ""
			w.tally.add("gateway server: listener and Service port")
			if svc == nil {
				report("no Service %s", svcHost)
			} else {
				problems = append(problems, prefix(where+": ", checkServicePort(svc, sv))...)
			}
			if listenerByName(sim.Listeners, fmt.Sprintf("0.0.0.0_%d", sv.Port)) == nil {
				report("no listener 0.0.0.0_%d (listeners: %v)", sv.Port, xdstest.ExtractListenerNames(sim.Listeners))
				continue
			}
			h := sampleHost(sv.Hosts[0])
			var fc *listener.FilterChain
			switch {
			case sv.TLS != nil && sv.TLS.Mode == "PASSTHROUGH":
				w.tally.add("gateway server: TLS passthrough")
				var r simulation.Result
				r, fc = run(sim, simulation.Call{Port: int(sv.Port), Protocol: simulation.TCP, TLS: simulation.TLS, Sni: h, CallMode: simulation.CallModeGateway})
				if r.Error != nil || fc == nil {
					report("TLS for %s is not passed through: %v", h, r.Error)
					continue
				}
				if want := fmt.Sprintf("outbound|%d||%s", sv.Port, h); r.ClusterMatched != want {
					report("TLS for %s goes to cluster %q, want %q", h, r.ClusterMatched, want)
				}
				if fc.GetTransportSocket() != nil {
					report("passthrough chain %q terminates TLS", r.FilterChainMatched)
				}
			case sv.TLS != nil:
				w.tally.add("gateway server: TLS termination")
				var r simulation.Result
				r, fc = run(sim, simulation.Call{Port: int(sv.Port), Protocol: simulation.HTTP, TLS: simulation.TLS, Sni: h, HostHeader: h, CallMode: simulation.CallModeGateway})
				if fc == nil {
					report("no filter chain for TLS to %s: %v", h, r.Error)
					continue
				}
				if r.Error != nil && routed {
					report("HTTPS request to %s fails: %v", h, r.Error)
				}
				problems = append(problems, prefix(where+": ", checkDownstreamTLS(fc, sv.TLS.Mode == "MUTUAL", sv.TLS.MinProtocolVersion, []string{"kubernetes://" + sv.TLS.CredentialName}))...)
			default:
				w.tally.add("gateway server: plain HTTP")
				var r simulation.Result
				r, fc = run(sim, simulation.Call{Port: int(sv.Port), Protocol: simulation.HTTP, HostHeader: h, CallMode: simulation.CallModeGateway})
				if sv.HTTPSRedirect && !errors.Is(r.Error, simulation.ErrTLSRedirect) {
					report("httpsRedirect, but plain HTTP to %s gets %v, not a redirect to HTTPS", h, r.Error)
				}
				if !sv.HTTPSRedirect && r.Error != nil && routed {
					report("plain HTTP to %s fails: %v", h, r.Error)
				}
				if fc == nil {
					report("no filter chain takes plain HTTP to %s", h)
					continue
				}
			}
			if !w.metrics(t, fc) {
				report("chain %q has no %s filter: no request metrics", fc.GetName(), statsFilter)
			}
			problems = append(problems, checkTracing(t, w, fc, where)...)
			problems = append(problems, checkAccessLog(t, w, fc, where)...)
		}
	}
	return problems
}

// checkDownstreamTLS checks a terminating chain's TLS context: the
// server's certificate by its SDS name, client certificates required for
// mutual TLS (validated against the credential's CA), and the minimum TLS
// version.
func checkDownstreamTLS(fc *listener.FilterChain, mutual bool, minVersion string, credentials []string) []string {
	ts := fc.GetTransportSocket()
	if ts == nil {
		return []string{"chain " + fc.GetName() + " does not terminate TLS"}
	}
	dt := &tlsv3.DownstreamTlsContext{}
	if err := ts.GetTypedConfig().UnmarshalTo(dt); err != nil {
		return []string{err.Error()}
	}
	var problems []string
	ctx := dt.GetCommonTlsContext()
	var got []string
	for _, c := range ctx.GetTlsCertificateSdsSecretConfigs() {
		got = append(got, c.GetName())
	}
	if !slices.Equal(got, credentials) {
		problems = append(problems, fmt.Sprintf("certificate SDS secrets %q, want %q", got, credentials))
	}
	if required := dt.GetRequireClientCertificate().GetValue(); required != mutual {
		problems = append(problems, fmt.Sprintf("mutual TLS %v, but require_client_certificate is %v", mutual, required))
	}
	if mutual {
		if ca := ctx.GetCombinedValidationContext().GetValidationContextSdsSecretConfig().GetName(); ca != credentials[0]+"-cacert" {
			problems = append(problems, fmt.Sprintf("client CA SDS secret %q, want %q", ca, credentials[0]+"-cacert"))
		}
	}
	if minVersion != "" {
		want := map[string]tlsv3.TlsParameters_TlsProtocol{"TLSV1_2": tlsv3.TlsParameters_TLSv1_2, "TLSV1_3": tlsv3.TlsParameters_TLSv1_3}[minVersion]
		if got := ctx.GetTlsParams().GetTlsMinimumProtocolVersion(); got != want {
			problems = append(problems, fmt.Sprintf("minimum TLS version %v, want %v", got, want))
		}
	}
	return problems
}

// checkServicePort finds the gateway Service port of a server's port and
// requires a protocol, as Istio reads it from the port's name or
// appProtocol, that carries the server's traffic: mesh clients of the
// Service speak that protocol to the gateway.
func checkServicePort(svc *model.Service, sv mesh.Server) []string {
	ports := append([]*model.Port(nil), svc.Ports...)
	sort.Slice(ports, func(i, j int) bool { return ports[i].Port < ports[j].Port })
	for _, p := range ports {
		if p.Port != int(sv.Port) {
			continue
		}
		server := protocol.Parse(sv.Protocol)
		var ok bool
		switch {
		case server.IsTLS() || server == protocol.HTTPS:
			ok = p.Protocol == protocol.HTTPS || p.Protocol == protocol.TLS || p.Protocol == protocol.TCP
		case server.IsHTTP():
			ok = p.Protocol.IsHTTP() || p.Protocol == protocol.TCP || p.Protocol == protocol.Unsupported
		default:
			ok = p.Protocol == protocol.TCP || p.Protocol == server
		}
		if !ok {
			return []string{fmt.Sprintf("Service port %d is named %q, which Istio reads as %s; mesh clients would send %s to a %s server",
				p.Port, p.Name, p.Protocol, p.Protocol, sv.Protocol)}
		}
		return nil
	}
	return []string{fmt.Sprintf("the gateway Service exposes no port %d", sv.Port)}
}
