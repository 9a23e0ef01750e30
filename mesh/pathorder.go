package mesh

import (
	"cmp"
	"reflect"
	"slices"
	"strings"
)

// sortBySpec puts validation errors in the order their fields appear in
// the spec: fields in the order the types declare them (which is the
// order of the documentation and of the JSON Schema), list elements by
// index, mapping keys by key, a field before the fields inside it.
// Errors at one field keep the order they were found in.
func sortBySpec(errs []FieldError) {
	keys := make(map[string][]orderKey, len(errs))
	for _, e := range errs {
		if _, ok := keys[e.Field]; !ok {
			keys[e.Field] = specOrder(e.Field)
		}
	}
	slices.SortStableFunc(errs, func(a, b FieldError) int {
		return compareOrder(keys[a.Field], keys[b.Field])
	})
}

// orderKey is one step of a field path, as a position: a struct field's
// place among its type's fields, a list index, or a mapping key.
type orderKey struct {
	n   int
	key string
}

// unknownField places a step the types do not declare after those they do.
const unknownField = 1 << 20

// specOrder turns a field path into the positions of its steps, walking
// the types of IstioMesh as far as they go.
func specOrder(path string) []orderKey {
	segs, _ := parseFieldPath(path)
	t := reflect.TypeFor[IstioMesh]()
	out := make([]orderKey, 0, len(segs))
	for _, s := range segs {
		for t != nil && t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch {
		case s.isIndex:
			out = append(out, orderKey{n: s.index})
			if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
				t = t.Elem()
			} else {
				t = nil
			}
		case t != nil && t.Kind() == reflect.Struct:
			pos, ft := fieldPosition(t, s.key)
			out = append(out, orderKey{n: pos, key: s.key})
			t = ft
		default:
			out = append(out, orderKey{key: s.key})
			if t != nil && t.Kind() == reflect.Map {
				t = t.Elem()
			} else {
				t = nil
			}
		}
	}
	return out
}

// fieldPosition is the place of the field with this JSON name among a
// struct's fields, inlined ones in their place, and its type; nil and
// unknownField when it has none.
func fieldPosition(t reflect.Type, name string) (int, reflect.Type) {
	pos := 0
	var find func(t reflect.Type) reflect.Type
	find = func(t reflect.Type) reflect.Type {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
			if f.Anonymous && (tag == "" || strings.Contains(opts, "inline")) {
				if ft := find(f.Type); ft != nil {
					return ft
				}
				continue
			}
			if tag == name && f.IsExported() {
				return f.Type
			}
			pos++
		}
		return nil
	}
	if ft := find(t); ft != nil {
		return pos, ft
	}
	return unknownField, nil
}

// compareOrder orders two paths step by step; a path comes before the
// paths inside it.
func compareOrder(a, b []orderKey) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if c := cmp.Compare(a[i].n, b[i].n); c != 0 {
			return c
		}
		if c := strings.Compare(a[i].key, b[i].key); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(a), len(b))
}
