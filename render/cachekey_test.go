package render

import (
	"crypto/sha256"
	"testing"
)

// keyOf digests one values tree the way cacheKey does.
func keyOf(v any) [sha256.Size]byte {
	h := sha256.New()
	w := keyWriter{h: h}
	w.value(v)
	var key [sha256.Size]byte
	h.Sum(key[:0])
	return key
}

// TestCacheKeyTypes: values that a template tells apart must never share a
// key; the same values built in another order must.
func TestCacheKeyTypes(t *testing.T) {
	distinct := []any{
		map[string]any{"x": int64(1)},
		map[string]any{"x": float64(1)},
		map[string]any{"x": "1"},
		map[string]any{"x": true},
		map[string]any{"x": nil},
		map[string]any{"x": []any{int64(1)}},
		map[string]any{"x": map[string]any{}},
		map[string]any{"x": []any{}},
		map[string]any{"x1": ""},
		map[string]any{"x": "", "1": ""},
		[]any{"a", "b"},
		[]any{"ab"},
		[]any{[]any{"a"}, "b"},
		[]any{"a", []any{"b"}},
	}
	seen := map[[sha256.Size]byte]int{}
	for i, v := range distinct {
		k := keyOf(v)
		if j, dup := seen[k]; dup {
			t.Errorf("values %d (%#v) and %d (%#v) share a key", j, distinct[j], i, v)
		}
		seen[k] = i
	}
	a := map[string]any{"a": int64(1), "b": map[string]any{"c": []any{"x", 2.5}, "d": false}}
	b := map[string]any{"b": map[string]any{"d": false, "c": []any{"x", 2.5}}, "a": int64(1)}
	if keyOf(a) != keyOf(b) {
		t.Error("equal values built in another order have different keys")
	}
}
