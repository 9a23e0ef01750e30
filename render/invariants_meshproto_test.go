package render

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	meshv1alpha1 "istio.io/api/mesh/v1alpha1"
)

// meshConfigCases are mesh configs istiod reads (the conformance module
// holds the verdicts to istio.io/istio's own decoder:
// TestMeshConfigAcceptedAsIstiodReadsIt), or cannot decode, and the
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
