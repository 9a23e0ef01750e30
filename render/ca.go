package render

import (
	"github.com/istio-render/istio-render/mesh"
)

// caValues configures istiod for the spec's CA.
//
// With type plugin nothing changes in istiod's values: the istiod chart
// always mounts the Secret cacerts (optional) at /etc/cacerts, and istiod
// signs with what it finds there (pilot/pkg/bootstrap/istio_ca.go,
// detectSigningCABundleAndCRL): when tls.crt is present it reads a
// kubernetes.io/tls Secret's tls.crt, tls.key and ca.crt, which is what the
// rendered Certificate makes cert-manager write; otherwise its own names
// ca-cert.pem, ca-key.pem, root-cert.pem and cert-chain.pem.
//
// With type istio-csr, as cert-manager's istio-csr documents: proxies ask
// istio-csr for certificates (global.caAddress) and istiod's CA server is
// off (ENABLE_CA_SERVER=false). istiod's own serving certificate is the
// istiod-tls Secret istio-csr keeps, with the root in the
// istio-ca-root-cert ConfigMap istio-csr writes; the chart already mounts
// both where istiod looks for them (/var/run/secrets/istiod/tls and
// /var/run/secrets/istiod/ca, pilot/pkg/bootstrap/server.go,
// hasCustomTLSCerts), so no volume is added. global.certSigners is left
// empty: it lets istiod approve Kubernetes CertificateSigningRequests for
// other signers, which istio-csr does not use.
func caValues(s *mesh.Spec, v map[string]any) {
	if c := s.Mesh.CA; c.Type == mesh.CAIstioCSR {
		set(v, c.IstioCSR.Address, "global", "caAddress")
		set(v, "false", "env", "ENABLE_CA_SERVER")
	}
}

// caZtunnel points ztunnel, which istiod does not inject, at istio-csr.
func caZtunnel(s *mesh.Spec, v map[string]any) {
	if c := s.Mesh.CA; c.Type == mesh.CAIstioCSR {
		set(v, c.IstioCSR.Address, "caAddress")
	}
}

// caObjects renders the plugged-in CA's Certificate: cert-manager issues
// istiod's intermediate CA into the cacerts Secret of the root namespace.
// The key stays in the cluster; nothing secret is rendered.
func caObjects(s *mesh.Spec) []map[string]any {
	c := s.Mesh.CA
	if c.Type != mesh.CAPlugin || c.Plugin == nil {
		return nil
	}
	p := c.Plugin
	return []map[string]any{object("cert-manager.io/v1", "Certificate", s.RootNamespace, mesh.PluginCASecret, map[string]any{
		"secretName": mesh.PluginCASecret,
		"isCA":       true,
		"commonName": p.CommonName,
		"issuerRef": map[string]any{
			"name":  p.IssuerRef.Name,
			"kind":  p.IssuerRef.Kind,
			"group": p.IssuerRef.Group,
		},
	})}
}
