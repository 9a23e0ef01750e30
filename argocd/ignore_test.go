package argocd

import "testing"

func TestIgnoresFailures(t *testing.T) {
	tests := []struct {
		reason string
		obj    map[string]any
		want   bool
	}{
		{"no webhooks", map[string]any{}, false},
		{"Fail stays Fail", map[string]any{"webhooks": []any{map[string]any{"failurePolicy": "Fail"}}}, false},
		{"one Ignore among several", map[string]any{"webhooks": []any{
			map[string]any{"failurePolicy": "Fail"}, map[string]any{"failurePolicy": "Ignore"},
		}}, true},
		{"malformed webhooks", map[string]any{"webhooks": "x"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.reason, func(t *testing.T) {
			if got := ignoresFailures(tc.obj); got != tc.want {
				t.Errorf("ignoresFailures() = %t, want %t", got, tc.want)
			}
		})
	}
}
