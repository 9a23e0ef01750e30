package conformance_test

import (
	"fmt"
	"slices"
	"strings"

	"github.com/istio-render/istio-render/mesh"
)

// gatewayAPIMinimums are the Gateway API releases the listener protocols
// need before Istio reads their routes (mesh validation refuses older
// ones).
var gatewayAPIMinimums = map[string]string{"TLS": "v1.5.0", "TCP": "v1.6.0"}

// gatewayAPI generates spec.gatewayAPI: how the CRDs arrive, istiod's
// class defaults and Gateway API gateways. Waypoints come with the
// namespaces.
func (d *draft) gatewayAPI() {
	g := &d.s.GatewayAPI
	if d.chance(0.3) {
		g.Classes = map[string]mesh.GatewayClass{}
		for _, class := range []string{mesh.GatewayClassIstio, mesh.GatewayClassWaypoint} {
			if d.chance(0.6) {
				g.Classes[class] = d.gatewayClass()
			}
		}
		if len(g.Classes) == 0 {
			g.Classes = nil
		}
	}
	names := map[string]bool{}
	if d.chance(0.35) {
		for range 1 + d.intn(3) {
			gw := d.apiGateway(names)
			if gw.Name != "" {
				g.Gateways = append(g.Gateways, gw)
			}
		}
	}
}

// chooseGatewayAPICRDs sets how the CRDs arrive once the spec's users of
// the Gateway API (gateways, waypoints) are known: required with users,
// optional without; a declared release is one new enough for the
// listeners' protocols.
func (d *draft) chooseGatewayAPICRDs(users bool) {
	g := &d.s.GatewayAPI
	if !users && !d.chance(0.3) {
		return
	}
	present := len(d.cfg.gatewayAPIPresent) > 0 && d.chance(0.4)
	if present {
		g.CRDs = mesh.GatewayAPICRDsPresent
		oldest := d.cfg.gatewayAPIPresent[0]
		for _, gw := range g.Gateways {
			for _, l := range gw.Listeners {
				if v := gatewayAPIMinimums[listenerProtocol(&l)]; v != "" && semverLess(oldest, v) {
					oldest = v
				}
			}
		}
		var versions []string
		for _, v := range d.cfg.gatewayAPIPresent {
			if !semverLess(v, oldest) {
				versions = append(versions, v)
			}
		}
		if len(versions) == 0 {
			present = false
		} else {
			g.Version = pick(d.gen, versions...)
		}
	}
	if !present {
		g.CRDs = mesh.GatewayAPICRDsRender
		g.Version = ""
		if d.chance(0.3) {
			g.Version = mesh.DefaultGatewayAPIVersion
		}
	}
	g.Channel = d.enumOrEmpty("spec.gatewayAPI.channel")
	if g.Version == "" && present {
		g.Version = mesh.DefaultGatewayAPIVersion
	}
}

// semverLess compares Gateway API releases vX.Y.Z.
func semverLess(a, b string) bool {
	parse := func(v string) (out [3]int) {
		fmt.Sscanf(strings.TrimPrefix(v, "v"), "%d.%d.%d", &out[0], &out[1], &out[2])
		return out
	}
	pa, pb := parse(a), parse(b)
	return slices.Compare(pa[:], pb[:]) < 0
}

// listenerProtocol is a listener's protocol after defaulting.
func listenerProtocol(l *mesh.Listener) string {
	switch {
	case l.Protocol != "":
		return strings.ToUpper(l.Protocol)
	case l.TLS == nil:
		return "HTTP"
	case l.TLS.Mode == "Passthrough":
		return "TLS"
	}
	return "HTTPS"
}

// gatewayClass generates istiod's defaults for one gateway class.
func (d *draft) gatewayClass() mesh.GatewayClass {
	var c mesh.GatewayClass
	if d.chance(0.5) {
		svc := &mesh.ClassService{Type: d.enumOrEmpty("spec.gatewayAPI.classes.*.service.type")}
		if d.chance(0.4) {
			svc.Annotations = d.annotationMap(3)
		}
		if svc.Type != "ClusterIP" && d.chance(0.4) {
			svc.ExternalTrafficPolicy = d.enum("spec.gatewayAPI.classes.*.service.externalTrafficPolicy")
		}
		c.Service = svc
	}
	w := d.workload(nil)
	c.Replicas, c.Autoscale, c.Resources, c.PodDisruptionBudget = w.Replicas, w.Autoscale, w.Resources, w.PodDisruptionBudget
	return c
}

// apiGateway generates a Gateway API gateway of class istio; its name is
// "" when the generator found no free one.
func (d *draft) apiGateway(names map[string]bool) mesh.APIGateway {
	gw := mesh.APIGateway{}
	ns := d.root
	if d.chance(0.6) {
		ns = d.sharedNamespace()
		gw.Namespace = ns
	}
	for range 5 {
		n := pick(d.gen, "public", "internal", "ingress", d.dnsLabel(63-len("-istio"), false))
		if !names[n] && !d.deployments[ns+"/"+n+"-istio"] {
			gw.Name = n
			break
		}
	}
	if gw.Name == "" {
		return gw
	}
	names[gw.Name] = true
	d.deployments[ns+"/"+gw.Name+"-istio"] = true
	d.otherNS[ns] = true
	if d.chance(0.3) {
		gw.Revision = d.injectionTarget()
	}
	classType := ""
	if c, ok := d.s.GatewayAPI.Classes[mesh.GatewayClassIstio]; ok && c.Service != nil {
		classType = c.Service.Type
	}
	if d.chance(0.4) {
		gw.ServiceType = d.enum("spec.gatewayAPI.gateways[].serviceType")
		if classType != "" {
			gw.ServiceType = classType
		}
	}
	if cmpOr(classType, gw.ServiceType, "LoadBalancer") == "LoadBalancer" && d.chance(0.2) {
		gw.Address = pick(d.gen, "203.0.113.7", "2001:db8::7")
	}
	if d.chance(0.3) {
		gw.Labels = d.labelMap(8)
	}
	if d.chance(0.3) {
		gw.Annotations = d.annotationMap(16)
	}
	n := 1 + d.intn(4)
	if d.chance(0.03) {
		n = 64
	}
	d.listeners(&gw, ns, n)
	return gw
}

// istioPorts are the ports Istio's proxies listen on themselves, which a
// listener may not take.
var istioPorts = map[int32]bool{15000: true, 15001: true, 15004: true, 15006: true, 15008: true, 15009: true, 15020: true, 15021: true, 15053: true, 15090: true}

// portFamily groups the listener protocols that can share a port.
func portFamily(p string) string {
	if p == "HTTPS" {
		return "TLS"
	}
	return p
}

// listeners generates n listeners of a gateway: one protocol family per
// port, no two alike in port, protocol and hostname, an HTTPS redirect
// only when the gateway has HTTPS on one port.
func (d *draft) listeners(gw *mesh.APIGateway, ns string, n int) {
	families := map[int32]string{}
	triples := map[string]bool{}
	names := map[string]bool{}
	for range n {
		l := mesh.Listener{}
		proto := d.enum("spec.gatewayAPI.gateways[].listeners[].protocol")
		switch proto {
		case "HTTPS":
			l.TLS = &mesh.ListenerTLS{}
			if d.chance(0.5) {
				l.TLS.Mode = "Terminate"
			}
		case "TLS":
			l.TLS = &mesh.ListenerTLS{Mode: d.enum("spec.gatewayAPI.gateways[].listeners[].tls.mode")}
		}
		if proto != listenerProtocol(&l) || d.chance(0.4) {
			l.Protocol = proto
			if d.chance(0.1) {
				l.Protocol = strings.ToLower(proto)
			}
		}
		port := map[string]int32{"HTTP": 80, "HTTPS": 443, "TLS": 443}[proto]
		if port == 0 || d.chance(0.5) {
			port = pick(d.gen, int32(80), 443, 8080, 8443, 1, 65535, 5443, 9000, 15443)
			l.Port = port
		}
		if f, ok := families[port]; ok && f != portFamily(proto) {
			port = int32(20000 + d.intn(30000))
			l.Port = port
		}
		families[port] = portFamily(proto)
		if proto != "TCP" && d.chance(0.6) {
			l.Hostname = d.hostName(true)
		}
		triple := fmt.Sprintf("%d/%s/%s", port, proto, l.Hostname)
		if triples[triple] {
			continue
		}
		triples[triple] = true
		if d.chance(0.5) {
			name := pick(d.gen, "http", "https", "web", "tls-db", d.dnsLabel(63, false))
			if !names[name] {
				names[name] = true
				l.Name = name
			}
		}
		if l.TLS != nil && l.TLS.Mode != "Passthrough" {
			for range 1 + d.intn(2) {
				l.TLS.CertificateRefs = append(l.TLS.CertificateRefs, d.certificateRef(ns, l.Hostname))
			}
		}
		if d.chance(0.4) {
			l.AllowedRoutes = d.allowedRoutes(proto)
		}
		gw.Listeners = append(gw.Listeners, l)
	}
	httpsPorts := map[int32]bool{}
	for _, l := range gw.Listeners {
		if listenerProtocol(&l) == "HTTPS" {
			httpsPorts[cmpPort(l.Port, 443)] = true
		}
	}
	if len(httpsPorts) != 1 {
		return
	}
	for i := range gw.Listeners {
		if listenerProtocol(&gw.Listeners[i]) == "HTTP" && d.chance(0.5) {
			gw.Listeners[i].HTTPSRedirect = true
		}
	}
}

// cmpPort is the port, or def when it is 0.
func cmpPort(p, def int32) int32 {
	if p == 0 {
		return def
	}
	return p
}

// certificateRef returns a Secret reference of a listener, in the
// gateway's namespace or another, perhaps with a Certificate that writes
// it.
func (d *draft) certificateRef(ns, hostname string) mesh.CertificateRef {
	ref := mesh.CertificateRef{Name: pick(d.gen, "shop-tls", "api-tls", d.dnsSubdomain(253))}
	secretNS := ns
	if d.chance(0.3) {
		secretNS = pick(d.gen, "certificates", d.root, d.dnsLabel(63, false))
		ref.Namespace = secretNS
		d.otherNS[secretNS] = true
	}
	if d.chance(0.4) {
		var hosts []string
		if hostname != "" {
			hosts = []string{hostname}
		}
		ref.Certificate = d.certificate(secretNS, ref.Name, hosts)
	}
	return ref
}

// allowedRoutes generates which routes may attach to a listener.
func (d *draft) allowedRoutes(proto string) *mesh.AllowedRoutes {
	a := &mesh.AllowedRoutes{From: d.enumOrEmpty("spec.gatewayAPI.gateways[].listeners[].allowedRoutes.from")}
	if a.From == "Selector" {
		for len(a.Selector) == 0 {
			a.Selector = d.labelMap(3)
		}
	}
	kinds := map[string][]string{
		"HTTP": {"HTTPRoute", "GRPCRoute"}, "HTTPS": {"HTTPRoute", "GRPCRoute"},
		"TLS": {"TLSRoute", "TCPRoute"}, "TCP": {"TCPRoute"},
	}[proto]
	for _, k := range kinds {
		if d.chance(0.4) {
			a.Kinds = append(a.Kinds, k)
		}
	}
	return a
}

// waypoint generates the ambient waypoint of namespace ns, or nil when
// its name would deploy over another gateway.
func (d *draft) waypoint(ns string) *mesh.Waypoint {
	w := &mesh.Waypoint{For: d.enumOrEmpty("spec.namespaces[].waypoint.for")}
	name := "waypoint"
	if d.chance(0.5) {
		name = d.dnsLabel(63, false)
		w.Name = name
	}
	if d.deployments[ns+"/"+name] {
		return nil
	}
	d.deployments[ns+"/"+name] = true
	if d.chance(0.3) {
		w.Revision = d.injectionTarget()
	}
	return w
}
