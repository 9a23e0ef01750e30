package mesh_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/istio-render/istio-render/mesh"
)

// TestDecodeProblemsNameTheSource checks the problems found while a
// document is read: a number where text belongs is quoted as written, not
// as the number it was read as, and a key given twice is one error naming
// its field path and both lines.
func TestDecodeProblemsNameTheSource(t *testing.T) {
	tests := []struct {
		name, spec string
		want       []mesh.FieldError
	}{{
		name: "a version whose trailing zero a float drops",
		spec: "spec:\n  compatibilityVersion: 1.30\n",
		want: []mesh.FieldError{{Field: "spec.compatibilityVersion", Message: `expected a string, got number 1.3 (quote it: "1.30")`}},
	}, {
		name: "a label value",
		spec: "spec:\n  namespaces:\n  - name: shop\n    labels: {x: 1.10}\n",
		want: []mesh.FieldError{{Field: "spec.namespaces[0].labels[x]", Message: `expected a string, got number 1.1 (quote it: "1.10")`}},
	}, {
		name: "a label key that is not plain",
		spec: "spec:\n  namespaces:\n  - name: shop\n    labels: {app.kubernetes.io/version: 2.0}\n",
		want: []mesh.FieldError{{Field: `spec.namespaces[0].labels["app.kubernetes.io/version"]`, Message: `expected a string, got number 2 (quote it: "2.0")`}},
	}, {
		name: "a hexadecimal number in a list",
		spec: "spec:\n  revisionTags: [0x1F]\n",
		want: []mesh.FieldError{{Field: "spec.revisionTags[0]", Message: `expected a string, got number 31 (quote it: "0x1F")`}},
	}, {
		name: "a number through an alias",
		spec: "spec:\n  version: &v 1.30\n  compatibilityVersion: *v\n",
		want: []mesh.FieldError{
			{Field: "spec.compatibilityVersion", Message: `expected a string, got number 1.3 (quote it: "1.30")`},
			{Field: "spec.version", Message: `expected a string, got number 1.3 (quote it: "1.30")`},
		},
	}, {
		name: "a key given twice",
		spec: "spec:\n  profile: default\n  profile: minimal\n",
		want: []mesh.FieldError{{Field: "spec.profile", Message: "line 7: given twice; the first is at line 6"}},
	}, {
		name: "a key given twice, once quoted",
		spec: "spec:\n  mesh:\n    mtls: STRICT\n    \"mtls\": PERMISSIVE\n",
		want: []mesh.FieldError{{Field: "spec.mesh.mtls", Message: "line 8: given twice; the first is at line 7"}},
	}, {
		name: "a key given twice in raw values, not plain",
		spec: "spec:\n  values:\n    istiod:\n      a.b: 1\n      a.b: 2\n",
		want: []mesh.FieldError{{Field: `spec.values.istiod["a.b"]`, Message: "line 9: given twice; the first is at line 8"}},
	}, {
		name: "a key three times",
		spec: "kind: IstioMesh\nkind: IstioMesh\nspec: {}\n",
		want: []mesh.FieldError{
			{Field: "kind", Message: "line 5: given twice; the first is at line 2"},
			{Field: "kind", Message: "line 6: given twice; the first is at line 2"},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := mesh.Load([]byte(header + tt.spec))
			var ve *mesh.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Load: %v, want a *mesh.ValidationError", err)
			}
			if diff := cmp.Diff(tt.want, ve.Errors); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

// TestMergeKeysAreNotDuplicates keeps YAML merge keys working beside the
// check for keys given twice.
func TestMergeKeysAreNotDuplicates(t *testing.T) {
	spec := "spec:\n  profile: minimal\n  values:\n    istiod:\n      base: &b {a: 1, c: 2}\n      pilot:\n        <<: *b\n        d: 3\n"
	m, _ := load(t, spec)
	want := map[string]any{"a": float64(1), "c": float64(2), "d": float64(3)}
	if diff := cmp.Diff(want, m.Spec.Values.Istiod["pilot"]); diff != "" {
		t.Errorf("spec.values.istiod.pilot (-want +got):\n%s", diff)
	}
}
