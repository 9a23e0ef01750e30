package mesh

import (
	"math"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// checkGoValue records, with its field path, every value a spec built in
// Go can hold but a document cannot, and that the conversion through JSON
// would change silently: an infinity or NaN (JSON cannot hold one; a
// document cannot either, as parseDocument refuses .inf and .nan), text
// that is not UTF-8 (JSON would replace each bad byte with U+FFFD), quoted
// as given, and an IntOrString with both or neither of its fields set
// (JSON would keep the string, or drop the field).
func checkGoValue(p *problems, at *field.Path, v reflect.Value) {
	if v.Type() == intOrStringType {
		checkIntOrString(p, at, v.Interface().(IntOrString))
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			checkGoValue(p, at, v.Elem())
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
			switch {
			case !f.IsExported() || name == "-":
			case f.Anonymous && (name == "" || strings.Contains(opts, "inline")):
				checkGoValue(p, at, v.Field(i))
			default:
				checkGoValue(p, at.Child(name), v.Field(i))
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			checkGoValue(p, at.Index(i), v.Index(i))
		}
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return
		}
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		for _, k := range keys {
			if !utf8.ValidString(k.String()) {
				p.errorf(pathString(at), "key %s is not UTF-8 text", quote(k.String()))
				continue
			}
			checkGoValue(p, childPath(at, k.String()), v.MapIndex(k))
		}
	case reflect.String:
		if s := v.String(); !utf8.ValidString(s) {
			p.errorf(pathString(at), "%s is not UTF-8 text", quote(s))
		}
	case reflect.Float32, reflect.Float64:
		if f := v.Float(); math.IsInf(f, 0) || math.IsNaN(f) {
			p.errorf(pathString(at), "%v is not a finite number, which JSON and YAML cannot hold", f)
		}
	}
}

// checkIntOrString requires exactly one of an IntOrString's fields.
func checkIntOrString(p *problems, at *field.Path, v IntOrString) {
	switch {
	case v.Int != nil && v.Str != nil:
		p.errorf(pathString(at), "both Int (%d) and Str (%s) are set; set one", *v.Int, quote(*v.Str))
	case v.Int == nil && v.Str == nil:
		p.errorf(pathString(at), "neither Int nor Str is set; set one, or leave the field nil")
	case v.Str != nil && !utf8.ValidString(*v.Str):
		p.errorf(pathString(at), "%s is not UTF-8 text", quote(*v.Str))
	}
}

// goValues returns a *ValidationError listing every value of m that
// checkGoValue refuses.
func goValues(m *IstioMesh) error {
	p := &problems{}
	checkGoValue(p, nil, reflect.ValueOf(m))
	return p.err()
}
