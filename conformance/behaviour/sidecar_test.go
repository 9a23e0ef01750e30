package behaviour_test

import (
	"fmt"
	"strings"
	"testing"

	core "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	listener "github.com/envoyproxy/go-control-plane/envoy/config/listener/v3"
	rbacconfigv3 "github.com/envoyproxy/go-control-plane/envoy/config/rbac/v3"
	filelogv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/access_loggers/file/v3"
	rbacv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/rbac/v3"
	tlsv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/transport_sockets/tls/v3"
	"google.golang.org/protobuf/encoding/protojson"
	corev1 "k8s.io/api/core/v1"

	"istio.io/istio/pilot/pkg/model"
	"istio.io/istio/pilot/pkg/simulation"
	"istio.io/istio/pilot/test/xds"
	"istio.io/istio/pilot/test/xdstest"
	"istio.io/istio/pkg/wellknown"
)

// checkSidecar checks the Envoy configuration istiod generates for the
// sample app's sidecar in a namespace: outbound traffic policy, inbound
// mTLS as the PeerAuthentications say, the metrics filter, tracing,
// authorization and access log on the inbound chain, and outbound TLS,
// metrics, tracing and access log toward every sample service as the
// DestinationRules say.
func checkSidecar(t *testing.T, f *xds.FakeDiscoveryServer, w *world, p *model.Proxy, ns string, gateways map[string]*corev1.Pod) []string {
	s := w.b.spec
	where := "sidecar " + ns + "/" + sampleName
	var problems []string
	report := func(format string, args ...any) {
		problems = append(problems, where+": "+fmt.Sprintf(format, args...))
	}
	sim := simulation.NewSimulation(t, f, p)

	// Outbound to an address the mesh does not know: REGISTRY_ONLY sends
	// it to the black hole, ALLOW_ANY passes it through.
	w.tally.add("outbound traffic policy")
	wantOut := "PassthroughCluster"
	if s.Mesh.OutboundTrafficPolicy == "REGISTRY_ONLY" {
		wantOut = "BlackHoleCluster"
	}
	if r := sim.Run(simulation.Call{Address: "203.0.113.10", Port: 9443, Protocol: simulation.TCP, CallMode: simulation.CallModeOutbound}); r.ClusterMatched != wantOut {
		report("outbound TCP to an unknown address goes to %q (%v), want %s for outboundTrafficPolicy %q", r.ClusterMatched, r.Error, wantOut, or(s.Mesh.OutboundTrafficPolicy, "ALLOW_ANY"))
	}

	// Inbound: plaintext must be refused under STRICT and accepted
	// otherwise; Istio mTLS is accepted unless DISABLE.
	w.tally.add("inbound mTLS")
	mode := effectiveMTLS(s, ns)
	plain, plainFC := run(sim, simulation.Call{Address: p.IPAddresses[0], Port: samplePort, Protocol: simulation.HTTP, CallMode: simulation.CallModeInbound})
	mtls, mtlsFC := run(sim, simulation.Call{Address: p.IPAddresses[0], Port: samplePort, Protocol: simulation.HTTP, TLS: simulation.MTLS, CallMode: simulation.CallModeInbound})
	switch mode {
	case "STRICT":
		if plain.Error == nil {
			report("PeerAuthentication STRICT, but inbound plaintext on %d is accepted by filter chain %q", samplePort, plain.FilterChainMatched)
		}
		if mtls.Error != nil {
			report("PeerAuthentication STRICT, but inbound Istio mTLS on %d fails: %v", samplePort, mtls.Error)
		}
	case "PERMISSIVE":
		if plain.Error != nil {
			report("PeerAuthentication PERMISSIVE, but inbound plaintext on %d fails: %v", samplePort, plain.Error)
		}
		if mtls.Error != nil {
			report("PeerAuthentication PERMISSIVE, but inbound Istio mTLS on %d fails: %v", samplePort, mtls.Error)
		}
	case "DISABLE":
		if plain.Error != nil {
			report("PeerAuthentication DISABLE, but inbound plaintext on %d fails: %v", samplePort, plain.Error)
		}
		if mtls.Error == nil && mtlsFC != nil && mtlsFC.GetTransportSocket() != nil {
			report("PeerAuthentication DISABLE, but inbound chain %q terminates mTLS", mtls.FilterChainMatched)
		}
	}
	// The chain that takes the inbound request carries the metrics filter.
	fc := plainFC
	if mode == "STRICT" {
		fc = mtlsFC
	}
	if fc == nil {
		report("no inbound filter chain takes requests on port %d", samplePort)
	} else {
		if !w.metrics(t, fc) {
			report("inbound filter chain %q has no %s filter: no request metrics", fc.GetName(), statsFilter)
		}
		problems = append(problems, checkTracing(t, w, fc, where+" inbound")...)
		problems = append(problems, prefix(where+": ", checkAuthorization(t, w, fc, ns, gateways))...)
		problems = append(problems, checkAccessLog(t, w, fc, where+" inbound")...)
	}

	// Outbound to every sample service.
	clusters := xdstest.ExtractClusters(sim.Clusters)
	for _, dst := range w.sampleNamespaces() {
		h := fmt.Sprintf("%s.%s.svc.cluster.local", sampleName, dst)
		name := fmt.Sprintf("outbound|%d||%s", samplePort, h)
		c := clusters[name]
		w.tally.add("config scope")
		if !visible(s, ns, dst) {
			if c != nil {
				report("cluster %s, though the spec's scope hides %s from %s", name, h, ns)
			}
			continue
		}
		if c == nil {
			report("no cluster %s", name)
			continue
		}
		w.tally.add("outbound TLS")
		if clientMTLS(s, dst) {
			if !istioMutual(c.GetTransportSocket()) {
				report("DestinationRule ISTIO_MUTUAL for *.%s.svc.cluster.local, but cluster %s has no Istio mTLS transport socket", dst, name)
			}
		} else if c.GetTransportSocket() != nil && !istioMutual(c.GetTransportSocket()) {
			report("cluster %s originates TLS the spec did not ask for", name)
		}
		w.tally.add("outbound route")
		out, ofc := run(sim, simulation.Call{Address: clusterIP(dst + "/" + sampleName), Port: samplePort, Protocol: simulation.HTTP, HostHeader: h, CallMode: simulation.CallModeOutbound})
		if out.Error != nil {
			report("outbound HTTP to %s:%d fails: %v", h, samplePort, out.Error)
			continue
		}
		if out.ClusterMatched != name {
			report("outbound HTTP to %s:%d goes to cluster %q, want %q", h, samplePort, out.ClusterMatched, name)
		}
		if ofc == nil || !w.metrics(t, ofc) {
			report("outbound listener %s chain %q to %s has no %s filter: no request metrics", out.ListenerMatched, out.FilterChainMatched, h, statsFilter)
		}
		if ofc != nil {
			problems = append(problems, checkTracing(t, w, ofc, where+" outbound")...)
			problems = append(problems, checkAccessLog(t, w, ofc, where+" outbound")...)
		}
	}
	return problems
}

// istioMutual reports whether a transport socket originates Istio mTLS:
// the workload certificate "default" and the mesh root "ROOTCA" over SDS.
func istioMutual(ts *core.TransportSocket) bool {
	if ts == nil || ts.GetTypedConfig() == nil {
		return false
	}
	up := &tlsv3.UpstreamTlsContext{}
	if err := ts.GetTypedConfig().UnmarshalTo(up); err != nil {
		return false
	}
	ctx := up.GetCommonTlsContext()
	certs := ctx.GetTlsCertificateSdsSecretConfigs()
	if len(certs) != 1 || certs[0].GetName() != "default" {
		return false
	}
	return ctx.GetCombinedValidationContext().GetValidationContextSdsSecretConfig().GetName() == "ROOTCA"
}

// checkAccessLog requires the access log file the spec names, and none
// when it names none.
func checkAccessLog(t *testing.T, w *world, fc *listener.FilterChain, where string) []string {
	want := w.b.spec.Mesh.AccessLogFile
	h := xdstest.ExtractHTTPConnectionManager(t, fc)
	if h == nil {
		return nil
	}
	w.tally.add("access log")
	var paths []string
	for _, al := range h.GetAccessLog() {
		fl := &filelogv3.FileAccessLog{}
		if al.GetTypedConfig() != nil && al.GetTypedConfig().UnmarshalTo(fl) == nil {
			paths = append(paths, fl.GetPath())
		}
	}
	if want == "" {
		if len(paths) > 0 {
			return []string{fmt.Sprintf("%s: access log to %q, but the spec asks for none", where, paths)}
		}
		return nil
	}
	for _, p := range paths {
		if p == want {
			return nil
		}
	}
	return []string{fmt.Sprintf("%s: access log files %q, want %q", where, paths, want)}
}

// checkAuthorization checks the inbound chain's RBAC filter against the
// namespace's authorization spec: ALLOW rules exist (an empty set denies
// everything), same-namespace callers are allowed by namespace, and each
// allowed gateway is allowed by the identity its running pod actually
// gets: spiffe://<trust domain>/ns/<pod namespace>/sa/<pod service
// account>. The simulation does not evaluate RBAC, so this reads the
// rules rather than deciding requests.
func checkAuthorization(t *testing.T, w *world, fc *listener.FilterChain, ns string, gateways map[string]*corev1.Pod) []string {
	w.tally.add("authorization")
	s := w.b.spec
	a := authorization(s, ns)
	h := xdstest.ExtractHTTPConnectionManager(t, fc)
	var cfg *rbacv3.RBAC
	for _, hf := range h.GetHttpFilters() {
		if hf.GetName() == wellknown.HTTPRoleBasedAccessControl {
			cfg = &rbacv3.RBAC{}
			if err := hf.GetTypedConfig().UnmarshalTo(cfg); err != nil {
				return []string{err.Error()}
			}
		}
	}
	if a == nil || !a.DefaultDeny && !a.AllowSameNamespace && len(a.AllowFromGateways) == 0 {
		if cfg != nil && cfg.GetRules() != nil {
			return []string{"inbound RBAC rules the spec does not ask for"}
		}
		return nil
	}
	if cfg == nil || cfg.GetRules() == nil {
		return []string{"authorization asked for, but the inbound chain has no RBAC rules: every caller is allowed"}
	}
	var problems []string
	if cfg.GetRules().GetAction() != rbacconfigv3.RBAC_ALLOW {
		problems = append(problems, fmt.Sprintf("inbound RBAC action %v, want ALLOW", cfg.GetRules().GetAction()))
	}
	dump, err := protojson.Marshal(cfg.GetRules())
	if err != nil {
		return []string{err.Error()}
	}
	text := string(dump)
	if a.AllowSameNamespace && !strings.Contains(text, "/ns/"+ns+"/") {
		problems = append(problems, fmt.Sprintf("allowSameNamespace, but no inbound RBAC rule names callers of namespace %s", ns))
	}
	for _, name := range a.AllowFromGateways {
		pod := gateways[name]
		if pod == nil {
			problems = append(problems, fmt.Sprintf("allowFromGateways %s: no such gateway pod", name))
			continue
		}
		id := fmt.Sprintf("spiffe://%s/ns/%s/sa/%s", s.Mesh.TrustDomain, pod.Namespace, pod.Spec.ServiceAccountName)
		if !strings.Contains(text, `"`+id+`"`) {
			problems = append(problems, fmt.Sprintf("allowFromGateways %s: its pod runs as %s, which no inbound RBAC rule allows", name, id))
		}
	}
	if !a.AllowSameNamespace && len(a.AllowFromGateways) == 0 && len(cfg.GetRules().GetPolicies()) > 0 {
		problems = append(problems, fmt.Sprintf("defaultDeny alone, but inbound RBAC allows %d policies", len(cfg.GetRules().GetPolicies())))
	}
	return problems
}
