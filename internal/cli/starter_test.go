package cli

import (
	"strings"
	"testing"

	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/profiles"
)

// TestStarterExamplesLoad turns every commented example of the starter
// spec on and loads the result, so the examples stay valid.
func TestStarterExamplesLoad(t *testing.T) {
	for _, p := range profiles.Names() {
		t.Run(p, func(t *testing.T) {
			on, err := starter(starterOptions{name: "m", profile: p, examples: true})
			if err != nil {
				t.Fatal(err)
			}
			off, err := starter(starterOptions{name: "m", profile: p})
			if err != nil {
				t.Fatal(err)
			}
			if strings.Count(string(off), "\n") != strings.Count(string(on), "\n") || len(on) >= len(off) {
				t.Fatalf("the examples are not commented out line by line")
			}
			m, _, err := mesh.Load(on)
			if err != nil {
				t.Fatalf("the starter with its examples on does not load: %v\n%s", err, on)
			}
			if m.Spec.Revision != "blue" || len(m.Spec.Namespaces) != 1 {
				t.Errorf("the examples were not applied: revision %q, %d namespaces", m.Spec.Revision, len(m.Spec.Namespaces))
			}
		})
	}
}
