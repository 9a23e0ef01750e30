package render_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// valueAt returns the value at a dotted path of a release's values.
func valueAt(values map[string]any, path string) any {
	var cur any = values
	for _, k := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[k]
	}
	return cur
}

// TestDayTwoValues checks the chart values each day-two setting becomes,
// release by release: the values Helm is given, as render.Releases reports
// them.
func TestDayTwoValues(t *testing.T) {
	type want struct {
		component, path string
		value           any
	}
	tests := []struct {
		name string
		spec string
		want []want
	}{{
		name: "nothing set: none of the values",
		spec: "spec:\n  profile: ambient\n",
		want: []want{
			{"istiod", "meshConfig.discoverySelectors", nil},
		},
	}, {
		name: "discovery selectors select the root namespace's label",
		spec: "spec:\n  mesh: {scope: {discoverySelectors: true}}\n",
		want: []want{{"istiod", "meshConfig.discoverySelectors", []any{map[string]any{"matchLabels": map[string]any{mesh.DiscoveryLabel: "istio-system"}}}}}}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _, err := mesh.Load([]byte(header + tt.spec))
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			rels, err := render.Releases(m, render.Options{})
			if err != nil {
				t.Fatalf("Releases: %v", err)
			}
			values := map[string]map[string]any{}
			for _, r := range rels {
				values[r.Component] = r.Values
			}
			for _, w := range tt.want {
				v, ok := values[w.component]
				if !ok {
					t.Fatalf("no release %s", w.component)
				}
				if diff := cmp.Diff(w.value, valueAt(v, w.path)); diff != "" {
					t.Errorf("%s %s (-want +got):\n%s", w.component, w.path, diff)
				}
			}
		})
	}
}

// TestDayTwoObjects renders specs with the day-two settings and checks the
// objects they add or change.
func TestDayTwoObjects(t *testing.T) {
	t.Run("two allowed hosts render their ServiceEntries", func(t *testing.T) {
		out := renderSpec(t, "spec:\n  profile: production\n  mesh:\n    egress:\n    - host: api.stripe.com\n    - host: api.github.com\n      ports: [{port: 443}, {port: 80}]\n")
		got := map[string]any{}
		for _, r := range out.Resources {
			if r.Kind == "ServiceEntry" {
				got[r.Namespace+"/"+r.Name] = r.Object()["spec"]
			}
		}
		want := map[string]any{
			"istio-system/egress-api.stripe.com": map[string]any{
				"hosts": []any{"api.stripe.com"}, "location": "MESH_EXTERNAL", "resolution": "DNS",
				"ports": []any{map[string]any{"name": "tls-443", "number": float64(443), "protocol": "TLS"}},
			},
			"istio-system/egress-api.github.com": map[string]any{
				"hosts": []any{"api.github.com"}, "location": "MESH_EXTERNAL", "resolution": "DNS",
				"ports": []any{
					map[string]any{"name": "tls-443", "number": float64(443), "protocol": "TLS"},
					map[string]any{"name": "http-80", "number": float64(80), "protocol": "HTTP"},
				},
			},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ServiceEntries (-want +got):\n%s", diff)
		}
	})
}
