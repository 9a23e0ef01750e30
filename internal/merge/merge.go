// Package merge deep-merges generic YAML trees (maps, lists and scalars as
// decoded from JSON), the way profiles sit under a spec and raw Helm values
// sit over generated ones.
package merge

// Mode says how lists are merged.
type Mode int

const (
	// Replace lets a list in the overlay replace the base list, as Helm does
	// for values.
	Replace Mode = iota
	// ByName merges lists whose elements are all mappings with a "name" key
	// element by element: the overlay's elements in the overlay's order,
	// each merged over the base element of the same name, then the base
	// elements the overlay does not name. Other lists are replaced.
	ByName
)

// Maps returns base with overlay merged over it. Neither input is modified;
// the result shares no maps or lists with them. A null in the overlay
// deletes the key.
func Maps(base, overlay map[string]any, mode Mode) map[string]any {
	out := make(map[string]any, len(base)+len(overlay))
	for k, v := range base {
		out[k] = Copy(v)
	}
	for k, ov := range overlay {
		if ov == nil {
			delete(out, k)
			continue
		}
		out[k] = value(out[k], ov, mode)
	}
	return out
}

// value merges one overlay value over a base value.
func value(base, overlay any, mode Mode) any {
	switch o := overlay.(type) {
	case map[string]any:
		if b, ok := base.(map[string]any); ok {
			return Maps(b, o, mode)
		}
		return Maps(nil, o, mode)
	case []any:
		b, ok := base.([]any)
		if mode == ByName && ok && named(b) && named(o) {
			return byName(b, o)
		}
		return Copy(o)
	default:
		return overlay
	}
}

// byName merges two lists of named mappings.
func byName(base, overlay []any) []any {
	index := map[any]map[string]any{}
	for _, e := range base {
		m := e.(map[string]any)
		index[m["name"]] = m
	}
	out := make([]any, 0, len(base)+len(overlay))
	seen := map[any]bool{}
	for _, e := range overlay {
		m := e.(map[string]any)
		seen[m["name"]] = true
		out = append(out, Maps(index[m["name"]], m, ByName))
	}
	for _, e := range base {
		m := e.(map[string]any)
		if !seen[m["name"]] {
			out = append(out, Copy(m))
		}
	}
	return out
}

// named reports whether every element is a mapping with a scalar name.
func named(list []any) bool {
	for _, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			return false
		}
		switch m["name"].(type) {
		case string:
		default:
			return false
		}
	}
	return true
}

// Copy deep-copies a generic YAML tree.
func Copy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = Copy(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = Copy(e)
		}
		return out
	default:
		return v
	}
}

// Set stores v at a path of keys in a tree, creating the mappings on the
// way and replacing any value in their place.
func Set(tree map[string]any, v any, keys ...string) {
	m := tree
	for _, k := range keys[:len(keys)-1] {
		next, ok := m[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[k] = next
		}
		m = next
	}
	m[keys[len(keys)-1]] = v
}
