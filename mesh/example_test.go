package mesh_test

import (
	"fmt"

	"github.com/istio-render/istio-render/mesh"
)

func ExampleLoad() {
	m, warnings, err := mesh.Load([]byte(`
apiVersion: istio-render.dev/v1alpha1
kind: IstioMesh
metadata:
  name: shop
spec:
  profile: production
  mesh:
    egress:
    - host: api.stripe.com
  gateways:
  - name: istio-ingressgateway
    servers:
    - hosts: [shop.example.com]
      tls: {mode: SIMPLE, credentialName: shop-tls}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	g := m.Spec.Gateways[0]
	fmt.Println(m.Spec.Version, m.Spec.Mesh.MTLS, g.Autoscale.Min, g.Servers[0].Protocol, g.Servers[0].Port)
	fmt.Println(len(warnings), "warnings")

	_, _, err = mesh.Load([]byte(`
apiVersion: istio-render.dev/v1alpha1
kind: IstioMesh
metadata:
  name: shop
spec:
  gateways:
  - name: istio-ingressgateway
    servers:
    - hosts: [shop.example.com]
      tls: {mode: MUTUAL}
`))
	fmt.Println(err)
	// Output:
	// 1.31.0 STRICT 2 HTTPS 443
	// 0 warnings
	// invalid IstioMesh: spec.gateways[0].servers[0].tls.credentialName: required for mode MUTUAL: the Secret with the server's key and certificate
}

// A spec built in Go removes a profile setting by naming its field path,
// as null does in a document.
func ExampleResolve() {
	m, _, err := mesh.Resolve(&mesh.IstioMesh{
		APIVersion: mesh.APIVersion,
		Kind:       mesh.Kind,
		Metadata:   mesh.Metadata{Name: "shop"},
		Spec: mesh.Spec{
			Profile:      "production",
			ControlPlane: mesh.ControlPlane{Workload: mesh.Workload{Replicas: new(int32(3))}},
		},
	}, "spec.controlPlane.autoscale", "spec.mesh.outboundTrafficPolicy")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Profile, *m.Spec.ControlPlane.Replicas, m.Spec.ControlPlane.Autoscale == nil, m.Spec.Mesh.OutboundTrafficPolicy == "")
	// Output:
	// production 3 true true
}
