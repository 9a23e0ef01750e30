package render_test

import (
	"context"
	"testing"

	"github.com/istio-render/istio-render/internal/fuzzseed"
	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// FuzzRender loads and renders arbitrary specs, seeded with the golden
// cases. Whatever comes in, the answer is a render or an error, never a
// panic; a render is valid YAML with every object named.
func FuzzRender(f *testing.F) {
	fuzzseed.Files(f, "../golden/testdata/*/mesh.yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		m, _, err := mesh.Load(data)
		if err != nil {
			return
		}
		out, err := render.Render(context.Background(), m, render.Options{})
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		for _, r := range out.Resources {
			if r.Kind == "" || r.Name == "" || len(r.Object()) == 0 {
				t.Fatalf("unnamed or unparsable object from %s: %s", r.Component, r.YAML)
			}
		}
	})
}
