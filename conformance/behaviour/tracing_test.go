package behaviour_test

import (
	"fmt"
	"strings"
	"testing"

	listener "github.com/envoyproxy/go-control-plane/envoy/config/listener/v3"
	tracev3 "github.com/envoyproxy/go-control-plane/envoy/config/trace/v3"

	"istio.io/istio/pilot/test/xdstest"
)

// collectorHost is the service host the spec's tracing address names, as
// the README documents it: a short name.namespace or name.namespace.svc
// is completed to name.namespace.svc.cluster.local.
func collectorHost(address string) (host, port string) {
	host, port, _ = strings.Cut(address, ":")
	switch parts := strings.Split(host, "."); {
	case len(parts) == 2:
		host += ".svc.cluster.local"
	case len(parts) == 3 && parts[2] == "svc":
		host += ".cluster.local"
	}
	return host, port
}

// checkTracing checks an HTTP filter chain's tracing against the spec:
// with spec.mesh.tracing, spans go to the provider the spec names (zipkin
// or OpenTelemetry, by Envoy's tracer), to the collector cluster of the
// spec's address, sampling the spec's percentage (Istio's 1% when the
// spec sets none); without it, the chain traces nothing.
func checkTracing(t *testing.T, w *world, fc *listener.FilterChain, where string) []string {
	h := xdstest.ExtractHTTPConnectionManager(t, fc)
	if h == nil {
		return nil
	}
	w.tally.add("tracing")
	s := w.b.spec
	tr := s.Mesh.Tracing
	if tr == nil {
		if p := h.GetTracing().GetProvider(); p != nil {
			return []string{fmt.Sprintf("%s: traces to %s, but the spec asks for no tracing", where, p.GetName())}
		}
		return nil
	}
	if h.GetTracing() == nil || h.GetTracing().GetProvider() == nil {
		return []string{fmt.Sprintf("%s: tracing to %s asked for, but the connection manager sends no span anywhere", where, tr.Provider)}
	}
	var problems []string
	if got, want := h.GetTracing().GetRandomSampling().GetValue(), traceSampling(tr); got != want {
		problems = append(problems, fmt.Sprintf("%s: trace sampling %v%%, want %v%%", where, got, want))
	}
	host, port := collectorHost(tr.Address)
	wantCluster := fmt.Sprintf("outbound|%s||%s", port, host)
	p := h.GetTracing().GetProvider()
	var gotCluster string
	switch tr.Provider {
	case "zipkin":
		zc := &tracev3.ZipkinConfig{}
		if p.GetName() != "envoy.tracers.zipkin" || p.GetTypedConfig().UnmarshalTo(zc) != nil {
			return append(problems, fmt.Sprintf("%s: tracer %q, want envoy.tracers.zipkin for provider zipkin", where, p.GetName()))
		}
		gotCluster = zc.GetCollectorService().GetHttpUri().GetCluster()
		if gotCluster == "" {
			gotCluster = zc.GetCollectorCluster()
		}
	case "opentelemetry":
		oc := &tracev3.OpenTelemetryConfig{}
		if p.GetName() != "envoy.tracers.opentelemetry" || p.GetTypedConfig().UnmarshalTo(oc) != nil {
			return append(problems, fmt.Sprintf("%s: tracer %q, want envoy.tracers.opentelemetry for provider opentelemetry", where, p.GetName()))
		}
		gotCluster = oc.GetGrpcService().GetEnvoyGrpc().GetClusterName()
		if gotCluster == "" {
			gotCluster = oc.GetHttpService().GetHttpUri().GetCluster()
		}
	default:
		return append(problems, fmt.Sprintf("%s: the spec's tracing provider %q is not one the proof knows", where, tr.Provider))
	}
	if gotCluster != wantCluster {
		problems = append(problems, fmt.Sprintf("%s: spans go to cluster %q, want %q", where, gotCluster, wantCluster))
	}
	return problems
}
