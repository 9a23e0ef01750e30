package mesh_test

import "testing"

// TestExtensionProviderShape: istiod decodes every extension provider into
// Istio's MeshConfig.ExtensionProvider, and one it cannot decode makes it
// drop the whole mesh config; a provider's name must be a string and its
// settings a mapping.
func TestExtensionProviderShape(t *testing.T) {
	tests := []struct {
		name, spec string
		want       problem
	}{{
		name: "settings that are a string",
		spec: "spec:\n  mesh: {extensionProviders: [{name: b, zipkin: \"hello\"}]}\n",
		want: problem{"spec.mesh.extensionProviders[0].zipkin", "is a string; a provider's settings are a mapping, such as zipkin: {service: "},
	}, {
		name: "settings that are a list",
		spec: "spec:\n  mesh: {extensionProviders: [{name: p, prometheus: [a]}]}\n",
		want: problem{"spec.mesh.extensionProviders[0].prometheus", "is a list; a provider's settings are a mapping, such as prometheus: {}"},
	}, {
		name: "a name that is a number",
		spec: "spec:\n  mesh: {extensionProviders: [{name: 7, zipkin: {service: z.obs, port: 9411}}]}\n",
		want: problem{"spec.mesh.extensionProviders[0].name", "is a number (7); a provider's name is a string"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantErrors(t, tt.spec, tt.want) })
	}
	// Settings left empty decode.
	wantValid(t, "spec:\n  mesh: {extensionProviders: [{name: p, prometheus: {}}]}\n")
}
