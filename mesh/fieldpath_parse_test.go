package mesh

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestParseFieldPath reads back the paths FieldPath prints, and says
// where it cannot.
func TestParseFieldPath(t *testing.T) {
	tests := []struct {
		path string
		want []pathSeg
		ok   bool
	}{{
		path: FieldPath("spec", "gateways", 1, "labels", "app.kubernetes.io/name"),
		want: []pathSeg{{key: "spec"}, {key: "gateways"}, {index: 1, isIndex: true}, {key: "labels"}, {key: "app.kubernetes.io/name"}},
		ok:   true,
	}, {
		path: FieldPath("spec.namespaces", 0, "labels", "k\a"),
		want: []pathSeg{{key: "spec"}, {key: "namespaces"}, {index: 0, isIndex: true}, {key: "labels"}, {key: "k\a"}},
		ok:   true,
	}, {
		path: "spec.gateways[istio-ingressgateway].autoscale",
		want: []pathSeg{{key: "spec"}, {key: "gateways"}, {key: "istio-ingressgateway"}, {key: "autoscale"}},
		ok:   true,
	}, {
		path: `spec.labels["open`,
		want: []pathSeg{{key: "spec"}, {key: "labels"}},
	}, {
		path: "spec.gateways[]",
		want: []pathSeg{{key: "spec"}, {key: "gateways"}},
	}}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			got, ok := parseFieldPath(tt.path)
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(pathSeg{})); diff != "" || ok != tt.ok {
				t.Errorf("parseFieldPath(%q) ok %v, want %v; steps (-want +got):\n%s", tt.path, ok, tt.ok, diff)
			}
		})
	}
}
