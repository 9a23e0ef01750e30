package render_test

import (
	"context"
	"fmt"

	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

func ExampleRender() {
	m, _, err := mesh.Load([]byte(`
apiVersion: istio-render.dev/v1alpha1
kind: IstioMesh
metadata:
  name: shop
spec:
  profile: production
  namespaces:
  - name: shop
    injection: enabled
    mtls: STRICT
    clientMTLS: true
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := render.Render(context.Background(), m, render.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range out.Resources {
		if r.Component == render.ComponentPolicy {
			fmt.Printf("---\n%s", r.YAML)
		}
	}
	fmt.Println(out.Counts()["CustomResourceDefinition"] > 10, len(out.Warnings))
	// Output:
	// ---
	// apiVersion: security.istio.io/v1
	// kind: PeerAuthentication
	// metadata:
	//   labels:
	//     app.kubernetes.io/managed-by: istio-render
	//     app.kubernetes.io/part-of: istio
	//   name: default
	//   namespace: istio-system
	// spec:
	//   mtls:
	//     mode: STRICT
	// ---
	// apiVersion: security.istio.io/v1
	// kind: PeerAuthentication
	// metadata:
	//   labels:
	//     app.kubernetes.io/managed-by: istio-render
	//     app.kubernetes.io/part-of: istio
	//   name: default
	//   namespace: shop
	// spec:
	//   mtls:
	//     mode: STRICT
	// ---
	// apiVersion: networking.istio.io/v1
	// kind: DestinationRule
	// metadata:
	//   labels:
	//     app.kubernetes.io/managed-by: istio-render
	//     app.kubernetes.io/part-of: istio
	//   name: default-mtls
	//   namespace: shop
	// spec:
	//   host: '*.shop.svc.cluster.local'
	//   trafficPolicy:
	//     tls:
	//       mode: ISTIO_MUTUAL
	// true 0
}
