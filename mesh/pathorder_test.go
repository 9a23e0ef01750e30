package mesh_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/istio-render/istio-render/mesh"
)

// TestErrorsInSpecOrder: validation errors come in the order of the
// fields in the spec, whichever check found them first: list elements by
// index, mesh settings before namespaces.
func TestErrorsInSpecOrder(t *testing.T) {
	spec := "spec:\n  profile: minimal\n" +
		"  mesh:\n    egress: [{host: 'Bad Host'}]\n" +
		"  gatewayAPI:\n    crds: render\n    gateways:\n    - name: public\n      listeners:\n" +
		"      - {name: a, port: 80, protocol: HTTP, httpsRedirect: true}\n      - {name: b, port: 81, protocol: HTTP}\n      - {name: c, port: 82, protocol: BOGUS}\n" +
		"  namespaces:\n  - name: Bad\n"
	_, _, err := mesh.Load([]byte(header + spec))
	var ve *mesh.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Load: %v, want a *mesh.ValidationError", err)
	}
	var got []string
	for _, e := range ve.Errors {
		got = append(got, e.Field)
	}
	want := []string{
		"spec.mesh.egress[0].host",
		"spec.gatewayAPI.gateways[0].listeners[0].httpsRedirect",
		"spec.gatewayAPI.gateways[0].listeners[2].protocol",
		"spec.namespaces[0].name",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("error fields (-want +got):\n%s", diff)
	}
}
