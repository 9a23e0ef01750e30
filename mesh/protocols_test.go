package mesh_test

import (
	"testing"
)

// TestServerNamesMatchProtocol: Istio reads a port's protocol from its
// name's prefix; a server name that says another protocol than the server
// speaks misleads every client in the mesh.
func TestServerNamesMatchProtocol(t *testing.T) {
	server := func(name, protocol, tls string) string {
		return "spec:\n  gateways:\n  - name: gw\n    servers:\n    - name: " + name + "\n      port: 8443\n      protocol: " + protocol + "\n      hosts: [\"*\"]\n" + tls
	}
	simple := "      tls: {mode: SIMPLE, credentialName: gw-tls}\n"
	wantErrors(t, server("grpc", "HTTPS", simple),
		problem{"spec.gateways[0].servers[0].name", `"grpc" tells clients in the mesh that port 8443 speaks GRPC (Istio reads a port's protocol from its name), but the server speaks HTTPS; name it https or https-<suffix>`})
	wantErrors(t, server("http-x", "TCP", ""), problem{"spec.gateways[0].servers[0].name", "speaks HTTP (Istio"})
	wantErrors(t, server("http", "GRPC", ""), problem{"spec.gateways[0].servers[0].name", "but the server speaks GRPC"})
	for _, ok := range []struct{ name, protocol, tls string }{
		{"https-api", "HTTPS", simple}, {"tls", "HTTPS", simple}, {"api", "HTTPS", simple},
		{"grpc-web", "HTTP2", ""}, {"http2", "HTTP", ""}, {"grpc", "GRPC", ""}, {"tcp-db", "TCP", ""},
		{"mysql", "TCP", ""},
	} {
		wantValid(t, server(ok.name, ok.protocol, ok.tls))
	}
}
