package render_test

import (
	"context"
	"errors"
	"testing"

	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// TestRenderStopsWhenTheContextIsDone: a render whose context is done
// returns the context's error instead of rendering.
func TestRenderStopsWhenTheContextIsDone(t *testing.T) {
	m, _, err := mesh.Load([]byte(header + "spec: {profile: demo}\n"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := render.Render(ctx, m, render.Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Render with a cancelled context: %v, want context.Canceled", err)
	}
	ctx, cancel = context.WithTimeout(context.Background(), 0)
	defer cancel()
	if _, err := render.Render(ctx, m, render.Options{Cache: render.NewCache(8)}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Render past its deadline: %v, want context.DeadlineExceeded", err)
	}
}
