package mesh_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// TestChartResourceDefaults reads the resources the embedded charts give
// istiod, a gateway, a sidecar and a waypoint from a render of a spec that
// sets none, and requires the defaults validation checks against to be
// those.
func TestChartResourceDefaults(t *testing.T) {
	m, _, err := mesh.Load([]byte(header + "spec:\n  profile: default\n"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := render.Render(context.Background(), m, render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]any{}
	for _, r := range out.Resources {
		obj := r.Object()
		switch {
		case r.Kind == "Deployment" && r.Name == "istiod":
			got["istiod"] = container(t, obj, "discovery")
		case r.Kind == "Deployment" && r.Name == "istio-ingressgateway":
			got["gateway"] = container(t, obj, "istio-proxy")
		case r.Kind == "ConfigMap" && r.Name == "istio-sidecar-injector":
			var values struct {
				Global struct {
					Proxy, Waypoint struct{ Resources any }
				}
			}
			data, _ := obj["data"].(map[string]any)
			text, _ := data["values"].(string)
			if err := json.Unmarshal([]byte(text), &values); err != nil {
				t.Fatalf("injector values: %v", err)
			}
			got["proxy"], got["waypoint"] = values.Global.Proxy.Resources, values.Global.Waypoint.Resources
		}
	}
	want := map[string]any{}
	for _, c := range []string{"istiod", "gateway", "proxy", "waypoint"} {
		requests, limits := mesh.ChartDefaults(c)
		r := map[string]any{}
		for side, m := range map[string]map[string]string{"requests": requests, "limits": limits} {
			if len(m) > 0 {
				amounts := map[string]any{}
				for k, v := range m {
					amounts[k] = v
				}
				r[side] = amounts
			}
		}
		want[c] = r
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the charts' default resources differ from what validation checks against (-want +got):\n%s", diff)
	}
}

// container returns the resources of a Deployment's container.
func container(t *testing.T, obj map[string]any, name string) any {
	t.Helper()
	spec, _ := obj["spec"].(map[string]any)
	tmpl, _ := spec["template"].(map[string]any)
	pod, _ := tmpl["spec"].(map[string]any)
	cs, _ := pod["containers"].([]any)
	for _, c := range cs {
		if cm, _ := c.(map[string]any); cm["name"] == name {
			return cm["resources"]
		}
	}
	t.Fatalf("no container %s", name)
	return nil
}
