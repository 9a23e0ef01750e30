package render_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestNamespaceSidecarSeesEgressRoutes: a namespace's own Sidecar holds the
// namespaces of the egress gateways external hosts are routed through.
// There live the VirtualServices that send a host's calls to its gateway;
// a proxy that cannot see them still sees the host's ServiceEntry in the
// root namespace and calls the host directly, past the gateway.
func TestNamespaceSidecarSeesEgressRoutes(t *testing.T) {
	const gateways = "  gateways:\n  - {name: istio-egressgateway, kind: egress, namespace: istio-egress, replicas: 2}\n  - {name: audit-egress, kind: egress, namespace: audit, replicas: 2}\n  - {name: idle-egress, kind: egress, namespace: idle, replicas: 2}\n"
	tests := []struct {
		name, spec string
		want       map[string]any
	}{{
		name: "routed through two gateways",
		spec: "spec:\n  profile: minimal\n" + gateways + "  mesh:\n    egress:\n    - {host: api.github.com, gateway: istio-egressgateway}\n    - {host: api.stripe.com, gateway: audit-egress}\n    - {host: edition.cnn.com, gateway: istio-egressgateway}\n    - {host: db.example.com}\n  namespaces:\n  - name: reporting\n    injection: enabled\n    scope: {hosts: ['payments/*']}\n",
		want: map[string]any{"reporting": []any{"./*", "istio-system/*", "audit/*", "istio-egress/*", "payments/*"}},
	}, {
		name: "the gateway's namespace listed too",
		spec: "spec:\n  profile: minimal\n" + gateways + "  mesh:\n    egress:\n    - {host: api.github.com, gateway: istio-egressgateway}\n  namespaces:\n  - name: reporting\n    injection: enabled\n    scope: {hosts: ['istio-egress/*', 'payments/*']}\n",
		want: map[string]any{"reporting": []any{"./*", "istio-system/*", "istio-egress/*", "payments/*"}},
	}, {
		name: "a gateway in the root namespace",
		spec: "spec:\n  profile: minimal\n  gateways:\n  - {name: istio-egressgateway, kind: egress, replicas: 2}\n  mesh:\n    egress:\n    - {host: api.github.com, gateway: istio-egressgateway}\n  namespaces:\n  - name: reporting\n    injection: enabled\n    scope: {hosts: ['payments/*']}\n",
		want: map[string]any{"reporting": []any{"./*", "istio-system/*", "payments/*"}},
	}, {
		name: "nothing routed through a gateway",
		spec: "spec:\n  profile: minimal\n" + gateways + "  mesh:\n    egress:\n    - {host: api.github.com}\n  namespaces:\n  - name: reporting\n    injection: enabled\n    scope: {hosts: ['payments/*']}\n",
		want: map[string]any{"reporting": []any{"./*", "istio-system/*", "payments/*"}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := renderSpec(t, tt.spec)
			got := map[string]any{}
			for _, r := range out.Resources {
				if r.Kind == "Sidecar" {
					got[r.Namespace] = r.Object()["spec"].(map[string]any)["egress"].([]any)[0].(map[string]any)["hosts"]
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Sidecar hosts by namespace (-want +got):\n%s", diff)
			}
		})
	}
}
