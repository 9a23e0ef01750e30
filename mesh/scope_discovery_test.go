package mesh_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestScopeHostsIstiodDoesNotDiscover: with discovery selectors, a scope
// host in a namespace istio-render does not render (and so does not
// label) names services istiod never sees; it is a warning at the host.
func TestScopeHostsIstiodDoesNotDiscover(t *testing.T) {
	const spec = "spec:\n  profile: minimal\n  cni: {enabled: true, namespace: istio-cni}\n" +
		"  gateways:\n  - {name: egress, kind: egress, namespace: istio-egress}\n" +
		"  namespaces:\n  - name: shop\n    scope: {hosts: [payments/*, istio-egress/*, istio-cni/*, istio-system/*, catalog/*, ./*, '*/api.example.com', ~/*]}\n  - name: catalog\n"
	tests := []struct {
		name, scope string
		want        []string
	}{
		{"discovery selectors", "  mesh: {scope: {discoverySelectors: true}}\n", []string{
			`spec.namespaces[0].scope.hosts[0]: "payments" is not a namespace istio-render renders, so istiod, which discovers only those (spec.mesh.scope.discoverySelectors), never sees its services; list it in spec.namespaces, or label it istio-render.dev/discovery: "istio-system"`,
		}},
		{"every namespace discovered", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, warnings := load(t, spec+tt.scope)
			var got []string
			for _, w := range warnings {
				if strings.Contains(w.Field, ".scope.hosts") {
					got = append(got, w.String())
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("warnings (-want +got):\n%s\nall: %v", diff, warnings)
			}
		})
	}
}
