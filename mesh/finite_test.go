package mesh_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/istio-render/istio-render/mesh"
)

// TestNonFiniteNumbersFromGo: a spec built in Go can hold infinities and
// NaN, which no document can; they are refused with their field path.
func TestNonFiniteNumbersFromGo(t *testing.T) {
	spec := &mesh.IstioMesh{
		APIVersion: mesh.APIVersion, Kind: mesh.Kind, Metadata: mesh.Metadata{Name: "go"},
		Spec: mesh.Spec{
			Mesh:   mesh.MeshConfig{Tracing: &mesh.Tracing{Sampling: ptr(math.NaN())}},
			Values: mesh.ComponentValues{Istiod: mesh.Values{"a": []any{map[string]any{"b": math.Inf(-1)}}}},
		},
	}
	_, _, err := mesh.Resolve(spec)
	var ve *mesh.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Resolve: %v, want a *mesh.ValidationError", err)
	}
	var fields []string
	for _, e := range ve.Errors {
		fields = append(fields, e.Field+": "+e.Message)
	}
	want := []string{
		"spec.mesh.tracing.sampling: NaN is not a finite number, which JSON and YAML cannot hold",
		"spec.values.istiod.a[0].b: -Inf is not a finite number, which JSON and YAML cannot hold",
	}
	if strings.Join(fields, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(fields, "\n"), strings.Join(want, "\n"))
	}
}
