package render

import (
	"github.com/istio-render/istio-render/mesh"
)

// gatewayObjects renders the networking.istio.io Gateway object of a
// gateway with servers, and a cert-manager Certificate for each server
// that asks for one.
func gatewayObjects(g *mesh.Gateway) []map[string]any {
	if len(g.Servers) == 0 {
		return nil
	}
	selector := map[string]any{}
	for k, v := range g.GatewaySelector() {
		selector[k] = v
	}
	servers := make([]any, len(g.Servers))
	var out []map[string]any
	for i := range g.Servers {
		sv := &g.Servers[i]
		hosts := make([]any, len(sv.Hosts))
		for j, h := range sv.Hosts {
			hosts[j] = h
		}
		server := map[string]any{
			"port":  map[string]any{"number": int64(sv.Port), "name": sv.Name, "protocol": sv.Protocol},
			"hosts": hosts,
		}
		switch {
		case sv.TLS != nil:
			tls := map[string]any{"mode": sv.TLS.Mode}
			set(tls, sv.TLS.CredentialName, "credentialName")
			set(tls, sv.TLS.MinProtocolVersion, "minProtocolVersion")
			server["tls"] = tls
		case sv.HTTPSRedirect:
			server["tls"] = map[string]any{"httpsRedirect": true}
		}
		servers[i] = server
		if c := sv.Certificate; c != nil {
			out = append(out, certificate(g.Namespace, sv.TLS.CredentialName, c))
		}
	}
	gw := object("networking.istio.io/v1", "Gateway", g.Namespace, g.ResourceName, map[string]any{
		"selector": selector,
		"servers":  servers,
	})
	return append(out, gw)
}

// certificate asks cert-manager to keep a server's credential Secret.
func certificate(namespace, secret string, c *mesh.Certificate) map[string]any {
	dns := make([]any, len(c.DNSNames))
	for i, d := range c.DNSNames {
		dns[i] = d
	}
	return object("cert-manager.io/v1", "Certificate", namespace, secret, map[string]any{
		"secretName": secret,
		"dnsNames":   dns,
		"issuerRef": map[string]any{
			"name":  c.IssuerRef.Name,
			"kind":  c.IssuerRef.Kind,
			"group": c.IssuerRef.Group,
		},
	})
}
