package render_test

import (
	"strings"
	"testing"
)

// TestGatewayPortNamesFitTheirServers: the gateway chart names Service
// port 80 http2 and 443 https; a server of another protocol on those
// ports, in the gateway's own Gateway object or in one of its more
// objects, gets a name that says its protocol instead.
func TestGatewayPortNamesFitTheirServers(t *testing.T) {
	tests := []struct {
		name, spec string
	}{{
		name: "the gateway's servers",
		spec: "spec:\n  gateways:\n  - name: istio-ingressgateway\n    servers:\n    - {port: 80, protocol: TCP, hosts: [\"*\"]}\n    - {port: 443, protocol: HTTP, hosts: [\"*\"]}\n",
	}, {
		name: "servers of more Gateway objects",
		spec: "spec:\n  gateways:\n  - name: istio-ingressgateway\n    objects:\n    - name: tcp\n      servers:\n      - {port: 80, protocol: TCP, hosts: [\"*\"]}\n    - name: plain\n      servers:\n      - {port: 443, protocol: HTTP, hosts: [\"*\"]}\n",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := renderSpec(t, tt.spec)
			var names []string
			for _, r := range m.Resources {
				if r.Kind == "Service" && r.Name == "istio-ingressgateway" {
					for _, p := range r.Object()["spec"].(map[string]any)["ports"].([]any) {
						names = append(names, p.(map[string]any)["name"].(string))
					}
				}
			}
			if got, want := strings.Join(names, ","), "status-port,tcp-80,http-443"; got != want {
				t.Errorf("Service port names %s, want %s", got, want)
			}
		})
	}
}
