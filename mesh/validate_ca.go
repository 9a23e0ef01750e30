package mesh

var caTypes = []string{CAIstiod, CAPlugin, CAIstioCSR}

// validateCA checks that the CA settings belong to the chosen type.
func (s *Spec) validateCA(p *problems) {
	c := &s.Mesh.CA
	oneOf(p, "spec.mesh.ca.type", c.Type, caTypes...)
	if c.Plugin != nil && c.Type != CAPlugin {
		p.errorf("spec.mesh.ca.plugin", "only with type plugin, not %s: istiod signs with one CA, and a plugin certificate would be issued for nothing", quote(c.Type))
	}
	if c.IstioCSR != nil && c.Type != CAIstioCSR {
		p.errorf("spec.mesh.ca.istioCSR", "only with type istio-csr, not %s", quote(c.Type))
	}
	switch c.Type {
	case CAPlugin:
		if c.Plugin == nil {
			p.errorf("spec.mesh.ca.plugin", "required for type plugin: the cert-manager issuer of istiod's intermediate CA, e.g. {issuerRef: {name: mesh-root}}")
			return
		}
		if c.Plugin.IssuerRef.Name == "" {
			p.errorf("spec.mesh.ca.plugin.issuerRef.name", "required")
		}
		oneOf(p, "spec.mesh.ca.plugin.issuerRef.kind", c.Plugin.IssuerRef.Kind, "Issuer", "ClusterIssuer")
		if n := len(c.Plugin.CommonName); n > 64 {
			p.errorf("spec.mesh.ca.plugin.commonName", "%d characters: a certificate's common name holds at most 64", n)
		}
		for i := range s.Gateways {
			g := &s.Gateways[i]
			if !g.IsEnabled() || g.Namespace != s.RootNamespace {
				continue
			}
			for _, sv := range g.AllServers() {
				if sv.TLS != nil && sv.TLS.CredentialName == PluginCASecret {
					p.errorf("spec.mesh.ca.plugin", "spec.gateways[%d] serves TLS from the Secret %s in the root namespace, which holds istiod's CA with type plugin; name the gateway's credential otherwise", i, PluginCASecret)
				}
			}
		}
	case CAIstioCSR:
		if r := c.IstioCSR; r != nil && !hostPortRE.MatchString(r.Address) {
			p.errorf("spec.mesh.ca.istioCSR.address", "%s is not host:port, e.g. %s", quote(r.Address), DefaultIstioCSRAddress)
		}
	}
}
