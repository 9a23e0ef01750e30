package mesh

// CA types: who signs the workloads' certificates.
const (
	// CAIstiod is istiod's own CA: a self-signed root istiod creates, or
	// the cacerts Secret if you create one yourself.
	CAIstiod = "istiod"
	// CAPlugin is istiod signing with an intermediate CA that cert-manager
	// issues into the cacerts Secret.
	CAPlugin = "plugin"
	// CAIstioCSR is cert-manager's istio-csr signing in istiod's place.
	CAIstioCSR = "istio-csr"
)

// DefaultIstioCSRAddress is where istio-csr's Helm chart serves by default.
const DefaultIstioCSRAddress = "cert-manager-istio-csr.cert-manager.svc:443"

// PluginCASecret is the Secret istiod reads a plugged-in CA from, mounted
// at /etc/cacerts (pilot/pkg/bootstrap/istio_ca.go). istiod accepts its
// own key names (ca-cert.pem, ca-key.pem, root-cert.pem, cert-chain.pem)
// or, when tls.crt is present, a kubernetes.io/tls Secret's tls.crt,
// tls.key and ca.crt, which is what cert-manager writes.
const PluginCASecret = "cacerts"

// CA chooses who signs workload certificates. No key material is ever
// rendered: a plugged-in CA's key is written by cert-manager into the
// cluster, never into the rendered YAML.
type CA struct {
	// Type: istiod (default), plugin or istio-csr.
	Type string `json:"type,omitempty"`
	// Plugin is the cert-manager issuer of istiod's intermediate CA; only
	// with type plugin. It renders a Certificate with isCA true whose
	// Secret is cacerts in the root namespace; istiod reads tls.crt,
	// tls.key and ca.crt from it (ca.crt becomes the mesh's root of trust,
	// so the issuer should be the root CA itself).
	Plugin *PluginCA `json:"plugin,omitempty"`
	// IstioCSR is where cert-manager's istio-csr serves; only with type
	// istio-csr. istio-csr must be installed, with its istiod certificate,
	// before istiod starts.
	IstioCSR *IstioCSR `json:"istioCSR,omitempty"`
}

// PluginCA asks cert-manager for istiod's intermediate CA certificate.
type PluginCA struct {
	// IssuerRef names the cert-manager issuer that signs the intermediate:
	// a CA, Vault or external issuer (ACME cannot issue CA certificates).
	IssuerRef IssuerRef `json:"issuerRef"`
	// CommonName of the intermediate. Default: istiod intermediate CA.
	CommonName string `json:"commonName,omitempty"`
}

// IstioCSR is cert-manager's istio-csr agent.
type IstioCSR struct {
	// Address of istio-csr's gRPC service, host:port. Default:
	// cert-manager-istio-csr.cert-manager.svc:443.
	Address string `json:"address,omitempty"`
}

// setDefaults fills in the type and each type's defaults.
func (c *CA) setDefaults() {
	c.Type = or(c.Type, CAIstiod)
	if p := c.Plugin; p != nil {
		p.IssuerRef.Kind = or(p.IssuerRef.Kind, "ClusterIssuer")
		p.IssuerRef.Group = or(p.IssuerRef.Group, "cert-manager.io")
		p.CommonName = or(p.CommonName, "istiod intermediate CA")
	}
	if c.Type == CAIstioCSR && c.IstioCSR == nil {
		c.IstioCSR = &IstioCSR{}
	}
	if r := c.IstioCSR; r != nil {
		r.Address = or(r.Address, DefaultIstioCSRAddress)
	}
}
