package merge

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMaps(t *testing.T) {
	tests := []struct {
		name          string
		base, overlay map[string]any
		mode          Mode
		want          map[string]any
	}{{
		name:    "nested maps merge, scalars override",
		base:    map[string]any{"a": map[string]any{"x": 1, "y": 2}, "b": "keep"},
		overlay: map[string]any{"a": map[string]any{"y": 3}},
		want:    map[string]any{"a": map[string]any{"x": 1, "y": 3}, "b": "keep"},
	}, {
		name:    "null deletes",
		base:    map[string]any{"a": 1, "b": 2},
		overlay: map[string]any{"a": nil},
		want:    map[string]any{"b": 2},
	}, {
		name:    "lists replace in Replace mode",
		base:    map[string]any{"l": []any{map[string]any{"name": "a", "v": 1}}},
		overlay: map[string]any{"l": []any{map[string]any{"name": "b"}}},
		want:    map[string]any{"l": []any{map[string]any{"name": "b"}}},
	}, {
		name: "named lists merge by name, overlay order first",
		base: map[string]any{"l": []any{
			map[string]any{"name": "a", "v": 1, "w": 1},
			map[string]any{"name": "c"},
		}},
		overlay: map[string]any{"l": []any{
			map[string]any{"name": "b"},
			map[string]any{"name": "a", "v": 2},
		}},
		mode: ByName,
		want: map[string]any{"l": []any{
			map[string]any{"name": "b"},
			map[string]any{"name": "a", "v": 2, "w": 1},
			map[string]any{"name": "c"},
		}},
	}, {
		name:    "scalar lists replace even in ByName mode",
		base:    map[string]any{"l": []any{"a", "b"}},
		overlay: map[string]any{"l": []any{"c"}},
		mode:    ByName,
		want:    map[string]any{"l": []any{"c"}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			baseCopy := Copy(tt.base)
			got := Maps(tt.base, tt.overlay, tt.mode)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Maps() mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(baseCopy, any(tt.base)); diff != "" {
				t.Errorf("Maps() modified its base (-before +after):\n%s", diff)
			}
		})
	}
}
