package render_test

import (
	"strings"
	"testing"
)

// TestGatewayPortNamesFitTheirServers: the gateway chart names Service
// port 80 http2 and 443 https; a server of another protocol on those
// ports gets a name that says its protocol instead.
func TestGatewayPortNamesFitTheirServers(t *testing.T) {
	m := renderSpec(t, "spec:\n  gateways:\n  - name: istio-ingressgateway\n    servers:\n    - {port: 80, protocol: TCP, hosts: [\"*\"]}\n    - {port: 443, protocol: HTTP, hosts: [\"*\"]}\n")
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
}
