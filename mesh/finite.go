package mesh

import (
	"math"
	"reflect"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// checkFinite records every infinity and NaN in a spec built in Go, in a
// typed field or in raw values, with its field path. A document cannot
// hold one (parseDocument refuses .inf and .nan), and JSON, which a spec
// is converted through, cannot either.
func checkFinite(p *problems, at *field.Path, v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			checkFinite(p, at, v.Elem())
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
			switch {
			case !f.IsExported() || name == "-":
			case f.Anonymous && (name == "" || strings.Contains(opts, "inline")):
				checkFinite(p, at, v.Field(i))
			default:
				checkFinite(p, at.Child(name), v.Field(i))
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			checkFinite(p, at.Index(i), v.Index(i))
		}
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return
		}
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		for _, k := range keys {
			checkFinite(p, childPath(at, k.String()), v.MapIndex(k))
		}
	case reflect.Float32, reflect.Float64:
		if f := v.Float(); math.IsInf(f, 0) || math.IsNaN(f) {
			p.errorf(pathString(at), "%v is not a finite number, which JSON and YAML cannot hold", f)
		}
	}
}

// finite returns a *ValidationError listing every infinity and NaN in m.
func finite(m *IstioMesh) error {
	p := &problems{}
	checkFinite(p, nil, reflect.ValueOf(m))
	return p.err()
}
