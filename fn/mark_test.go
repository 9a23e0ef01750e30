package fn

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	yamlv2 "go.yaml.in/yaml/v2"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/istio-render/istio-render/internal/testcharts"
	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// TestMarkGolden marks every object of every golden spec both ways: the
// insertion into render's bytes must give exactly what decoding,
// annotating and encoding again with sigs.k8s.io/yaml gives, and every
// object must take the insertion, the fast way.
func TestMarkGolden(t *testing.T) {
	specs, err := filepath.Glob(filepath.Join("..", "golden", "testdata", "*", "mesh.yaml"))
	if err != nil || len(specs) < 10 {
		t.Fatalf("want the golden specs, found %d (%v)", len(specs), err)
	}
	for _, path := range specs {
		t.Run(filepath.Base(filepath.Dir(path)), func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			m, _, err := mesh.Load(data)
			if err != nil {
				t.Fatal(err)
			}
			var opts render.Options
			if filepath.Base(filepath.Dir(path)) == "revisions-two-lines" {
				opts.RevisionCharts = testcharts.Resolver(t)
			}
			out, err := render.Render(t.Context(), m, opts)
			if err != nil {
				t.Fatal(err)
			}
			mk, err := newMarker(m.Metadata.Name)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range out.Resources {
				d, err := mk.mark(r.YAML)
				if err != nil {
					t.Fatalf("%s: %v", r.ID(), err)
				}
				if d.insert == nil {
					t.Errorf("%s took the reference path", r.ID())
					continue
				}
				want, err := mk.reference(r.YAML)
				if err != nil {
					t.Fatalf("%s: %v", r.ID(), err)
				}
				if diff := cmp.Diff(string(want), string(d.bytes())); diff != "" {
					t.Errorf("%s: marked by insertion (-reference +insertion):\n%s", r.ID(), diff)
				}
				if got, want := d.needsNode(r.YAML), needsNode(d.bytes()); got != want {
					t.Errorf("%s: needsNode of the marked object = %v, want %v", r.ID(), got, want)
				}
			}
		})
	}
}

func TestMark(t *testing.T) {
	tests := []struct {
		name string
		mesh string
		doc  string
		// want is the marked object; the reference path must give it too.
		want string
		// reference means the object takes the reference path.
		reference bool
	}{{
		name: "no annotations",
		mesh: "prod",
		doc:  "apiVersion: v1\nkind: Namespace\nmetadata:\n  labels:\n    a: b\n  name: x\n",
		want: "apiVersion: v1\nkind: Namespace\nmetadata:\n  annotations:\n    istio-render.dev/generated-by: prod\n  labels:\n    a: b\n  name: x\n",
	}, {
		name: "metadata last",
		mesh: "prod",
		doc:  "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n",
		want: "apiVersion: v1\nkind: Namespace\nmetadata:\n  annotations:\n    istio-render.dev/generated-by: prod\n  name: x\n",
	}, {
		name: "between annotations, after a multi-line value",
		mesh: "prod",
		doc: "kind: Service\nmetadata:\n  annotations:\n    a.example/x: |\n      one\n\n      two\n" +
			"    zone.example/y: z\n  name: x\nspec: {}\n",
		want: "kind: Service\nmetadata:\n  annotations:\n    a.example/x: |\n      one\n\n      two\n" +
			"    istio-render.dev/generated-by: prod\n    zone.example/y: z\n  name: x\nspec: {}\n",
	}, {
		name: "after every annotation, at the end",
		mesh: "prod",
		doc:  "kind: Service\nmetadata:\n  annotations:\n    a: b\n",
		want: "kind: Service\nmetadata:\n  annotations:\n    a: b\n    istio-render.dev/generated-by: prod\n",
	}, {
		name: "digits sort by value, non-letters before letters",
		mesh: "prod",
		doc:  "kind: Service\nmetadata:\n  annotations:\n    istio-render.dev/generated-b9: b\n    istio-render.dev/generated-by10: c\n  name: x\n",
		want: "kind: Service\nmetadata:\n  annotations:\n    istio-render.dev/generated-b9: b\n    istio-render.dev/generated-by: prod\n" +
			"    istio-render.dev/generated-by10: c\n  name: x\n",
	}, {
		name: "a name YAML would read as a boolean is quoted",
		mesh: "true",
		doc:  "kind: Namespace\nmetadata:\n  name: x\n",
		want: "kind: Namespace\nmetadata:\n  annotations:\n    istio-render.dev/generated-by: \"true\"\n  name: x\n",
	}, {
		name:      "the annotation set already is replaced",
		mesh:      "prod",
		doc:       "kind: Namespace\nmetadata:\n  annotations:\n    istio-render.dev/generated-by: other\n  name: x\n",
		want:      "kind: Namespace\nmetadata:\n  annotations:\n    istio-render.dev/generated-by: prod\n  name: x\n",
		reference: true,
	}, {
		name: "empty annotations",
		mesh: "prod",
		doc:  "kind: Namespace\nmetadata:\n  annotations: {}\n  name: x\n",
		want: "kind: Namespace\nmetadata:\n  annotations:\n    istio-render.dev/generated-by: prod\n  name: x\n",
	}, {
		name:      "null annotations",
		mesh:      "prod",
		doc:       "kind: Namespace\nmetadata:\n  annotations: null\n  name: x\n",
		want:      "kind: Namespace\nmetadata:\n  annotations:\n    istio-render.dev/generated-by: prod\n  name: x\n",
		reference: true,
	}, {
		name:      "quoted key",
		mesh:      "prod",
		doc:       "kind: Namespace\nmetadata:\n  annotations:\n    'a: b': c\n  name: x\n",
		want:      "kind: Namespace\nmetadata:\n  annotations:\n    'a: b': c\n    istio-render.dev/generated-by: prod\n  name: x\n",
		reference: true,
	}, {
		name:      "no metadata",
		mesh:      "prod",
		doc:       "kind: Namespace\n",
		want:      "kind: Namespace\nmetadata:\n  annotations:\n    istio-render.dev/generated-by: prod\n",
		reference: true,
	}, {
		name:      "a key before annotations",
		mesh:      "prod",
		doc:       "kind: Namespace\nmetadata:\n  Z: 1\n  name: x\n",
		want:      "kind: Namespace\nmetadata:\n  Z: 1\n  annotations:\n    istio-render.dev/generated-by: prod\n  name: x\n",
		reference: true,
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mk, err := newMarker(tc.mesh)
			if err != nil {
				t.Fatal(err)
			}
			d, err := mk.mark([]byte(tc.doc))
			if err != nil {
				t.Fatal(err)
			}
			if got := d.insert == nil; got != tc.reference {
				t.Errorf("took the reference path: %v, want %v", got, tc.reference)
			}
			if diff := cmp.Diff(tc.want, string(d.bytes())); diff != "" {
				t.Errorf("mark mismatch (-want +got):\n%s", diff)
			}
			ref, err := mk.reference([]byte(tc.doc))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, string(ref)); diff != "" {
				t.Errorf("reference mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMarkErrors(t *testing.T) {
	mk, err := newMarker("prod")
	if err != nil {
		t.Fatal(err)
	}
	for _, doc := range []string{
		"kind: Namespace\nmetadata: [a]\n",
		"kind: Namespace\nmetadata:\n  annotations:\n  - a\n",
		"kind: [\n",
	} {
		if _, err := mk.mark([]byte(doc)); err == nil {
			t.Errorf("mark(%q) gave no error", doc)
		}
	}
}

// FuzzMark marks objects with arbitrary annotations and labels, written
// as render writes them: insertion and the reference path must agree.
func FuzzMark(f *testing.F) {
	f.Add("prod", "a.example/b", "value", "c", "multi\nline\n", false)
	f.Add("true", "istio-render.dev/generated-by", "other", "z: y", "'quoted'", true)
	f.Add("x", "istio-render.dev/generated-bz", "  spaced  ", "istio-render.dev/generated-b", "# not a comment", false)
	f.Fuzz(func(t *testing.T, name, k1, v1, k2, v2 string, labels bool) {
		if invalidName(name) {
			return
		}
		md := map[string]any{"name": "x", "annotations": map[string]any{k1: v1, k2: v2}}
		if labels {
			md["labels"] = map[string]any{k2: v1}
		}
		doc, err := sigsyaml.Marshal(map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": md, "data": map[string]any{k1: v2}})
		if err != nil {
			return
		}
		mk, err := newMarker(name)
		if err != nil {
			t.Fatal(err)
		}
		d, err := mk.mark(doc)
		if err != nil {
			t.Fatalf("mark(%q): %v", doc, err)
		}
		want, err := mk.reference(doc)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(string(want), string(d.bytes())); diff != "" {
			t.Fatalf("mark(%q) (-reference +mark):\n%s", doc, diff)
		}
	})
}

// invalidName reports whether name is not a name an IstioMesh can have:
// the marker is only ever made for valid specs.
func invalidName(name string) bool {
	spec := "apiVersion: istio-render.dev/v1alpha1\nkind: IstioMesh\nmetadata:\n  name: " + strings.ReplaceAll(name, "\n", "") + "\n"
	m, _, err := mesh.Load([]byte(spec))
	return err != nil || m.Metadata.Name != name
}

// FuzzKeyLess holds keyLess to the order the YAML encoder writes keys in.
func FuzzKeyLess(f *testing.F) {
	for _, p := range [][2]string{
		{"annotations", "labels"}, {"a9", "a10"}, {"a09", "a9"}, {"a/b", "ab"}, {"A", "a"},
		{"x0", "x00"}, {"10a", "9a"}, {"é", "e"}, {"a", "ab"}, {"istio-render.dev/generated-by", "istio.io/rev"},
	} {
		f.Add(p[0], p[1])
	}
	f.Add("\xc10", "\x800") // not UTF-8: no order, and never a key render writes
	f.Fuzz(func(t *testing.T, a, b string) {
		if a == b || !utf8.ValidString(a) || !utf8.ValidString(b) {
			return
		}
		out, err := yamlv2.Marshal(map[string]int{a: 1, b: 2})
		if err != nil {
			return
		}
		var back yamlv2.MapSlice
		if err := yamlv2.Unmarshal(out, &back); err != nil || len(back) != 2 {
			return
		}
		first, ok := back[0].Value.(int)
		if !ok {
			return
		}
		want := first == 1
		if got := keyLess([]rune(a), []rune(b)); got != want {
			t.Errorf("keyLess(%q, %q) = %v, the encoder writes %q first:\n%s", a, b, got, back[0].Key, bytes.TrimSpace(out))
		}
	})
}
