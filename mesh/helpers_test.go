package mesh_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/istio-render/istio-render/mesh"
)

// problem is a field path and a part of the message expected there.
type problem struct{ field, text string }

// wantErrors loads a spec and requires each problem among its errors.
func wantErrors(t *testing.T, spec string, want ...problem) {
	t.Helper()
	_, _, err := mesh.Load([]byte(header + spec))
	var ve *mesh.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Load: %v, want a *mesh.ValidationError with %v", err, want)
	}
	for _, w := range want {
		found := false
		for _, e := range ve.Errors {
			if e.Field == w.field && strings.Contains(e.Message, w.text) {
				found = true
			}
		}
		if !found {
			t.Errorf("no error at %s containing %q; got:\n%v", w.field, w.text, err)
		}
	}
}

// wantValid loads a spec and requires it to be valid.
func wantValid(t *testing.T, spec string) []mesh.Warning {
	t.Helper()
	_, warnings, err := mesh.Load([]byte(header + spec))
	if err != nil {
		t.Fatalf("Load: %v, want a valid spec", err)
	}
	return warnings
}
