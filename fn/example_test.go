package fn_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/fn/framework"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/istio-render/istio-render/fn"
)

// A ResourceList in, a ResourceList out: the way a function runner such as
// kustomize calls the function. The spec has a mistake, so the function
// generates nothing and answers with a result naming the field.
func Example() {
	in := `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items: []
functionConfig:
  apiVersion: istio-render.dev/v1alpha1
  kind: IstioMesh
  metadata:
    name: prod
  spec:
    mesh:
      mtls: STRCT
`
	var out bytes.Buffer
	rw := &kio.ByteReadWriter{Reader: strings.NewReader(in), Writer: &out, KeepReaderAnnotations: true}
	err := framework.Execute(fn.Processor{}, rw)
	fmt.Print(out.String())
	fmt.Println("failed:", err != nil)
	// Output:
	// apiVersion: config.kubernetes.io/v1
	// kind: ResourceList
	// items: []
	// functionConfig:
	//   apiVersion: istio-render.dev/v1alpha1
	//   kind: IstioMesh
	//   metadata:
	//     name: prod
	//   spec:
	//     mesh:
	//       mtls: STRCT
	// results:
	// - message: 'unsupported value "STRCT": must be one of STRICT, PERMISSIVE'
	//   severity: error
	//   resourceRef:
	//     apiVersion: istio-render.dev/v1alpha1
	//     kind: IstioMesh
	//     name: prod
	//   field:
	//     path: spec.mesh.mtls
	// failed: true
}

// The processor appends the rendered objects to the items, in apply order,
// and reports warnings as results. The spec turns the charts' cluster-wide
// objects (base chart) and namespaced ones (istiod chart) off to keep the
// example short.
func ExampleProcessor() {
	rl := &framework.ResourceList{FunctionConfig: yaml.MustParse(`
apiVersion: istio-render.dev/v1alpha1
kind: IstioMesh
metadata:
  name: small
spec:
  profile: minimal
  values:
    base: {global: {resourceScope: namespace}}
    istiod: {global: {resourceScope: cluster}}
`)}
	if err := (fn.Processor{}).Process(rl); err != nil {
		fmt.Println(err)
		return
	}
	for _, item := range rl.Items {
		fmt.Println(item.GetKind(), item.GetName())
	}
	for _, r := range rl.Results {
		fmt.Println(r.Severity, r.Field.Path)
	}
	// Output:
	// Namespace istio-system
	// ServiceAccount istio-reader-service-account
	// ClusterRole istio-reader-clusterrole-istio-system
	// ClusterRole istiod-clusterrole-istio-system
	// ClusterRole istiod-gateway-controller-istio-system
	// ClusterRoleBinding istio-reader-clusterrole-istio-system
	// ClusterRoleBinding istiod-clusterrole-istio-system
	// ClusterRoleBinding istiod-gateway-controller-istio-system
	// MutatingWebhookConfiguration istio-sidecar-injector
	// ValidatingWebhookConfiguration istio-validator-istio-system
	// warning spec.controlPlane
}

// Run reads a ResourceList and writes one back, as framework.Execute does
// with the Processor, and returns the results it added so that a command
// can print them. The rendered objects follow the items it was given.
func ExampleProcessor_Run() {
	in := `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: passed-through
functionConfig:
  apiVersion: istio-render.dev/v1alpha1
  kind: IstioMesh
  metadata:
    name: small
  spec:
    profile: minimal
    values:
      base: {global: {resourceScope: namespace}}
      istiod: {global: {resourceScope: cluster}}
`
	var out bytes.Buffer
	rw := &kio.ByteReadWriter{Reader: strings.NewReader(in), Writer: &out, KeepReaderAnnotations: true}
	results, err := fn.Processor{}.Run(context.Background(), rw)
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = fn.WriteResults(os.Stdout, results)
	lines := strings.Split(out.String(), "\n")
	fmt.Println(strings.Join(lines[:17], "\n"))
	// Output:
	// warning: IstioMesh/small: spec.controlPlane: istiod runs 1 replica: no PodDisruptionBudget is rendered, because a budget for a single pod blocks node drains; run 2 or more replicas for high availability
	// apiVersion: config.kubernetes.io/v1
	// kind: ResourceList
	// items:
	// - apiVersion: v1
	//   kind: ConfigMap
	//   metadata:
	//     name: passed-through
	// - apiVersion: v1
	//   kind: Namespace
	//   metadata:
	//     annotations:
	//       argocd.argoproj.io/sync-options: Prune=false,Delete=false
	//       kustomize.toolkit.fluxcd.io/prune: disabled
	//     labels:
	//       app.kubernetes.io/managed-by: istio-render
	//       app.kubernetes.io/part-of: istio
	//     name: istio-system
}

// WriteResults prints results one per line, each with its field path: the
// form to use on standard error, which is all that kustomize shows of a
// failing function.
func ExampleWriteResults() {
	rl := &framework.ResourceList{FunctionConfig: yaml.MustParse(`
apiVersion: istio-render.dev/v1alpha1
kind: IstioMesh
metadata:
  name: prod
spec:
  gateways:
  - name: istio-ingressgateway
    servers:
    - hosts: [shop.example.com]
      tls: {mode: SIMPLE}
  namespaces:
  - name: shop
    mtls: STRICTER
`)}
	if err := (fn.Processor{}).Process(rl); err != nil {
		_ = fn.WriteResults(os.Stdout, rl.Results)
	}
	// Output:
	// error: IstioMesh/prod: spec.gateways[0].servers[0].tls.credentialName: required for mode SIMPLE: the Secret with the server's key and certificate
	// error: IstioMesh/prod: spec.namespaces[0].mtls: unsupported value "STRICTER": must be one of STRICT, PERMISSIVE, DISABLE
}
