package mesh_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/istio-render/istio-render/mesh"
)

// TestEgressObjectNamesCollide: a wildcard host and the host spelled as
// its objects' name would render objects of one name; the error names
// both fields.
func TestEgressObjectNamesCollide(t *testing.T) {
	for _, order := range [][2]string{{"'*.example.com'", "wildcard.example.com"}, {"wildcard.example.com", "'*.example.com'"}} {
		spec := "spec:\n  profile: minimal\n  mesh:\n    egress:\n    - host: " + order[0] + "\n    - host: " + order[1] + "\n"
		_, _, err := mesh.Load([]byte(header + spec))
		var ve *mesh.ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("Load: %v, want a *mesh.ValidationError", err)
		}
		later, first := "\"wildcard.example.com\"", "\"*.example.com\""
		if order[0] == "wildcard.example.com" {
			later, first = first, later
		}
		want := []mesh.FieldError{{
			Field:   "spec.mesh.egress[1].host",
			Message: later + " and " + first + ` (spec.mesh.egress[0].host) would both name their objects "egress-wildcard.example.com"; "*.example.com" already matches "wildcard.example.com": list its ports there and leave "wildcard.example.com" out`,
		}}
		if diff := cmp.Diff(want, ve.Errors); diff != "" {
			t.Errorf("%s first: errors (-want +got):\n%s", order[0], diff)
		}
	}
}
