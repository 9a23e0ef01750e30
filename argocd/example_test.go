package argocd_test

import (
	"context"
	"fmt"
	"os"

	"github.com/istio-render/istio-render/argocd"
	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

func ExampleSnippet() {
	spec, _, err := mesh.Load([]byte(`
apiVersion: istio-render.dev/v1alpha1
kind: IstioMesh
metadata:
  name: prod
spec:
  profile: minimal
  revision: blue
  revisionTags: [stable]
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := render.Render(context.Background(), spec, render.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := argocd.Snippet(argocd.IgnoreDifferences(m.Resources), `IstioMesh "prod"`)
	if err != nil {
		fmt.Println(err)
		return
	}
	os.Stdout.Write(out)
	// Output:
	// # Argo CD settings for IstioMesh "prod": ignore the fields the cluster sets
	// # at run time (istiod's CA bundle in its webhooks, failurePolicy Ignore -> Fail
	// # once validation is ready, the replicas an autoscaler sets). Merge into the
	// # spec of the Application that syncs the rendered objects;
	// # RespectIgnoreDifferences keeps a sync from writing them back.
	// ignoreDifferences:
	//   - group: apps
	//     kind: Deployment
	//     name: istiod-blue
	//     namespace: istio-system
	//     jqPathExpressions:
	//       - .spec.replicas
	//   - group: admissionregistration.k8s.io
	//     kind: MutatingWebhookConfiguration
	//     name: istio-revision-tag-stable
	//     jqPathExpressions:
	//       - .webhooks[]?.clientConfig.caBundle
	//   - group: admissionregistration.k8s.io
	//     kind: MutatingWebhookConfiguration
	//     name: istio-sidecar-injector-blue
	//     jqPathExpressions:
	//       - .webhooks[]?.clientConfig.caBundle
	//   - group: admissionregistration.k8s.io
	//     kind: ValidatingWebhookConfiguration
	//     name: istio-validator-blue-istio-system
	//     jqPathExpressions:
	//       - .webhooks[]?.clientConfig.caBundle
	//       - .webhooks[]?.failurePolicy
	//   - group: admissionregistration.k8s.io
	//     kind: ValidatingWebhookConfiguration
	//     name: istiod-default-validator
	//     jqPathExpressions:
	//       - .webhooks[]?.clientConfig.caBundle
	//       - .webhooks[]?.failurePolicy
	// syncPolicy:
	//   syncOptions:
	//     - RespectIgnoreDifferences=true
}
