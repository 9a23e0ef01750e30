package golden

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// TestInvalid renders every spec under testdata/invalid and requires the
// exact error in the .err file beside it: a field path and a message a
// person can act on. -update rewrites the .err files for review.
func TestInvalid(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "invalid", "*.yaml"))
	if err != nil || len(files) < 40 {
		t.Fatalf("want at least 40 invalid specs, found %d (%v)", len(files), err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".yaml")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			got := loadAndRender(data)
			if got == nil {
				t.Fatalf("%s rendered without error", f)
			}
			errFile := strings.TrimSuffix(f, ".yaml") + ".err"
			if *update {
				if err := os.WriteFile(errFile, []byte(got.Error()+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(errFile)
			if err != nil {
				t.Fatalf("%v (run go test ./golden -update to create it)", err)
			}
			if diff := cmp.Diff(strings.TrimSuffix(string(want), "\n"), got.Error()); diff != "" {
				t.Errorf("error for %s differs (-want +got):\n%s", f, diff)
			}
		})
	}
}

// TestOversizedSpec rejects a spec over the size limit before parsing it.
func TestOversizedSpec(t *testing.T) {
	data := []byte("apiVersion: istio-render.dev/v1alpha1\nkind: IstioMesh\nmetadata:\n  name: big\nspec:\n  values:\n    istiod:\n      blob: \"" + strings.Repeat("x", mesh.MaxSpecBytes) + "\"\n")
	err := loadAndRender(data)
	if err == nil || !strings.Contains(err.Error(), "the limit is 1048576") {
		t.Fatalf("want a size-limit error, got %v", err)
	}
}

// loadAndRender runs the whole pipeline and returns its error.
func loadAndRender(data []byte) error {
	m, _, err := mesh.Load(data)
	if err != nil {
		var ve *mesh.ValidationError
		if errors.As(err, &ve) && len(ve.Errors) == 0 {
			return errors.New("validation error without problems")
		}
		return err
	}
	_, err = render.Render(context.Background(), m, render.Options{})
	return err
}
