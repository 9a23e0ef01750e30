package fn

import "testing"

func TestNeedsNode(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want bool
	}{
		{name: "plain object", doc: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels:\n    a: b\n  name: x\n", want: false},
		{name: "annotations with entries", doc: "apiVersion: v1\nkind: Service\nmetadata:\n  annotations:\n    a: b\n  name: x\n", want: false},
		{name: "config elsewhere", doc: "apiVersion: v1\nkind: ConfigMap\ndata:\n  k: config.kx and config.k8s.iox\n", want: false},
		{name: "empty annotations", doc: "apiVersion: v1\nkind: Service\nmetadata:\n  annotations: {}\n  name: x\n", want: true},
		{name: "null annotations", doc: "apiVersion: v1\nkind: Service\nmetadata:\n  annotations: null\n  name: x\n", want: true},
		{name: "empty metadata", doc: "apiVersion: v1\nkind: Service\nmetadata: {}\n", want: true},
		{name: "metadata first", doc: "metadata: {}\n", want: true},
		{name: "legacy path annotation", doc: "apiVersion: v1\nkind: Namespace\nmetadata:\n  annotations:\n    config.kubernetes.io/path: a.yaml\n", want: true},
		{name: "internal annotation", doc: "apiVersion: v1\nkind: Namespace\nmetadata:\n  annotations:\n    internal.config.kubernetes.io/index: \"1\"\n", want: true},
		{name: "legacy id annotation", doc: "apiVersion: v1\nkind: Namespace\nmetadata:\n  annotations:\n    config.k8s.io/id: \"1\"\n", want: true},
		{name: "empty", doc: "", want: true},
		{name: "indented", doc: "  apiVersion: v1\n", want: true},
		{name: "comment first", doc: "# c\napiVersion: v1\n", want: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := needsNode([]byte(tc.doc)); got != tc.want {
				t.Errorf("needsNode(%q) = %v, want %v", tc.doc, got, tc.want)
			}
		})
	}
}
