package render_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"istio.io/istio/manifests"

	"github.com/istio-render/istio-render/charts"
	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/profiles"
	"github.com/istio-render/istio-render/render"
)

// profileSpec is the spec `istio-render render --profile name` renders.
func profileSpec(b *testing.B, name string) *mesh.Resolved {
	b.Helper()
	m, _, err := mesh.Load([]byte(header + "spec:\n  profile: " + name + "\n"))
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// BenchmarkRender renders each profile again and again with the charts
// loaded and a cache: every release after the first is a cache hit, a copy.
func BenchmarkRender(b *testing.B) {
	for _, name := range profiles.Names() {
		b.Run("profile="+name, func(b *testing.B) {
			m := profileSpec(b, name)
			opts := render.Options{Cache: render.NewCache(16)}
			if _, err := render.Render(context.Background(), m, opts); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := render.Render(context.Background(), m, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRenderUncached renders with the charts loaded and no cache,
// the way the command line and the KRM function render: every release is
// rendered afresh.
func BenchmarkRenderUncached(b *testing.B) {
	for _, name := range []string{"default", "production"} {
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

// BenchmarkRenderFirstCall renders with a chart source nobody has used yet,
// the embedded charts read afresh from istio.io/istio's manifests, so every
// op also loads the charts it needs, as a new process does.
func BenchmarkRenderFirstCall(b *testing.B) {
	for _, name := range []string{"default", "production"} {
		b.Run("profile="+name, func(b *testing.B) {
			m := profileSpec(b, name)
			b.ReportAllocs()
			for b.Loop() {
				src, err := charts.FromFS(manifests.FS, "charts", charts.EmbeddedLine)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := render.Render(context.Background(), m, render.Options{Charts: src}); err != nil {
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
			specs := make([]*mesh.Resolved, n)
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
