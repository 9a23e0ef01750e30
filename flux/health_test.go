package flux_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"

	"github.com/istio-render/istio-render/flux"
	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// TestCertificatesWaitedForUntilReady: the phase that holds the plugged-in
// CA's Certificate, which istiod reads only as it starts, waits for it to
// be Ready through a health check expression; kstatus alone counts a
// Certificate without status as ready. Phases without a Certificate, and
// the last phase, which is not waited for, carry none, so renders without
// a plugged-in CA are what they were.
func TestCertificatesWaitedForUntilReady(t *testing.T) {
	const gateway = "  gateways:\n  - name: istio-ingressgateway\n    servers:\n    - {hosts: [a.example.com], tls: {mode: SIMPLE, credentialName: a}, certificate: {issuerRef: {name: acme}}}\n"
	const plugin = "  mesh:\n    ca: {type: plugin, plugin: {issuerRef: {name: root, kind: ClusterIssuer}}}\n"
	check := []any{map[string]any{
		"apiVersion": "cert-manager.io/v1",
		"kind":       "Certificate",
		"current":    "status.conditions.exists(c, c.type == 'Ready' && c.status == 'True')",
	}}
	tests := []struct {
		name string
		spec string
		want map[string]any
	}{{
		name: "a plugged-in CA",
		spec: plugin + gateway,
		want: map[string]any{"istio-config": check},
	}, {
		name: "gateway Certificates only",
		spec: gateway,
		want: map[string]any{},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _, err := mesh.Load([]byte("apiVersion: istio-render.dev/v1alpha1\nkind: IstioMesh\nmetadata:\n  name: t\nspec:\n  profile: default\n  gitops: {tool: flux, flux: {path: ./deploy}}\n" + tt.spec))
			if err != nil {
				t.Fatal(err)
			}
			out, err := render.Render(context.Background(), m, render.Options{})
			if err != nil {
				t.Fatal(err)
			}
			ks, err := flux.Kustomizations(out.Resources, &out.Spec.Spec)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]any{}
			for _, k := range ks {
				var obj struct {
					Spec map[string]any `json:"spec"`
				}
				if err := yaml.Unmarshal(k.YAML, &obj); err != nil {
					t.Fatal(err)
				}
				if v, ok := obj.Spec["healthCheckExprs"]; ok {
					got[k.Name] = v
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("healthCheckExprs by Kustomization (-want +got):\n%s", diff)
			}
		})
	}
}
