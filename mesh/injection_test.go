package mesh_test

import (
	"strings"
	"testing"

	"github.com/istio-render/istio-render/mesh"
)

// TestGatewaysMustBeInjectable: a gateway's pods run the image "auto"
// until Istio's injector gives them a proxy; where it never does, they
// never start.
func TestGatewaysMustBeInjectable(t *testing.T) {
	wantErrors(t, "spec:\n  rootNamespace: kube-system\n",
		problem{"spec.rootNamespace", `"kube-system" is a namespace Istio's sidecar injector never injects, and gateway istio-ingressgateway runs here`})
	for _, ns := range []string{"kube-public", "kube-node-lease", "local-path-storage"} {
		wantErrors(t, "spec:\n  gateways:\n  - name: gw\n    namespace: "+ns+"\n",
			problem{"spec.gateways[0].namespace", `"` + ns + `" is a namespace Istio's sidecar injector never injects`})
	}
	wantErrors(t, "spec:\n  gateways:\n  - name: gw\n    namespace: edge\n  namespaces:\n  - name: edge\n    injection: disabled\n",
		problem{"spec.namespaces[0].injection", "disabled, but gateway gw (spec.gateways[0]) runs in this namespace"})
	wantErrors(t, "spec:\n  gateways:\n  - name: gw\n    labels: {sidecar.istio.io/inject: \"false\"}\n",
		problem{`spec.gateways[0].labels["sidecar.istio.io/inject"]`, "set by the gateway chart"})
	wantErrors(t, "spec:\n  gateways:\n  - name: gw\n    labels: {istio.io/rev: x}\n",
		problem{`spec.gateways[0].labels["istio.io/rev"]`, "set from the gateway's revision"})
	wantValid(t, "spec:\n  gateways:\n  - name: gw\n    namespace: edge\n  namespaces:\n  - name: edge\n    injection: enabled\n")
}

// TestClientMTLSNeedsProxies: an ISTIO_MUTUAL DestinationRule toward a
// namespace whose pods have no proxy fails every call into it.
func TestClientMTLSNeedsProxies(t *testing.T) {
	wantErrors(t, "spec:\n  namespaces:\n  - name: shop\n    injection: disabled\n    clientMTLS: true\n",
		problem{"spec.namespaces[0].clientMTLS", "injection is disabled"})
	wantErrors(t, "spec:\n  namespaces:\n  - name: shop\n    clientMTLS: true\n",
		problem{"spec.namespaces[0].clientMTLS", "the namespace has no injection"})
	warnings := wantValid(t, "spec:\n  namespaces:\n  - name: shop\n    injection: elsewhere\n    clientMTLS: true\n")
	found := false
	for _, w := range warnings {
		found = found || w.Field == "spec.namespaces[0].clientMTLS" && strings.Contains(w.Message, "whether its pods have a proxy depends on a control plane this spec does not install")
	}
	if !found {
		t.Errorf("no clientMTLS warning for injection by another control plane; got %v", warnings)
	}
	wantValid(t, "spec:\n  namespaces:\n  - name: shop\n    injection: enabled\n    clientMTLS: true\n")
	wantValid(t, "spec:\n  profile: ambient\n  namespaces:\n  - name: shop\n    injection: ambient\n    clientMTLS: true\n")
	wantValid(t, "spec:\n  revision: blue\n  namespaces:\n  - name: shop\n    injection: blue\n    clientMTLS: true\n")
}

// TestSkippedNamespacesGetNoProxy: Istio's injector never injects pods in
// the namespaces it skips, whatever their labels. Client mTLS toward one
// fails every call into it; injection asked for there does nothing.
func TestSkippedNamespacesGetNoProxy(t *testing.T) {
	for _, ns := range mesh.InjectorSkippedNamespaces() {
		for _, injection := range []string{"", "disabled", "enabled", "blue", "elsewhere"} {
			t.Run(ns+"/"+injection, func(t *testing.T) {
				spec := "spec:\n  profile: minimal\n  revisionTags: [blue]\n  namespaces:\n  - name: " + ns + "\n    injection: '" + injection + "'\n    clientMTLS: true\n"
				errs, _ := loadProblems(t, spec)
				matchProblems(t, "errors", []problem{{"spec.namespaces[0].clientMTLS", `but "` + ns + `" is a namespace Istio's sidecar injector never injects: its pods have no proxy to answer, so every call from the mesh into it fails; drop clientMTLS`}}, errs)
				spec = strings.Replace(spec, "    clientMTLS: true\n", "", 1)
				errs, warnings := loadProblems(t, spec)
				matchProblems(t, "errors", nil, errs)
				var got []problem
				for _, w := range warnings {
					if strings.HasPrefix(w.field, "spec.namespaces[0]") {
						got = append(got, w)
					}
				}
				var want []problem
				switch injection {
				case "enabled", "blue":
					want = []problem{{"spec.namespaces[0].injection", `"` + ns + `" is a namespace Istio's sidecar injector never injects, whatever its labels: its pods get no proxy`}}
				case "elsewhere":
					want = []problem{
						{"spec.namespaces[0].injection", "pods here are injected only if another control plane serves it"},
						{"spec.namespaces[0].injection", "never injects"},
					}
				}
				matchProblems(t, "warnings", want, got)
			})
		}
	}
	// Ambient enrolment is the node agent's, not the injector's.
	wantValid(t, "spec:\n  profile: ambient\n  namespaces:\n  - name: kube-public\n    injection: ambient\n    clientMTLS: true\n")
}
