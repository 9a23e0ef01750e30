package render_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/istio-render/istio-render/charts"
	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/profiles"
	"github.com/istio-render/istio-render/render"
)

// profileSpec is the spec `istio-render render --profile name` renders.
func profileSpec(b *testing.B, name string) *mesh.IstioMesh {
	b.Helper()
	m, _, err := mesh.Load([]byte(header + "spec:\n  profile: " + name + "\n"))
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// BenchmarkRender renders each profile with the charts already loaded.
func BenchmarkRender(b *testing.B) {
	for _, name := range profiles.Names() {
		b.Run("profile="+name, func(b *testing.B) {
			m := profileSpec(b, name)
			if _, err := render.Render(context.Background(), m, render.Options{}); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := render.Render(context.Background(), m, render.Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRenderUncached renders with the charts loaded but nothing
// remembered: every op's spec has a trust domain and an ingress gateway
// label of its own, so istiod's and the gateway's charts render afresh
// (the base chart's values stay the same, and it is remembered).
func BenchmarkRenderUncached(b *testing.B) {
	for _, name := range []string{"default", "production"} {
		b.Run("profile="+name, func(b *testing.B) {
			if _, err := render.Render(context.Background(), profileSpec(b, name), render.Options{}); err != nil {
				b.Fatal(err)
			}
			i := 0
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				i++
				doc := fmt.Sprintf("%sspec:\n  profile: %s\n  mesh:\n    trustDomain: td-%d.local\n  gateways:\n  - name: istio-ingressgateway\n    labels:\n      op: \"%d\"\n", header, name, i, i)
				m, _, err := mesh.Load([]byte(doc))
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if _, err := render.Render(context.Background(), m, render.Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRenderFirstCall renders with a chart source nobody has used yet,
// so every op also loads the charts it needs, as a new process does.
func BenchmarkRenderFirstCall(b *testing.B) {
	for _, name := range []string{"default", "production"} {
		b.Run("profile="+name, func(b *testing.B) {
			m := profileSpec(b, name)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := render.Render(context.Background(), m, render.Options{Charts: charts.NewEmbedded()}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRenderDistinct renders n specs that all differ (gateway and
// namespace names, replica counts) in one process. Linear growth shows as a
// constant ns/spec; heap-MB is the live heap after the run and a forced
// collection, which must not grow with n.
func BenchmarkRenderDistinct(b *testing.B) {
	for _, n := range []int{1, 10, 100, 1000} {
		b.Run(fmt.Sprintf("specs=%d", n), func(b *testing.B) {
			specs := make([]*mesh.IstioMesh, n)
			for i := range specs {
				doc := fmt.Sprintf("%sspec:\n  profile: production\n  gateways:\n  - name: edge-%d\n    replicas: %d\n  namespaces:\n  - name: app-%d\n    injection: enabled\n    mtls: STRICT\n", header, i, 2+i%3, i)
				m, _, err := mesh.Load([]byte(doc))
				if err != nil {
					b.Fatal(err)
				}
				specs[i] = m
			}
			b.ReportAllocs()
			for b.Loop() {
				for _, m := range specs {
					if _, err := render.Render(context.Background(), m, render.Options{}); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/spec")
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-MB")
		})
	}
}
