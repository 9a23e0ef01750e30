package mesh_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/istio-render/istio-render/internal/fuzzseed"
	"github.com/istio-render/istio-render/mesh"
)

// FuzzLoad feeds arbitrary bytes to Load, seeded with every golden and
// invalid spec. Load must never panic or hang, and an error must be a
// *ValidationError with located problems or a plain parse error; a spec
// that loads must load again, unchanged, through Resolve.
func FuzzLoad(f *testing.F) {
	fuzzseed.Files(f, "../golden/testdata/*/mesh.yaml", "../golden/testdata/invalid/*.yaml", "../profiles/*.yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		m, _, err := mesh.Load(data)
		if err != nil {
			var ve *mesh.ValidationError
			if errors.As(err, &ve) {
				if len(ve.Errors) == 0 {
					t.Fatal("ValidationError without problems")
				}
				for _, e := range ve.Errors {
					if e.Message == "" {
						t.Fatalf("problem without a message: %+v", e)
					}
				}
			}
			if strings.TrimSpace(err.Error()) == "" {
				t.Fatal("empty error message")
			}
			return
		}
		if _, _, err := m.Complete(); err != nil {
			t.Fatalf("a loaded spec fails to resolve again: %v", err)
		}
	})
}
