package conformance_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/istio-render/istio-render/mesh"
)

// classicGateways generates spec.gateways: the profile's gateways kept,
// changed or disabled, and new ones in many namespaces, each with its
// servers, more Gateway objects, Service ports and sizing.
func (d *draft) classicGateways() {
	names := map[string]bool{}
	selectors := map[string]bool{}
	for i := range d.base.Spec.Gateways {
		bg := &d.base.Spec.Gateways[i]
		names[bg.Name] = true
		selectors[strings.TrimPrefix(bg.Name, "istio-")] = true
	}
	for i := range d.base.Spec.Gateways {
		bg := &d.base.Spec.Gateways[i]
		switch n := d.intn(10); {
		case n < 2:
			d.s.Gateways = append(d.s.Gateways, mesh.Gateway{Name: bg.Name, Enabled: ptr(false)})
		case n < 6:
			d.s.Gateways = append(d.s.Gateways, d.gateway(bg.Name, bg))
		default:
			d.addGateway(bg.Name, d.root, "", nil)
		}
	}
	for range d.intn(4) {
		name := d.gatewayName()
		istio := strings.TrimPrefix(name, "istio-")
		if names[name] || selectors[istio] {
			continue
		}
		names[name], selectors[istio] = true, true
		d.s.Gateways = append(d.s.Gateways, d.gateway(name, nil))
	}
}

// gatewayName returns a DNS-1035 label: a familiar name, or one of up to
// 63 characters.
func (d *draft) gatewayName() string {
	if d.chance(0.4) {
		return pick(d.gen, "istio-ingressgateway", "istio-egressgateway", "ingress", "istio-edge", "edge-gw", "internal")
	}
	if d.chance(0.01) {
		// The istio label is the name without istio-.
		return "istio-" + pick(d.gen, yamlAmbiguous...)
	}
	// The gateway chart writes the name unquoted: validation refuses one
	// YAML reads as other than text.
	for {
		if n := d.dnsLabel(63, true); !slices.Contains(yamlAmbiguous, n) {
			return n
		}
	}
}

// addGateway records an enabled gateway.
func (d *draft) addGateway(name, namespace, revision string, labels map[string]string) *gatewayInfo {
	info := &gatewayInfo{name: name, namespace: namespace, istio: strings.TrimPrefix(name, "istio-"), labels: labels, controlPlane: d.servedBy[revision]}
	d.gateways = append(d.gateways, info)
	d.deployments[namespace+"/"+name] = true
	d.gatewayNS[namespace] = true
	return info
}

// sharedNamespace returns a namespace several parts of a spec may share,
// or a new one.
func (d *draft) sharedNamespace() string {
	switch d.intn(5) {
	case 0, 1:
		return d.root
	case 2, 3:
		return pick(d.gen, "istio-ingress", "istio-egress", "edge", "gateways", "shop")
	}
	return d.dnsLabel(63, false)
}

// gateway generates one gateway named name; base is the profile's gateway
// of that name, which it is merged over, or nil.
func (d *draft) gateway(name string, base *mesh.Gateway) mesh.Gateway {
	g := mesh.Gateway{Name: name}
	var baseWorkload *mesh.Workload
	kind := "ingress"
	var basePorts []mesh.ServicePort
	if base != nil {
		baseWorkload, kind, basePorts = &base.Workload, base.Kind, base.Service.Ports
	}
	if d.chance(0.5) {
		g.Kind = d.enum("spec.gateways[].kind")
		kind = g.Kind
	}
	ns := d.root
	if d.chance(0.6) {
		ns = d.sharedNamespace()
		g.Namespace = ns
	}
	if d.chance(0.3) {
		g.Revision = d.injectionTarget()
	}
	if d.chance(0.4) {
		g.Labels = d.labelMap(3)
		for _, k := range []string{"app", "istio", "sidecar.istio.io/inject", "istio.io/rev"} {
			delete(g.Labels, k)
		}
	}
	info := d.addGateway(name, ns, g.Revision, g.Labels)
	d.gatewayService(&g, kind, basePorts)
	g.Workload = d.workload(baseWorkload)
	if d.chance(0.3) {
		g.ResourceName = d.objectName(ns)
	}
	resource := cmpOr(g.ResourceName, name)
	protoByPort := map[int32]string{}
	if d.chance(0.75) && !d.istioObjs[ns+"/"+resource] {
		d.istioObjs[ns+"/"+resource] = true
		g.Servers = d.servers(&g, ns, protoByPort)
	}
	for range d.intn(3) {
		o := mesh.GatewayObject{Name: d.objectName(ns)}
		if o.Name == "" {
			continue
		}
		if d.chance(0.4) {
			o.Selector = map[string]string{"istio": info.istio}
			for _, k := range slices.Sorted(maps.Keys(g.Labels)) {
				if d.chance(0.5) {
					o.Selector[k] = g.Labels[k]
				}
			}
		}
		o.Servers = d.servers(&g, ns, protoByPort)
		g.Objects = append(g.Objects, o)
	}
	if d.chance(0.2) {
		g.Values = d.gatewayValues()
	}
	return g
}

// cmpOr is the first non-empty string.
func cmpOr(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// objectName returns a name for a networking.istio.io Gateway object no
// other object of the namespace has, or "" when it found none: a DNS
// label, as istiod refuses a Gateway whose name has a dot or more than 63
// characters.
func (d *draft) objectName(ns string) string {
	for range 5 {
		n := pick(d.gen, "public", "internal", d.dnsLabel(63, false))
		if !d.istioObjs[ns+"/"+n] {
			d.istioObjs[ns+"/"+n] = true
			return n
		}
	}
	return ""
}

// gatewayService generates the gateway's Service: type, annotations, a
// load balancer address and policy where they apply, and more ports,
// none of the chart's or the profile's.
func (d *draft) gatewayService(g *mesh.Gateway, kind string, basePorts []mesh.ServicePort) {
	svc := &g.Service
	svc.Type = d.enumOrEmpty("spec.gateways[].service.type")
	typ := svc.Type
	if typ == "" {
		typ = map[string]string{"ingress": "LoadBalancer", "egress": "ClusterIP"}[kind]
	}
	if d.chance(0.3) {
		svc.Annotations = d.annotationMap(3)
	}
	if typ == "LoadBalancer" && d.chance(0.2) {
		svc.LoadBalancerIP = pick(d.gen, "203.0.113.10", "2001:db8::10", "10.0.0.1", "192.0.2.255")
	}
	if typ != "ClusterIP" && d.chance(0.3) {
		svc.ExternalTrafficPolicy = d.enum("spec.gateways[].service.externalTrafficPolicy")
	}
	if !d.chance(0.3) {
		return
	}
	names := map[string]bool{"status-port": true, "http2": true, "https": true}
	numbers := map[int32]bool{15021: true, 80: true, 443: true}
	for _, p := range basePorts {
		names[p.Name], numbers[p.Port] = true, true
	}
	for range 1 + d.intn(3) {
		p := mesh.ServicePort{
			Name: pick(d.gen, "tcp", "tls", "tcp-db", "https-admin", "http-metrics", "grpc", "mongo", "web", d.dnsLabel(63, false)),
			Port: pick(d.gen, int32(1), 31400, 15443, 9000, 8080, 15090, 65535),
		}
		if names[p.Name] || numbers[p.Port] {
			continue
		}
		names[p.Name], numbers[p.Port] = true, true
		svc.Ports = append(svc.Ports, p)
	}
}

// serverProtocols are the protocols of a Gateway server, which the schema
// does not enumerate (validation takes them in any case).
var serverProtocols = []string{"HTTP", "HTTPS", "HTTP2", "GRPC", "TLS", "TCP"}

// serverNames are names that declare each server protocol to Istio, and
// names that declare none.
var serverNames = map[string][]string{
	"HTTP":  {"http", "http2", "grpc", "http-web", "web", "api"},
	"HTTP2": {"http2", "grpc", "grpc-api", "api"},
	"GRPC":  {"grpc", "http2", "grpc-web", "api"},
	"HTTPS": {"https", "tls", "https-public", "secure"},
	"TLS":   {"tls", "https", "tls-db", "secure"},
	"TCP":   {"tcp", "tcp-db", "mongo", "mysql", "redis", "raw"},
}

// servers generates the servers of one Gateway object of the gateway: the
// protocol of a port is the same in every object of the gateway.
func (d *draft) servers(g *mesh.Gateway, ns string, protoByPort map[int32]string) []mesh.Server {
	names := map[string]bool{}
	var out []mesh.Server
	for range 1 + d.intn(3) {
		sv := d.server(g, ns, protoByPort, names)
		out = append(out, sv)
	}
	return out
}

// server generates one server.
func (d *draft) server(g *mesh.Gateway, ns string, protoByPort map[int32]string, names map[string]bool) mesh.Server {
	proto := pick(d.gen, serverProtocols...)
	sv := mesh.Server{}
	switch proto {
	case "HTTPS":
		sv.TLS = &mesh.ServerTLS{Mode: pick(d.gen, "SIMPLE", "MUTUAL")}
	case "TLS":
		sv.TLS = &mesh.ServerTLS{Mode: d.enum("spec.gateways[].servers[].tls.mode")}
	}
	if sv.TLS != nil {
		if sv.TLS.Mode != "PASSTHROUGH" {
			sv.TLS.CredentialName = pick(d.gen, "shop-tls", "api-tls", d.dnsSubdomain(253))
		}
		sv.TLS.MinProtocolVersion = d.enumOrEmpty("spec.gateways[].servers[].tls.minProtocolVersion")
	}
	// The protocol can be left to its default: HTTP without TLS, HTTPS
	// with SIMPLE or MUTUAL, TLS with PASSTHROUGH.
	implied := "HTTP"
	if sv.TLS != nil {
		implied = map[bool]string{true: "TLS", false: "HTTPS"}[sv.TLS.Mode == "PASSTHROUGH"]
	}
	if proto != implied || d.chance(0.5) {
		sv.Protocol = proto
		if d.chance(0.1) {
			sv.Protocol = strings.ToLower(proto)
		}
	}
	port := map[bool]int32{true: 443, false: 80}[sv.TLS != nil]
	if d.chance(0.5) {
		candidates := []int32{80, 443, 8080, 8443, 1, 65535, 15443, 31400, 9000}
		for _, p := range g.Service.Ports {
			candidates = append(candidates, p.Port)
		}
		port = pick(d.gen, candidates...)
		sv.Port = port
	}
	for _, p := range g.Service.Ports {
		// A server on one of the Service's own ports is exposed under the
		// port's name, which should say the server's protocol.
		if p.Port == port && !mesh.ProtocolFits(proto, mesh.DeclaredProtocol(p.Name, nil)) && d.chance(0.97) {
			port = int32(20000 + d.intn(30000))
			sv.Port = port
		}
	}
	if prev, ok := protoByPort[port]; ok && prev != proto {
		port = int32(20000 + d.intn(30000))
		sv.Port = port
	}
	protoByPort[port] = proto
	if d.chance(0.5) {
		name := pick(d.gen, serverNames[proto]...)
		if d.chance(0.2) {
			name = strings.ToLower(proto) + "-" + d.runOf(62-len(proto), lowerAlnum, lowerAlnum+"-")
		}
		if !names[name] {
			names[name] = true
			sv.Name = name
		}
	}
	for range 1 + d.intn(3) {
		var h string
		switch d.intn(6) {
		case 0:
			h = "*"
		case 1:
			h = pick(d.gen, "*", ".", "~", d.dnsLabel(63, false)) + "/" + d.hostName(true)
		default:
			h = d.hostName(true)
		}
		sv.Hosts = append(sv.Hosts, h)
	}
	if sv.TLS == nil && proto == "HTTP" && d.chance(0.3) {
		sv.HTTPSRedirect = true
	}
	if sv.TLS != nil && sv.TLS.CredentialName != "" && d.chance(0.4) {
		sv.Certificate = d.certificate(ns, sv.TLS.CredentialName, sv.Hosts)
	}
	return sv
}

// certificate returns a cert-manager Certificate writing the Secret
// secret in ns, or nil when another Certificate writes it already. hosts
// are where its DNS names default from; nil means there is nowhere.
func (d *draft) certificate(ns, secret string, hosts []string) *mesh.Certificate {
	if d.certs[ns+"/"+secret] {
		return nil
	}
	c := &mesh.Certificate{IssuerRef: mesh.IssuerRef{
		Name:  pick(d.gen, "letsencrypt-prod", "ca-issuer", d.dnsSubdomain(253)),
		Kind:  d.enumOrEmpty("spec.gateways[].servers[].certificate.issuerRef.kind"),
		Group: pick(d.gen, "", "", "cert-manager.io", "issuers.example.com"),
	}}
	name := secret
	if d.chance(0.4) {
		name = d.dnsSubdomain(253)
		c.Name = name
	}
	if d.certs["name "+ns+"/"+name] {
		return nil
	}
	d.certs[ns+"/"+secret], d.certs["name "+ns+"/"+name] = true, true
	explicit := hosts == nil || d.chance(0.4)
	for _, h := range hosts {
		if _, host, ok := strings.Cut(h, "/"); ok {
			h = host
		}
		if h == "*" {
			explicit = true
		}
	}
	if explicit {
		for range 1 + d.intn(3) {
			c.DNSNames = append(c.DNSNames, d.hostName(true))
		}
	}
	return c
}

// gatewayValues are raw values for one gateway, or for every gateway,
// that change nothing the spec or its checks rely on.
func (d *draft) gatewayValues() mesh.Values {
	return pick(d.gen,
		mesh.Values{"podAnnotations": map[string]any{"example.com/note": d.freeText()}},
		mesh.Values{"annotations": map[string]any{"example.com/owner": "team-edge"}},
		mesh.Values{"nodeSelector": map[string]any{"kubernetes.io/os": "linux"}},
		mesh.Values{"tolerations": []any{map[string]any{"key": "example.com/dedicated", "operator": "Exists", "effect": "NoSchedule"}}},
		mesh.Values{"terminationGracePeriodSeconds": int64(pick(d.gen, 0, 30, 3600))},
		mesh.Values{"env": map[string]any{"ISTIO_META_EXAMPLE": d.freeText()}},
		mesh.Values{"minReadySeconds": int64(5)},
	)
}

// istiodValues are raw values for an istiod that change nothing the spec
// or its checks rely on.
func (d *draft) istiodValues() mesh.Values {
	return pick(d.gen,
		// The istiod chart writes env values in double quotes unescaped:
		// a quote or a backslash in one is not harmless.
		mesh.Values{"env": map[string]any{"PILOT_ENABLE_STATUS": "true", "EXAMPLE_NOTE": pick(d.gen, "Grüße, 世界 — ✓", "{}}", "")}},
		mesh.Values{"podAnnotations": map[string]any{"example.com/note": d.freeText()}},
		mesh.Values{"nodeSelector": map[string]any{"kubernetes.io/os": "linux"}},
		mesh.Values{"deploymentLabels": map[string]any{"example.com/team": "platform"}},
		mesh.Values{"serviceAnnotations": map[string]any{"example.com/scrape": "true"}},
		mesh.Values{"keepaliveMaxServerConnectionAge": "1h"},
		mesh.Values{"global": map[string]any{"logAsJson": true}},
		mesh.Values{"tolerations": []any{map[string]any{"key": "example.com/dedicated", "operator": "Equal", "value": "mesh", "effect": "NoExecute", "tolerationSeconds": int64(60)}}},
	)
}

// rawValues generates spec.values for every chart.
func (d *draft) rawValues() {
	v := &d.s.Values
	if d.chance(0.25) {
		v.Istiod = d.istiodValues()
	}
	if d.chance(0.2) {
		v.Gateway = d.gatewayValues()
	}
	if d.chance(0.15) {
		v.CNI = pick(d.gen,
			mesh.Values{"podAnnotations": map[string]any{"example.com/note": d.freeText()}},
			mesh.Values{"logging": map[string]any{"level": "debug"}},
			mesh.Values{"daemonSetLabels": map[string]any{"example.com/team": "platform"}},
		)
	}
	if d.chance(0.15) {
		v.Ztunnel = pick(d.gen,
			mesh.Values{"podAnnotations": map[string]any{"example.com/note": d.freeText()}},
			mesh.Values{"logLevel": "debug"},
			mesh.Values{"terminationGracePeriodSeconds": int64(45)},
		)
	}
	if d.chance(0.15) {
		// base's defaultRevision may be given when it says what the spec
		// says: the revision of the control plane serving the default.
		ds := d.s.Istiods()
		v.Base = mesh.Values{"defaultRevision": ds[d.s.DefaultIstiod()].Label()}
	}
}

// gitops generates spec.gitops.
func (d *draft) gitops() {
	g := &d.s.GitOps
	g.Tool = d.enumOrEmpty("spec.gitops.tool")
	if d.chance(0.3) {
		g.Protect = ptr(d.chance(0.5))
	}
	if g.Tool == mesh.ToolFlux && d.chance(0.6) || d.chance(0.05) {
		f := &mesh.Flux{}
		if d.chance(0.6) {
			f.Path = pick(d.gen, "./deploy/istio", "deploy/istio", "clusters/prod/ünïcode", "./a/b/c/", "x")
		}
		if d.chance(0.4) {
			f.Namespace = d.dnsLabel(63, false)
		}
		f.SourceRef.Kind = d.enumOrEmpty("spec.gitops.flux.sourceRef.kind")
		if d.chance(0.4) {
			f.SourceRef.Name = d.dnsSubdomain(253)
		}
		if d.chance(0.3) {
			f.SourceRef.Namespace = d.dnsLabel(63, false)
		}
		g.Flux = f
	}
}

// describe names a generated spec for a failure message.
func describe(seed uint64, i int) string {
	return fmt.Sprintf("spec %d of seed %d", i, seed)
}
