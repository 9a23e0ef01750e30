package fn_test

import (
	"bytes"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/fn/framework"
	"sigs.k8s.io/kustomize/kyaml/kio"

	"github.com/istio-render/istio-render/fn"
)

// TestResultsSayAnElementComesFromTheProfile: a result about a gateway
// the spec does not name, at an index of the merged list, says which
// gateway it is and that the profile gives it.
func TestResultsSayAnElementComesFromTheProfile(t *testing.T) {
	const in = `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items: []
functionConfig:
  apiVersion: istio-render.dev/v1alpha1
  kind: IstioMesh
  metadata:
    name: from-profile
  spec:
    profile: default
    gateways:
    - {name: edge, replicas: 2}
`
	var out bytes.Buffer
	if err := framework.Execute(fn.Processor{}, &kio.ByteReadWriter{Reader: strings.NewReader(in), Writer: &out}); err != nil {
		t.Fatal(err)
	}
	const want = "message: '(istio-ingressgateway, from profile default) gateway istio-ingressgateway runs 1 replica"
	if !strings.Contains(out.String(), want) {
		t.Errorf("results lack %q:\n%s", want, out.String())
	}
}
