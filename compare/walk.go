package compare

import (
	"encoding/json"
	"reflect"
)

// diffFields lists the fields in which two objects differ, in the order of
// the objects: mapping keys sorted (see compareSegments), list elements in
// list order. The walk reads nothing but its two arguments, so the same
// objects give the same fields on every run.
func diffFields(old, new Object) []Field {
	var d differ
	d.mapping("", old, new)
	return d.fields
}

// differ walks two trees of generic YAML values (map[string]any, []any and
// scalars) and collects the fields in which they differ.
type differ struct {
	fields []Field
}

func (d *differ) add(f Field) { d.fields = append(d.fields, f) }

// value compares the values at path. Two mappings are compared key by key
// and two lists element by element (see list); anything else, including a
// mapping against a list, is one field.
func (d *differ) value(path string, old, new any) {
	switch o := old.(type) {
	case map[string]any:
		if n, ok := new.(map[string]any); ok && (o == nil) == (n == nil) {
			d.mapping(path, o, n)
			return
		}
	case []any:
		if n, ok := new.([]any); ok && (o == nil) == (n == nil) {
			d.list(path, o, n)
			return
		}
	}
	if !equalLeaf(old, new) {
		d.add(Field{Path: path, Op: Changed, Old: old, New: new})
	}
}

// mapping compares two mappings key by key, in the order of the keys as
// the path writes them.
func (d *differ) mapping(path string, old, new map[string]any) {
	for _, k := range unionKeys(path, old, new) {
		o, inOld := old[k.key]
		n, inNew := new[k.key]
		switch {
		case !inNew:
			d.add(Field{Path: k.path, Op: Removed, Old: o})
		case !inOld:
			d.add(Field{Path: k.path, Op: Added, New: n})
		default:
			d.value(k.path, o, n)
		}
	}
}

// equalLeaf reports whether two values that are not compared part by part
// are equal: scalars of the same type and value (a json.Number as written,
// so 1 and 1.0 differ unless decoding made them alike), or values of other
// types that are deeply equal.
func equalLeaf(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case string:
		y, ok := b.(string)
		return ok && x == y
	case json.Number:
		y, ok := b.(json.Number)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	}
	return reflect.DeepEqual(a, b)
}
