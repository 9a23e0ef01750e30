package render

import (
	"maps"
	"slices"
)

// shape is a type a decoder reads parsed values into, seen part by part:
// a Go type the API server decodes an object into, or a protobuf message
// istiod decodes its mesh config into. The decoders report only that a
// value does not decode, not where (encoding/json: the first problem;
// jsonpb: not even the field), so the parts that do not are found by
// decoding each part alone with the same decoder (locate).
type shape interface {
	// decode decodes v as the decoder decodes it at this place, and
	// returns its error.
	decode(v any) error
	// child is the shape of the value at key k of a mapping (a string)
	// or at index k of a list (an int); false when the decoder ignores
	// the key, or reads the value whole (a quantity, a duration), so that
	// its parts cannot be told apart.
	child(k any) (shape, bool)
}

// located is a smallest part of a value that does not decode: its keys
// from the value's root, the part, and the decoder's error for it alone.
type located struct {
	keys  []any
	value any
	err   error
}

// locate returns the smallest parts of v, which does not decode into s,
// that do not decode on their own: every part whose own parts all do, in
// key order. A value whose parts all decode alone but not together (which
// no decoder here produces) is itself the part, with err.
func locate(s shape, v any, err error) []located {
	return locateAt(s, v, err, nil)
}

func locateAt(s shape, v any, err error, at []any) []located {
	var out []located
	for _, k := range partKeys(v) {
		c, ok := s.child(k)
		if !ok {
			continue
		}
		part := partAt(v, k)
		if perr := c.decode(part); perr != nil {
			out = append(out, locateAt(c, part, perr, append(slices.Clip(at), k))...)
		}
	}
	if len(out) == 0 {
		return []located{{keys: at, value: v, err: err}}
	}
	return out
}

// partKeys are the keys of a mapping, sorted, or the indexes of a list.
func partKeys(v any) []any {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]any, 0, len(x))
		for _, k := range slices.Sorted(maps.Keys(x)) {
			keys = append(keys, k)
		}
		return keys
	case []any:
		keys := make([]any, len(x))
		for i := range x {
			keys[i] = i
		}
		return keys
	}
	return nil
}

// partAt is the value at a key partKeys returned.
func partAt(v any, k any) any {
	switch x := v.(type) {
	case map[string]any:
		return x[k.(string)]
	case []any:
		return x[k.(int)]
	}
	return nil
}
