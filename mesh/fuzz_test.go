package mesh_test

import (
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/istio-render/istio-render/internal/fuzzseed"
	"github.com/istio-render/istio-render/mesh"
)

// FuzzLoad feeds arbitrary bytes to Load, seeded with every golden and
// invalid spec. Load must never panic or hang, and an error must be a
// *ValidationError with located problems or a plain parse error, holding no
// character a terminal would act on; a spec that loads must load again,
// unchanged, through Resolve.
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
			checkPrintable(t, err)
			return
		}
		if _, _, err := m.Complete(); err != nil {
			t.Fatalf("a loaded spec fails to resolve again: %v", err)
		}
	})
}

// checkPrintable fails unless every character of an error message is
// printable or a line break: user text must reach it escaped.
func checkPrintable(t *testing.T, err error) {
	t.Helper()
	for i, c := range err.Error() {
		if c == utf8.RuneError || c != '\n' && !unicode.IsPrint(c) {
			t.Fatalf("error holds %U at byte %d: %q", c, i, err.Error())
		}
	}
}
