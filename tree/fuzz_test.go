package tree

import (
	"path"
	"strings"
	"testing"
)

// FuzzPaths lays out objects with arbitrary components, kinds, namespaces
// and names. Every path must stay inside the tree: clean, relative, no
// parent steps, no separators or control characters smuggled in. (Writes
// through those paths go through os.Root; write_test.go covers links.)
func FuzzPaths(f *testing.F) {
	f.Add("gateway/istio-ingressgateway", "Deployment", "istio-system", "istio-ingressgateway")
	f.Add("mesh-policy", "PeerAuthentication", "../..", "default")
	f.Add("base", "CustomResourceDefinition", "", "../../etc/passwd")
	f.Add("a/../../b", "Kind/With/Slashes", "ns", "NAME\nwith newline")
	f.Add("", "", "", "")
	f.Fuzz(func(t *testing.T, component, kind, namespace, name string) {
		o := object{id: "x", component: component, kind: kind, namespace: namespace, name: name, yaml: []byte("kind: X\n")}
		p := o.path()
		if p != path.Clean(p) || path.IsAbs(p) || p == ".." || strings.HasPrefix(p, "../") || strings.Contains(p, "/../") || strings.ContainsAny(p, "\\\x00\n") {
			t.Fatalf("unsafe path %q for %+v", p, o)
		}
		if _, err := layout([]object{o}); err != nil {
			t.Fatalf("laying out one object: %v", err)
		}
	})
}
