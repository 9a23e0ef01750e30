package cli

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestWrap(t *testing.T) {
	tests := []struct {
		reason string
		items  []string
		width  int
		want   []string
	}{
		{"nothing", nil, 20, nil},
		{"one line", []string{"1 A", "2 B"}, 20, []string{"1 A, 2 B"}},
		{"wraps after a comma", []string{"1 Alpha", "2 Beta", "3 Gamma"}, 16, []string{"1 Alpha, 2 Beta,", "3 Gamma"}},
		{"a long item stands alone", []string{"1 VeryLongKindName", "2 B"}, 8, []string{"1 VeryLongKindName,", "2 B"}},
	}
	for _, tc := range tests {
		t.Run(tc.reason, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, wrap(tc.items, tc.width)); diff != "" {
				t.Errorf("wrap() (-want +got):\n%s", diff)
			}
		})
	}
}

func TestComponentRank(t *testing.T) {
	in := []string{"mesh-policy", "gateway/b", "ztunnel", "gateway/a", "cni", "istiod-canary", "istiod", "base", "namespaces", "other"}
	got := append([]string(nil), in...)
	for i := range got {
		for j := i + 1; j < len(got); j++ {
			if componentRank(got[j]) < componentRank(got[i]) || componentRank(got[j]) == componentRank(got[i]) && got[j] < got[i] {
				got[i], got[j] = got[j], got[i]
			}
		}
	}
	want := []string{"namespaces", "base", "istiod", "istiod-canary", "cni", "ztunnel", "gateway/a", "gateway/b", "mesh-policy", "other"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("install order (-want +got):\n%s", diff)
	}
}
