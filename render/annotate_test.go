package render

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"

	"github.com/istio-render/istio-render/internal/testcharts"
	"github.com/istio-render/istio-render/mesh"
)

// goldenOptions render golden specs: a revision's chart folder resolves
// as the command line resolves it, to the 1.30 line's charts.
func goldenOptions(t *testing.T) Options {
	t.Helper()
	return Options{RevisionCharts: testcharts.Resolver(t)}
}

// goldenSpecs loads every golden spec once per GitOps tool.
func goldenSpecs(t *testing.T) map[string]*mesh.Resolved {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "golden", "testdata", "*", "mesh.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden specs: %v", err)
	}
	out := map[string]*mesh.Resolved{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, tool := range []string{mesh.ToolPlain, mesh.ToolArgoCD, mesh.ToolFlux} {
			m, _, err := mesh.Load(data)
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			m.Spec.GitOps.Tool = tool
			c, _, err := m.Complete()
			if err != nil {
				t.Fatal(err)
			}
			out[filepath.Base(filepath.Dir(f))+" "+tool] = c
		}
	}
	return out
}

// wholeObject adds annotations the straightforward way: the whole object
// parsed and written again.
func wholeObject(t *testing.T, data []byte, add map[string]string) []byte {
	t.Helper()
	var obj map[string]any
	if err := yaml.Unmarshal(data, &obj); err != nil {
		t.Fatal(err)
	}
	md, _ := obj["metadata"].(map[string]any)
	if md == nil {
		md = map[string]any{}
		obj["metadata"] = md
	}
	ann, _ := md["annotations"].(map[string]any)
	if ann == nil {
		ann = map[string]any{}
	}
	for k, v := range add {
		if _, ok := ann[k]; !ok {
			ann[k] = v
		}
	}
	md["annotations"] = ann
	out, err := yaml.Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestAddAnnotations holds the metadata-only way of adding annotations to
// the whole-object way, on every object of every golden spec for every
// tool, and on documents shaped to trip the block scan.
func TestAddAnnotations(t *testing.T) {
	add := map[string]string{
		"example.com/wave":       "-4",
		"example.com/options":    "Prune=false,Delete=false",
		"example.com/yes":        "true",
		"app.kubernetes.io/name": "kept when present",
	}
	seen := map[string]bool{}
	for name, m := range goldenSpecs(t) {
		t.Run(name, func(t *testing.T) {
			out, err := Render(context.Background(), m, goldenOptions(t))
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range out.Resources {
				// The CRDs, the bulk of the bytes, repeat from spec to spec.
				if seen[string(r.YAML)] {
					continue
				}
				seen[string(r.YAML)] = true
				got, err := addAnnotations(r.YAML, add)
				if err != nil {
					t.Fatalf("%s: %v", r.ID(), err)
				}
				if diff := cmp.Diff(string(wholeObject(t, r.YAML, add)), string(got)); diff != "" {
					t.Errorf("%s (-whole object +metadata only):\n%s", r.ID(), diff)
				}
			}
		})
	}
	docs := map[string]string{
		"metadata first":                 "metadata:\n  name: a\nspec: {}\n",
		"metadata last":                  "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n",
		"no metadata":                    "apiVersion: v1\nkind: ConfigMap\n",
		"empty metadata":                 "apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n",
		"null metadata":                  "apiVersion: v1\nkind: ConfigMap\nmetadata: null\n",
		"annotation kept":                "metadata:\n  annotations:\n    example.com/wave: \"3\"\n  name: a\n",
		"block scalar with a blank line": "apiVersion: v1\nmetadata:\n  annotations:\n    a-note: |\n      one\n\n      two\n  name: a\nspec:\n  x: 1\n",
		"data before metadata":           "apiVersion: v1\ndata:\n  metadata: |\n    metadata:\n    x\nkind: ConfigMap\nmetadata:\n  name: a\n",
		"quoted keys and long values": "metadata:\n  annotations:\n    '*': \"yes\"\n    long: " +
			"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb cccccccccccccccccccc\n  name: a\n",
	}
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			// Canonical first, as render writes every object.
			var obj map[string]any
			if err := yaml.Unmarshal([]byte(doc), &obj); err != nil {
				t.Fatal(err)
			}
			canonical, err := yaml.Marshal(obj)
			if err != nil {
				t.Fatal(err)
			}
			got, err := addAnnotations(canonical, add)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(wholeObject(t, canonical, add)), string(got)); diff != "" {
				t.Errorf("(-whole object +metadata only):\n%s", diff)
			}
		})
	}
}

// TestAddAnnotationsRefuses shows the errors: metadata that is not a
// mapping, and a document that is not an object.
func TestAddAnnotationsRefuses(t *testing.T) {
	for _, doc := range []string{"metadata:\n- a\n", "metadata: 3\n", "- a\n"} {
		if got, err := addAnnotations([]byte(doc), map[string]string{"a": "b"}); err == nil {
			t.Errorf("addAnnotations(%q) = %q, want an error", doc, got)
		}
	}
}

// TestMetadataBlock pins what the scan finds.
func TestMetadataBlock(t *testing.T) {
	tests := []struct {
		doc  string
		want string
		ok   bool
	}{
		{"metadata:\n  name: a\nspec: {}\n", "metadata:\n  name: a\n", true},
		{"kind: X\nmetadata:\n  name: a\n", "metadata:\n  name: a\n", true},
		{"kind: X\nmetadata:\n  a: |\n    x\n\n    y\n  name: a\nz: 1\n", "metadata:\n  a: |\n    x\n\n    y\n  name: a\n", true},
		{"kind: X\nmetadata: {}\n", "", false},
		{"kind: X\nmetadata:\n  name: a", "", false},
		{"kind: X\n", "", false},
	}
	for _, tc := range tests {
		start, end, ok := metadataBlock([]byte(tc.doc))
		got := ""
		if ok {
			got = tc.doc[start:end]
		}
		if ok != tc.ok || got != tc.want {
			t.Errorf("metadataBlock(%q) = %q, %t; want %q, %t", tc.doc, got, ok, tc.want, tc.ok)
		}
	}
}
