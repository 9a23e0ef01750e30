package render

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	meshv1alpha1 "istio.io/api/mesh/v1alpha1"
	"istio.io/istio/pkg/util/protomarshal"
)

// meshConfigCases are mesh configs istiod reads, or cannot decode, and the
// parts of them it cannot decode, each with its keys and value.
var meshConfigCases = []struct {
	name, mesh string
	want       []string
}{{
	name: "a config istiod reads",
	mesh: "defaultConfig:\n  holdApplicationUntilProxyStarts: true\n  proxyMetadata: {A: b}\n  terminationDrainDuration: 5s\noutboundTrafficPolicy: {mode: REGISTRY_ONLY}\nextensionProviders:\n- name: z\n  zipkin: {service: z.obs, port: 9411}\n",
}, {
	name: "unknown keys are ignored",
	mesh: "notAField: 1\ndefaultConfig: {alsoNot: [x]}\n",
}, {
	name: "a string for a boolean",
	mesh: "defaultConfig:\n  holdApplicationUntilProxyStarts: yes please\n",
	want: []string{`defaultConfig.holdApplicationUntilProxyStarts: "yes please"`},
}, {
	name: "provider settings that are a string",
	mesh: "extensionProviders:\n- name: b\n  zipkin: hello\n",
	want: []string{`extensionProviders[0].zipkin: "hello"`},
}, {
	name: "every part that does not decode, in key order",
	mesh: "outboundTrafficPolicy: {mode: NOWHERE}\ndefaultConfig:\n  concurrency: many\n  terminationDrainDuration: soon\n",
	want: []string{`defaultConfig.concurrency: "many"`, `defaultConfig.terminationDrainDuration: "soon"`, `outboundTrafficPolicy.mode: "NOWHERE"`},
}, {
	name: "a map of the wrong shape",
	mesh: "defaultConfig:\n  proxyMetadata: [a]\n",
	want: []string{`defaultConfig.proxyMetadata: a list`},
}, {
	name: "a document that is a list",
	mesh: "- a\n",
	want: []string{`the whole: a list`},
}}

// TestMeshConfigDecodesAsIstio decodes each mesh config with istio.io/istio's
// own protomarshal.ApplyYAML, which istiod reads its mesh config with: the
// check must find undecodable parts exactly when it fails.
func TestMeshConfigDecodesAsIstio(t *testing.T) {
	for _, tt := range meshConfigCases {
		t.Run(tt.name, func(t *testing.T) {
			istioErr := protomarshal.ApplyYAML(tt.mesh, &meshv1alpha1.MeshConfig{})
			parts := undecodable(tt.mesh, &meshv1alpha1.MeshConfig{})
			if (istioErr != nil) != (len(tt.want) > 0) || (istioErr != nil) != (len(parts) > 0) {
				t.Errorf("istio's ApplyYAML: %v; undecodable parts: %v; want %v", istioErr, parts, tt.want)
			}
		})
	}
}

// TestMeshNetworksDecodeAsIstio does the same for mesh networks.
func TestMeshNetworksDecodeAsIstio(t *testing.T) {
	for _, tt := range []struct {
		networks string
		bad      bool
	}{
		{networks: "networks:\n  net1:\n    endpoints: [{fromRegistry: c1}]\n    gateways: [{address: 1.2.3.4, port: 15443}]\n"},
		{networks: "networks: {}\n"},
		{networks: "networks:\n  net1: {endpoints: x}\n", bad: true},
		{networks: "networks:\n  net1:\n    gateways: [{address: 1.2.3.4, port: many}]\n", bad: true},
		{networks: "networks: [net1]\n", bad: true},
	} {
		istioErr := protomarshal.ApplyYAML(tt.networks, &meshv1alpha1.MeshNetworks{})
		parts := undecodable(tt.networks, &meshv1alpha1.MeshNetworks{})
		if (istioErr != nil) != tt.bad || (istioErr != nil) != (len(parts) > 0) {
			t.Errorf("%q: istio's ApplyYAML: %v; undecodable parts: %v; want bad %v", tt.networks, istioErr, parts, tt.bad)
		}
	}
}

// TestUndecodableMeshConfig decodes mesh configs as istiod does and lists
// the parts it cannot decode, each alone: a config istiod reads, unknown
// keys and all, has none.
func TestUndecodableMeshConfig(t *testing.T) {
	for _, tt := range meshConfigCases {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, p := range undecodable(tt.mesh, &meshv1alpha1.MeshConfig{}) {
				at := keysPath(p.keys)
				if at == "" {
					at = "the whole"
				}
				got = append(got, fmt.Sprintf("%s: %s", at, describeValue(p.value)))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("undecodable parts (-want +got):\n%s", diff)
			}
		})
	}
}
