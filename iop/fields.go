package iop

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
)

// obj is a mapping of the IstioOperator being read: it remembers which
// keys were read, so that every key left over is reported.
type obj struct {
	path string
	m    map[string]any
	used map[string]bool
}

// newObj wraps a mapping found at path; a value that is not a mapping is
// an empty one.
func newObj(path string, v any) *obj {
	m, _ := v.(map[string]any)
	return &obj{path: path, m: m, used: map[string]bool{}}
}

// at is the path of key k.
func (o *obj) at(k string) string {
	if o.path == "" {
		return k
	}
	return o.path + "." + k
}

// get returns key k, marking it read.
func (o *obj) get(k string) (any, bool) {
	v, ok := o.m[k]
	if ok {
		o.used[k] = true
	}
	return v, ok && v != nil
}

// str returns key k as text: strings as they are, numbers and booleans as
// written.
func (o *obj) str(k string) string {
	v, ok := o.get(k)
	if !ok {
		return ""
	}
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v)
}

// boolean returns key k as a boolean, and whether it was set.
func (o *obj) boolean(k string) (bool, bool) {
	v, ok := o.get(k)
	if !ok {
		return false, false
	}
	switch x := v.(type) {
	case bool:
		return x, true
	case string:
		b, err := strconv.ParseBool(x)
		return b, err == nil
	}
	return false, false
}

// number returns key k as a whole number, and whether it was one.
func (o *obj) number(k string) (int32, bool) {
	v, ok := o.get(k)
	if !ok {
		return 0, false
	}
	switch x := v.(type) {
	case float64:
		if x == float64(int32(x)) {
			return int32(x), true
		}
	case string:
		n, err := strconv.ParseInt(x, 10, 32)
		return int32(n), err == nil
	}
	return 0, false
}

// sub returns key k as a mapping.
func (o *obj) sub(k string) *obj {
	v, _ := o.get(k)
	return newObj(o.at(k), v)
}

// has reports whether key k is set, without reading it.
func (o *obj) has(k string) bool { return o.m[k] != nil }

// rest returns the keys not read, sorted.
func (o *obj) rest() []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(o.m)) {
		if !o.used[k] && o.m[k] != nil {
			out = append(out, k)
		}
	}
	return out
}

// raw copies what is left of the mapping into dst (creating it), keys as
// they are, and marks it read.
func (o *obj) raw(dst map[string]any) map[string]any {
	for _, k := range o.rest() {
		if dst == nil {
			dst = map[string]any{}
		}
		dst[k] = o.m[k]
		o.used[k] = true
	}
	return dst
}
