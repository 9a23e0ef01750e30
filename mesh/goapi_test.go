package mesh_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/istio-render/istio-render/mesh"
)

// goSpec is a minimal spec built in Go, changed by each case.
func goSpec(change func(*mesh.IstioMesh)) *mesh.IstioMesh {
	m := &mesh.IstioMesh{
		APIVersion: mesh.APIVersion, Kind: mesh.Kind, Metadata: mesh.Metadata{Name: "go"},
		Spec: mesh.Spec{Profile: "minimal"},
	}
	change(m)
	return m
}

// TestGoBuiltValues refuses what a spec built in Go can hold and a
// document cannot, each with its field path, instead of converting it
// silently: an IntOrString with both or neither of its fields set (JSON
// would keep the string, or drop the field), and text that is not UTF-8
// (JSON would turn each bad byte into U+FFFD), quoted as it was given.
func TestGoBuiltValues(t *testing.T) {
	tests := []struct {
		name   string
		change func(*mesh.IstioMesh)
		want   []mesh.FieldError
	}{{
		name: "an IntOrString with both set",
		change: func(m *mesh.IstioMesh) {
			m.Spec.ControlPlane.PodDisruptionBudget = &mesh.PodDisruptionBudget{MinAvailable: &mesh.IntOrString{Int: ptr(int32(1)), Str: ptr("50%")}}
		},
		want: []mesh.FieldError{{Field: "spec.controlPlane.podDisruptionBudget.minAvailable", Message: "both Int (1) and Str (\"50%\") are set; set one"}},
	}, {
		name: "an IntOrString with neither set",
		change: func(m *mesh.IstioMesh) {
			m.Spec.ControlPlane.PodDisruptionBudget = &mesh.PodDisruptionBudget{MaxUnavailable: &mesh.IntOrString{}}
		},
		want: []mesh.FieldError{{Field: "spec.controlPlane.podDisruptionBudget.maxUnavailable", Message: "neither Int nor Str is set; set one, or leave the field nil"}},
	}, {
		name: "a name that is not UTF-8",
		change: func(m *mesh.IstioMesh) {
			m.Spec.Namespaces = []mesh.Namespace{{Name: "caf\xe9"}}
		},
		want: []mesh.FieldError{{Field: "spec.namespaces[0].name", Message: `"caf\xe9" is not UTF-8 text`}},
	}, {
		name: "a map key and a raw value that are not UTF-8",
		change: func(m *mesh.IstioMesh) {
			m.Spec.Values.Istiod = mesh.Values{"a\xff": "b", "c": []any{"ok", "d\xfe"}}
		},
		want: []mesh.FieldError{
			{Field: "spec.values.istiod", Message: `key "a\xff" is not UTF-8 text`},
			{Field: "spec.values.istiod.c[1]", Message: `"d\xfe" is not UTF-8 text`},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := mesh.Resolve(goSpec(tt.change))
			var ve *mesh.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Resolve: %v, want a *mesh.ValidationError", err)
			}
			if diff := cmp.Diff(tt.want, ve.Errors); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCompleteOfAHandBuiltResolved: a Resolved built by hand has no
// profile merged in; naming one in Spec.Profile gets a message that says
// how to have it merged, not that an empty profile was merged already.
func TestCompleteOfAHandBuiltResolved(t *testing.T) {
	r := &mesh.Resolved{IstioMesh: *goSpec(func(m *mesh.IstioMesh) { m.Spec.Profile = "production" })}
	_, _, err := r.Complete()
	var ve *mesh.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Complete: %v, want a *mesh.ValidationError", err)
	}
	want := []mesh.FieldError{{Field: "spec.profile", Message: `"production": no profile is merged into a Resolved built by hand; build it with mesh.Resolve, which merges the profile Spec.Profile names, or with mesh.Load`}}
	if diff := cmp.Diff(want, ve.Errors); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}
