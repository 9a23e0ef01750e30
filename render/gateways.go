package render

import (
	"github.com/istio-render/istio-render/mesh"
)

// gatewayObjects renders the networking.istio.io Gateway objects of a
// gateway: the one its servers make, named after its resourceName, and
// its additional objects, each with a cert-manager Certificate for every
// server that asks for one.
func gatewayObjects(g *mesh.Gateway) []map[string]any {
	var out []map[string]any
	if len(g.Servers) > 0 {
		out = append(out, networkingGateway(g.Namespace, g.ResourceName, g.GatewaySelector(), g.Servers)...)
	}
	for k := range g.Objects {
		o := &g.Objects[k]
		out = append(out, networkingGateway(g.Namespace, o.Name, g.ObjectSelector(o), o.Servers)...)
	}
	return out
}

// networkingGateway renders one networking.istio.io Gateway object and
// the Certificates of its servers.
func networkingGateway(namespace, name string, selectorLabels map[string]string, list []mesh.Server) []map[string]any {
	selector := map[string]any{}
	for k, v := range selectorLabels {
		selector[k] = v
	}
	servers := make([]any, len(list))
	var out []map[string]any
	for i := range list {
		sv := &list[i]
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
			out = append(out, certificate(namespace, sv.TLS.CredentialName, c))
		}
	}
	gw := object("networking.istio.io/v1", "Gateway", namespace, name, map[string]any{
		"selector": selector,
		"servers":  servers,
	})
	return append(out, gw)
}

// certificate asks cert-manager to keep a credential Secret.
func certificate(namespace, secret string, c *mesh.Certificate) map[string]any {
	dns := make([]any, len(c.DNSNames))
	for i, d := range c.DNSNames {
		dns[i] = d
	}
	return object("cert-manager.io/v1", "Certificate", namespace, or(c.Name, secret), map[string]any{
		"secretName": secret,
		"dnsNames":   dns,
		"issuerRef": map[string]any{
			"name":  c.IssuerRef.Name,
			"kind":  c.IssuerRef.Kind,
			"group": c.IssuerRef.Group,
		},
	})
}
