package render_test

import (
	"context"
	"testing"

	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// BenchmarkRenderGatewayAPI renders, with the charts loaded and no cache,
// the minimal profile alone and with a Gateway API gateway and the CRDs,
// so that what the embedded CRDs cost shows beside what they add.
func BenchmarkRenderGatewayAPI(b *testing.B) {
	for _, tt := range []struct{ name, spec string }{
		{"minimal", "spec:\n  profile: minimal\n"},
		{"minimal+gateway-api", `spec:
  profile: minimal
  gatewayAPI:
    crds: render
    gateways:
    - name: public
      listeners:
      - {name: http, httpsRedirect: true}
      - {name: https, hostname: shop.example.com, tls: {certificateRefs: [{name: shop-tls, namespace: certs}]}}
`},
	} {
		b.Run(tt.name, func(b *testing.B) {
			m, _, err := mesh.Load([]byte(header + tt.spec))
			if err != nil {
				b.Fatal(err)
			}
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
