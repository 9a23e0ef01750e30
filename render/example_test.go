package render_test

import (
	"context"
	"errors"
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
  mesh:
    egress:
    - host: api.stripe.com
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
	// kind: ServiceEntry
	// metadata:
	//   labels:
	//     app.kubernetes.io/managed-by: istio-render
	//     app.kubernetes.io/part-of: istio
	//   name: egress-api.stripe.com
	//   namespace: istio-system
	// spec:
	//   hosts:
	//   - api.stripe.com
	//   location: MESH_EXTERNAL
	//   ports:
	//   - name: tls-443
	//     number: 443
	//     protocol: TLS
	//   resolution: DNS
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

// A program that renders many specs, or one spec again and again, owns a
// cache and passes it in; a render without one remembers nothing.
func ExampleNewCache() {
	m, _, err := mesh.Load([]byte("apiVersion: istio-render.dev/v1alpha1\nkind: IstioMesh\nmetadata:\n  name: shop\nspec:\n  profile: default\n"))
	if err != nil {
		fmt.Println(err)
		return
	}
	opts := render.Options{Cache: render.NewCache(32)}
	first, err := render.Render(context.Background(), m, opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	again, err := render.Render(context.Background(), m, opts) // a copy of what the cache holds
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(opts.Cache.Len(), "releases cached;", string(first.Bytes()) == string(again.Bytes()))
	// Output:
	// 3 releases cached; true
}

// A chart that rejects the user's raw Helm values is a *ChartError naming
// the spec field that carried them.
func ExampleChartError() {
	m, _, err := mesh.Load([]byte(`
apiVersion: istio-render.dev/v1alpha1
kind: IstioMesh
metadata:
  name: shop
spec:
  gateways:
  - name: istio-ingressgateway
    values:
      service: {type: 42}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = render.Render(context.Background(), m, render.Options{})
	var ce *render.ChartError
	if errors.As(err, &ce) {
		fmt.Println(ce.Field, ce.Component, ce.Chart)
	}
	// Output:
	// spec.gateways[0].values gateway/istio-ingressgateway gateway
}

// Releases lists what Render renders as Helm releases, with the exact
// values each chart gets: the way to hand a render to Helm itself.
func ExampleReleases() {
	m, _, err := mesh.Load([]byte("apiVersion: istio-render.dev/v1alpha1\nkind: IstioMesh\nmetadata:\n  name: shop\nspec:\n  profile: minimal\n  revision: 1-31-0\n"))
	if err != nil {
		fmt.Println(err)
		return
	}
	rels, err := render.Releases(m, render.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rels {
		fmt.Println(r.Component, r.Chart, r.ChartVersion, r.Namespace+"/"+r.Name, "revision:", r.Values["revision"])
	}
	// Output:
	// base base 1.31.0 istio-system/istio-base revision: <nil>
	// istiod istiod 1.31.0 istio-system/istiod-1-31-0 revision: 1-31-0
}
