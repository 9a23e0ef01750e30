package render_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// TestPluginCABeforeIstiod: istiod reads the cacerts Secret only as it
// starts, and signs with a CA of its own when it is missing, so the
// plugged-in CA's Certificate comes before istiod in every apply order: in
// the stream, in Argo CD's sync waves and in the phases Flux applies.
// Certificates of gateways, which istiod does not need, stay last.
func TestPluginCABeforeIstiod(t *testing.T) {
	for _, tool := range []string{mesh.ToolPlain, mesh.ToolArgoCD, mesh.ToolFlux} {
		t.Run(tool, func(t *testing.T) {
			out := renderSpec(t, "spec:\n  profile: default\n  mesh:\n    ca: {type: plugin, plugin: {issuerRef: {name: root, kind: ClusterIssuer}}}\n  gateways:\n  - name: istio-ingressgateway\n    servers:\n    - {hosts: [a.example.com], tls: {mode: SIMPLE, credentialName: a}, certificate: {issuerRef: {name: acme}}}\n  gitops: {tool: "+tool+", flux: {path: ./deploy}}\n")
			index := map[string]int{}
			phase := map[string]render.Phase{}
			wave := map[string]string{}
			for i, r := range out.Resources {
				id := r.Kind + " " + r.Namespace + "/" + r.Name
				index[id], phase[id] = i, render.PhaseOf(r)
				md, _ := r.Object()["metadata"].(map[string]any)
				ann, _ := md["annotations"].(map[string]any)
				wave[id], _ = ann[render.AnnotationSyncWave].(string)
			}
			const (
				ca      = "Certificate istio-system/cacerts"
				gateway = "Certificate istio-system/a"
				istiod  = "Deployment istio-system/istiod"
				config  = "ConfigMap istio-system/istio"
			)
			for _, id := range []string{ca, gateway, istiod, config} {
				if _, ok := index[id]; !ok {
					t.Fatalf("no %s rendered", id)
				}
			}
			if !(index[config] < index[ca] && index[ca] < index[istiod]) {
				t.Errorf("stream order: %s at %d, %s at %d, %s at %d; want the CA's Certificate after istiod's configuration, before its Deployment", config, index[config], ca, index[ca], istiod, index[istiod])
			}
			gotPhases := map[string]render.Phase{ca: phase[ca], gateway: phase[gateway], istiod: phase[istiod]}
			wantPhases := map[string]render.Phase{ca: render.PhaseConfig, gateway: render.PhaseCustomResources, istiod: render.PhaseControlPlane}
			if diff := cmp.Diff(wantPhases, gotPhases); diff != "" {
				t.Errorf("phases (-want +got):\n%s", diff)
			}
			if tool == mesh.ToolArgoCD {
				gotWaves := map[string]string{ca: wave[ca], gateway: wave[gateway], istiod: wave[istiod]}
				wantWaves := map[string]string{ca: "-3", gateway: "0", istiod: "-2"}
				if diff := cmp.Diff(wantWaves, gotWaves); diff != "" {
					t.Errorf("sync waves (-want +got):\n%s", diff)
				}
			}
		})
	}
}
