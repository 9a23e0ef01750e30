package mesh

import (
	"fmt"
	"strings"
)

var (
	gatewayKinds = []string{"ingress", "egress"}
	serviceTypes = []string{"LoadBalancer", "ClusterIP", "NodePort"}
	protocols    = []string{"HTTP", "HTTPS", "HTTP2", "GRPC", "TLS", "TCP"}
	tlsModes     = []string{"SIMPLE", "MUTUAL", "PASSTHROUGH"}
)

// validateGateways checks the gateways and returns the enabled ones by name.
func (s *Spec) validateGateways(p *problems) map[string]*Gateway {
	byName := map[string]string{}
	objects := map[string]string{}
	certs := map[string]string{}
	enabled := map[string]*Gateway{}
	selectors := map[string]string{}
	tags := s.tagNames()
	for i := range s.Gateways {
		g := &s.Gateways[i]
		at := fmt.Sprintf("spec.gateways[%d]", i)
		duplicate := false
		if g.Name == "" {
			p.errorf(at+".name", "required")
		} else {
			gatewayName(p, at+".name", g.Name)
			if first, dup := byName[g.Name]; dup {
				p.errorf(at+".name", "duplicate gateway %s (first at %s)", quote(g.Name), first)
				duplicate = true
			} else {
				byName[g.Name] = at
			}
		}
		if !g.IsEnabled() {
			continue
		}
		enabled[g.Name] = g
		istio := g.SelectorLabels()["istio"]
		if first, dup := selectors[istio]; dup && !duplicate {
			p.errorf(at+".name", "selects the same pods as %s (istio: %s): Gateway selectors match pods in every namespace, so rename one of them", first, quote(istio))
		}
		selectors[istio] = at
		oneOf(p, at+".kind", g.Kind, gatewayKinds...)
		dns1123Label(p, at+".namespace", g.Namespace)
		if g.Namespace != s.RootNamespace {
			chartText(p, at+".namespace", g.Namespace, namespaceWriter)
		}
		s.gatewayInjectable(p, at, g)
		switch {
		case g.Revision == "" || s.revisionNames()[g.Revision] || tags[g.Revision]:
		case s.UsesRevisions():
			p.errorf(at+".revision", "%s is neither a revision of spec.revisions nor a tag of spec.tags", quote(g.Revision))
		default:
			p.warnf(at+".revision", "%s is neither a revision nor a revision tag of this spec; the gateway is injected only if another control plane serves it", quote(g.Revision))
		}
		labels(p, at+".labels", g.Labels)
		for _, k := range []string{"app", "istio"} {
			if _, ok := g.Labels[k]; ok {
				p.errorf(keyAt(at+".labels", k), "set from the gateway's name (%s: %s); rename the gateway instead", k, quote(g.SelectorLabels()[k]))
			}
		}
		g.validateService(p, at+".service")
		g.Workload.validate(p, at, "a gateway", "gateway "+g.Name)
		if g.ResourceName != g.Name {
			dns1123Label(p, at+".resourceName", g.ResourceName) // istiod refuses a Gateway whose name has a dot
		}
		if len(g.Servers) > 0 {
			key := g.Namespace + "/" + g.ResourceName
			if first, dup := objects[key]; dup {
				p.errorf(at+".resourceName", "Gateway object %s is also rendered by %s", quote(key), first)
			}
			objects[key] = at
		}
		protoByPort := map[int32]string{}
		g.validateServers(p, at, g.Servers, protoByPort, certs)
		g.validateObjects(p, at, objects, protoByPort, certs)
		g.validateTLSHosts(p, at)
		g.validatePortNames(p, at)
	}
	return enabled
}

// tagNames lists every revision tag of the spec.
func (s *Spec) tagNames() map[string]bool {
	out := map[string]bool{}
	for t := range s.Tags {
		out[t] = true
	}
	for _, t := range s.RevisionTags {
		out[t] = true
	}
	if s.Canary != nil {
		for _, t := range s.Canary.RevisionTags {
			out[t] = true
		}
	}
	return out
}

func (g *Gateway) validateService(p *problems, at string) {
	svc := g.Service
	oneOf(p, at+".type", svc.Type, serviceTypes...)
	annotations(p, at+".annotations", svc.Annotations)
	if svc.LoadBalancerIP != "" && svc.Type != "LoadBalancer" {
		p.errorf(at+".loadBalancerIP", "only applies to type LoadBalancer, not %s", quote(svc.Type))
	} else if svc.LoadBalancerIP != "" {
		ipAddress(p, at+".loadBalancerIP", svc.LoadBalancerIP)
	}
	oneOf(p, at+".externalTrafficPolicy", svc.ExternalTrafficPolicy, "", "Cluster", "Local")
	if svc.ExternalTrafficPolicy != "" && svc.Type == "ClusterIP" {
		p.errorf(at+".externalTrafficPolicy", "only applies to types LoadBalancer and NodePort")
	}
	if g.Kind == "egress" && svc.Type == "LoadBalancer" {
		p.warnf(at+".type", "an egress gateway behind a LoadBalancer is reachable from outside the cluster")
	}
	g.validateServicePorts(p, at+".ports")
}

// validateServers checks the servers of one Gateway object at at; the
// protocol of each port is shared by every object of the gateway, whose
// pods serve them all.
func (g *Gateway) validateServers(p *problems, at string, servers []Server, protoByPort map[int32]string, certs map[string]string) {
	ports := map[string]string{}
	for j := range servers {
		sv := &servers[j]
		sp := fmt.Sprintf("%s.servers[%d]", at, j)
		if len(sv.Hosts) == 0 {
			p.errorf(sp+".hosts", "required: at least one host, e.g. example.com or \"*\"")
		}
		for k, h := range sv.Hosts {
			gatewayHost(p, fmt.Sprintf("%s.hosts[%d]", sp, k), h)
		}
		if sv.Port < 1 || sv.Port > 65535 {
			p.errorf(sp+".port", "%d is not a port number (1-65535)", sv.Port)
		}
		if prev, ok := protoByPort[sv.Port]; ok && prev != sv.Protocol {
			p.errorf(sp+".protocol", "port %d is already %s in this gateway; one port serves one protocol", sv.Port, quote(prev))
		}
		protoByPort[sv.Port] = sv.Protocol
		dns1123Label(p, sp+".name", sv.Name)
		serverName(p, sp, sv)
		if first, dup := ports[sv.Name]; dup {
			p.errorf(sp+".name", "duplicate port name %s (first at %s); name the servers", quote(sv.Name), first)
		}
		ports[sv.Name] = sp
		oneOf(p, sp+".protocol", sv.Protocol, protocols...)
		sv.validateTLS(p, sp)
		if c := sv.Certificate; c != nil {
			sv.validateCertificate(p, sp, g.Namespace, certs)
		}
	}
}

func (sv *Server) validateTLS(p *problems, sp string) {
	t := sv.TLS
	if t == nil {
		if sv.Protocol == "HTTPS" || sv.Protocol == "TLS" {
			p.errorf(sp+".tls", "required for protocol %s", sv.Protocol)
		}
		return
	}
	if sv.HTTPSRedirect {
		p.errorf(sp+".httpsRedirect", "a redirecting server answers plain HTTP; remove tls or httpsRedirect")
	}
	oneOf(p, sp+".tls.mode", t.Mode, tlsModes...)
	switch t.Mode {
	case "SIMPLE", "MUTUAL":
		if t.CredentialName == "" {
			p.errorf(sp+".tls.credentialName", "required for mode %s: the Secret with the server's key and certificate", t.Mode)
		}
		if sv.Protocol != "HTTPS" && sv.Protocol != "TLS" {
			p.errorf(sp+".protocol", "%s cannot terminate TLS; use HTTPS or TLS", quote(sv.Protocol))
		}
	case "PASSTHROUGH":
		if t.CredentialName != "" {
			p.errorf(sp+".tls.credentialName", "must be empty for PASSTHROUGH: the backend terminates TLS")
		}
		if sv.Protocol != "TLS" {
			p.errorf(sp+".protocol", "PASSTHROUGH needs protocol TLS, not %s", quote(sv.Protocol))
		}
	}
	if t.CredentialName != "" {
		dns1123Subdomain(p, sp+".tls.credentialName", t.CredentialName)
	}
	oneOf(p, sp+".tls.minProtocolVersion", t.MinProtocolVersion, "", "TLSV1_2", "TLSV1_3")
}

func (sv *Server) validateCertificate(p *problems, sp, namespace string, certs map[string]string) {
	if sv.TLS == nil || sv.TLS.CredentialName == "" {
		p.errorf(sp+".certificate", "needs tls.credentialName: the Certificate writes that Secret")
		return
	}
	sv.Certificate.validate(p, sp+".certificate", namespace, sv.TLS.CredentialName, certs)
	if sv.TLS.Mode == "MUTUAL" {
		p.warnf(sp+".certificate", "with MUTUAL, the issuer's CA (ca.crt in %s) also decides which client certificates are accepted: every certificate that CA issues gets in", sv.TLS.CredentialName)
	}
}

// validate checks a Certificate that writes Secret secret in namespace:
// its name, issuer and DNS names, and that no other Certificate of the
// spec writes the same Secret or has the same name (certs records both).
func (c *Certificate) validate(p *problems, at, namespace, secret string, certs map[string]string) {
	if c.IssuerRef.Name == "" {
		p.errorf(at+".issuerRef.name", "required")
	}
	oneOf(p, at+".issuerRef.kind", c.IssuerRef.Kind, "Issuer", "ClusterIssuer")
	for k, d := range c.DNSNames {
		name := strings.TrimPrefix(d, "*.")
		if d == "*" || dnsName(name) != nil {
			p.errorf(fmt.Sprintf("%s.dnsNames[%d]", at, k), "%s is not a DNS name a certificate can hold; list certificate.dnsNames", quote(d))
		}
	}
	key := namespace + "/" + secret
	if first, dup := certs[key]; dup {
		p.errorf(at, "a Certificate for Secret %s is already rendered by %s", quote(key), first)
		return
	}
	certs[key] = at
	if c.Name != secret {
		dns1123Subdomain(p, at+".name", c.Name)
	}
	named := "name " + namespace + "/" + c.Name
	if first, dup := certs[named]; dup {
		p.errorf(at+".name", "Certificate %s is also rendered by %s", quote(namespace+"/"+c.Name), first)
	}
	certs[named] = at
}

// gatewayHost checks a Gateway host: [namespace/]dnsName, where the name
// may start with a wildcard label or be "*".
func gatewayHost(p *problems, at, h string) {
	ns, host, hasNS := strings.Cut(h, "/")
	if !hasNS {
		host = h
	} else if ns != "*" && ns != "." && ns != "~" {
		dns1123Label(p, at, ns)
	}
	if host == "*" {
		return
	}
	if err := dnsName(strings.TrimPrefix(host, "*.")); err != nil {
		p.errorf(at, "%s is not a host such as example.com, *.example.com or ns/example.com", quote(h))
	}
}

// dnsName checks a lower-case DNS name (letters are compared
// case-insensitively by DNS; Istio matches hosts case-insensitively too).
func dnsName(name string) error {
	if name == "" || len(name) > 253 {
		return fmt.Errorf("bad length")
	}
	for _, label := range strings.Split(strings.ToLower(name), ".") {
		if len(label) == 0 || len(label) > 63 {
			return fmt.Errorf("bad label")
		}
		for i, r := range label {
			ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' && i > 0 && i < len(label)-1
			if !ok {
				return fmt.Errorf("bad character")
			}
		}
	}
	return nil
}

// SelectorLabels are the labels the gateway chart puts on the pods and the
// Gateway object selects: app and istio from the name, then the user's.
func (g *Gateway) SelectorLabels() map[string]string {
	out := map[string]string{
		"app":   g.Name,
		"istio": strings.TrimPrefix(g.Name, "istio-"),
	}
	for k, v := range g.Labels {
		if k != "app" && k != "istio" {
			out[k] = v
		}
	}
	return out
}

// GatewaySelector is the selector of the Gateway object: the istio label
// from the name plus the user's labels, as in hand-written Gateways.
func (g *Gateway) GatewaySelector() map[string]string {
	out := g.SelectorLabels()
	delete(out, "app")
	return out
}
