package mesh_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/istio-render/istio-render/mesh"
)

// TestBadLabelKeyOnce: a label key that is not valid is one error, at the
// labels; no other check reports the same key again.
func TestBadLabelKeyOnce(t *testing.T) {
	spec := "spec:\n  profile: minimal\n  gateways:\n  - name: g\n    objects:\n    - name: o\n      selector: {istio: g, \"k\\a\": v}\n      servers: [{hosts: [a.example.com]}]\n"
	_, _, err := mesh.Load([]byte(header + spec))
	var ve *mesh.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Load: %v, want a *mesh.ValidationError", err)
	}
	var got []string
	for _, e := range ve.Errors {
		got = append(got, e.Field)
	}
	if diff := cmp.Diff([]string{"spec.gateways[0].objects[0].selector"}, got); diff != "" {
		t.Errorf("error fields (-want +got):\n%s\n%v", diff, err)
	}
}
