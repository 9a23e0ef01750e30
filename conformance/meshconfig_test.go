package conformance_test

import (
	"context"
	"strings"
	"testing"

	meshv1alpha1 "istio.io/api/mesh/v1alpha1"
	"istio.io/istio/pkg/util/protomarshal"
	"sigs.k8s.io/yaml"

	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// TestMeshConfigAcceptedAsIstiodReadsIt renders specs whose raw values set
// mesh config and mesh networks istiod reads, or cannot decode, and holds
// the verdict to istio.io/istio's own protomarshal.ApplyYAML, which istiod
// reads its ConfigMap with (pkg/config/mesh): a render that succeeds must
// hold a mesh config and mesh networks istiod decodes; a refused one must
// be refused because istiod could not decode what the values set. When
// istiod cannot decode its mesh config it runs with Istio's defaults, the
// spec's outbound policy, trust domain and providers gone.
func TestMeshConfigAcceptedAsIstiodReadsIt(t *testing.T) {
	for _, tt := range []struct {
		name, key, value string
	}{
		{"a config istiod reads", "meshConfig", "defaultConfig:\n  holdApplicationUntilProxyStarts: true\n  proxyMetadata: {A: b}\n  terminationDrainDuration: 5s\noutboundTrafficPolicy: {mode: REGISTRY_ONLY}\nextensionProviders:\n- name: z\n  zipkin: {service: z.obs, port: 9411}\n"},
		{"unknown keys", "meshConfig", "notAField: 1\ndefaultConfig: {alsoNot: [x]}\n"},
		{"a string for a boolean", "meshConfig", "defaultConfig:\n  holdApplicationUntilProxyStarts: yes please\n"},
		{"provider settings that are a string", "meshConfig", "extensionProviders:\n- name: b\n  zipkin: hello\n"},
		{"an unknown enum value and bad durations", "meshConfig", "outboundTrafficPolicy: {mode: NOWHERE}\ndefaultConfig:\n  concurrency: many\n  terminationDrainDuration: soon\n"},
		{"a map of the wrong shape", "meshConfig", "defaultConfig:\n  proxyMetadata: [a]\n"},
		{"networks istiod reads", "meshNetworks", "net1:\n  endpoints: [{fromRegistry: c1}]\n  gateways: [{address: 1.2.3.4, port: 15443}]\n"},
		{"networks with endpoints that are a string", "meshNetworks", "net1: {endpoints: x}\n"},
		{"networks with a port that is a word", "meshNetworks", "net1:\n  gateways: [{address: 1.2.3.4, port: many}]\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var value any
			if err := yaml.Unmarshal([]byte(tt.value), &value); err != nil {
				t.Fatal(err)
			}
			values := map[string]any{tt.key: value}
			if tt.key == "meshNetworks" {
				values = map[string]any{"global": map[string]any{"meshNetworks": value}}
			}
			spec, err := yaml.Marshal(map[string]any{
				"apiVersion": "istio-render.dev/v1alpha1", "kind": "IstioMesh", "metadata": map[string]any{"name": "m"},
				"spec": map[string]any{"profile": "minimal", "values": map[string]any{"istiod": values}},
			})
			if err != nil {
				t.Fatal(err)
			}
			var refusal error
			var m *render.Manifest
			r, _, err := mesh.Load(spec)
			if err == nil {
				m, err = render.Render(context.Background(), r, render.Options{})
			}
			refusal = err

			// What istiod reads: the rendered ConfigMap when the render
			// succeeded, else the values as given.
			meshYAML, networksYAML := "", ""
			if m != nil {
				for _, res := range m.Resources {
					if res.Kind == "ConfigMap" && res.Name == "istio" {
						data := res.Object()["data"].(map[string]any)
						meshYAML, _ = data["mesh"].(string)
						networksYAML, _ = data["meshNetworks"].(string)
					}
				}
				if meshYAML == "" {
					t.Fatal("no mesh config rendered")
				}
			} else if tt.key == "meshConfig" {
				meshYAML = tt.value
			} else {
				networksYAML = "networks:\n" + indent(tt.value)
			}
			var istioErr error
			if meshYAML != "" {
				istioErr = protomarshal.ApplyYAML(meshYAML, &meshv1alpha1.MeshConfig{})
			}
			if networksYAML != "" && istioErr == nil {
				istioErr = protomarshal.ApplyYAML(networksYAML, &meshv1alpha1.MeshNetworks{})
			}
			switch {
			case refusal == nil && istioErr != nil:
				t.Errorf("rendered, but istiod cannot decode the result: %v", istioErr)
			case refusal != nil && istioErr == nil:
				t.Errorf("refused (%v), but istiod decodes it", refusal)
			case refusal != nil && !strings.Contains(refusal.Error(), "spec.values.istiod."):
				t.Errorf("refused without naming the raw value: %v", refusal)
			}
			t.Logf("refusal: %v; istiod: %v", refusal, istioErr)
		})
	}
}

func indent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = "  " + l
	}
	return strings.Join(lines, "\n") + "\n"
}
