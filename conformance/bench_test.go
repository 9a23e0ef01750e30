package conformance_test

import (
	"testing"

	"helm.sh/helm/v3/pkg/chart"

	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/profiles"
	"github.com/istio-render/istio-render/render"
)

// BenchmarkHelmTemplate is the baseline for render's benchmarks: the same
// charts, releases and values rendered the way `helm template` renders
// them (Helm's install action, client-only dry run), in process, with the
// charts already loaded. Compare with render's BenchmarkRender (warm) and
// BenchmarkRenderFirstCall (charts loaded per op) in the same run.
func BenchmarkHelmTemplate(b *testing.B) {
	for _, name := range profiles.Names() {
		b.Run("profile="+name, func(b *testing.B) {
			m, _, err := mesh.Load([]byte("apiVersion: istio-render.dev/v1alpha1\nkind: IstioMesh\nmetadata:\n  name: bench\nspec:\n  profile: " + name + "\n"))
			if err != nil {
				b.Fatal(err)
			}
			rels, err := render.Releases(m, render.Options{})
			if err != nil {
				b.Fatal(err)
			}
			hc := newHelmCharts(b)
			loaded := make([]*chart.Chart, len(rels))
			for i, rel := range rels {
				loaded[i] = hc.chart(b, rel)
			}
			b.ReportAllocs()
			for b.Loop() {
				for i, rel := range rels {
					if _, err := helmTemplate(loaded[i], rel); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
