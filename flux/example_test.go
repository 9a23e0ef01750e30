package flux_test

import (
	"context"
	"fmt"

	"sigs.k8s.io/yaml"

	"github.com/istio-render/istio-render/flux"
	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// The Kustomizations of a render with istiod, one gateway and a
// namespace's policy: one per phase, each after the one before.
func ExampleKustomizations() {
	m, _, err := mesh.Load([]byte(`
apiVersion: istio-render.dev/v1alpha1
kind: IstioMesh
metadata:
  name: prod
spec:
  profile: default
  namespaces:
  - name: shop
    mtls: STRICT
  gitops:
    tool: flux
    flux:
      path: ./deploy/istio
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
	ks, err := flux.Kustomizations(out.Resources, &out.Spec.Spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, k := range ks {
		var obj struct {
			Spec struct {
				Path      string                  `json:"path"`
				Wait      bool                    `json:"wait"`
				DependsOn []struct{ Name string } `json:"dependsOn"`
			} `json:"spec"`
		}
		if err := yaml.Unmarshal(k.YAML, &obj); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s/%s %s wait=%t after=%v\n", k.Namespace, k.Name, obj.Spec.Path, obj.Spec.Wait, obj.Spec.DependsOn)
	}
	// Output:
	// flux-system/istio-foundation ./deploy/istio/1-foundation wait=true after=[]
	// flux-system/istio-config ./deploy/istio/2-config wait=true after=[{istio-foundation}]
	// flux-system/istio-control-plane ./deploy/istio/3-control-plane wait=true after=[{istio-config}]
	// flux-system/istio-gateways ./deploy/istio/4-gateways wait=true after=[{istio-control-plane}]
	// flux-system/istio-custom-resources ./deploy/istio/5-custom-resources wait=false after=[{istio-gateways}]
}
