package conformance_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/istio-render/istio-render/mesh"
)

// specYAML writes a generated spec as the YAML document a user would
// write: only the fields that are set (a zero struct is left out, a
// pointer to an empty one is written as {}), keys sorted, and whole-number
// quantities as numbers, the other form a quantity takes.
func specYAML(m *mesh.IstioMesh) ([]byte, error) {
	tree, err := toDocument(reflect.ValueOf(m).Elem())
	if err != nil {
		return nil, err
	}
	return yaml.Marshal(tree)
}

var (
	marshalerType = reflect.TypeFor[json.Marshaler]()
	quantityType  = reflect.TypeFor[mesh.Quantity]()
	wholeNumber   = regexp.MustCompile(`^[1-9][0-9]{0,8}$`)
)

// toDocument converts a value of the spec's Go types to a YAML tree.
func toDocument(v reflect.Value) (any, error) {
	if v.Type().Implements(marshalerType) {
		data, err := v.Interface().(json.Marshaler).MarshalJSON()
		if err != nil {
			return nil, err
		}
		var out any
		return out, json.Unmarshal(data, &out)
	}
	if v.Type() == quantityType && wholeNumber.MatchString(v.String()) {
		return json.Number(v.String()), nil
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil, nil
		}
		return toDocument(v.Elem())
	case reflect.Struct:
		out := map[string]any{}
		if err := structFields(v, out); err != nil {
			return nil, err
		}
		return out, nil
	case reflect.Map:
		if v.IsNil() {
			return nil, nil
		}
		out := map[string]any{}
		iter := v.MapRange()
		for iter.Next() {
			e, err := toDocument(iter.Value())
			if err != nil {
				return nil, err
			}
			out[iter.Key().String()] = e
		}
		return out, nil
	case reflect.Slice:
		if v.IsNil() {
			return nil, nil
		}
		out := make([]any, v.Len())
		for i := range out {
			e, err := toDocument(v.Index(i))
			if err != nil {
				return nil, err
			}
			out[i] = e
		}
		return out, nil
	case reflect.String:
		return v.String(), nil
	case reflect.Bool:
		return v.Bool(), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int(), nil
	case reflect.Float32, reflect.Float64:
		return v.Float(), nil
	}
	return nil, fmt.Errorf("the spec generator cannot write a %s", v.Type())
}

// structFields adds a struct's fields to out, inlining embedded structs
// as encoding/json does and leaving out empty omitempty fields.
func structFields(v reflect.Value, out map[string]any) error {
	for i := 0; i < v.NumField(); i++ {
		f := v.Type().Field(i)
		if !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		fv := v.Field(i)
		if f.Anonymous && name == "" {
			if err := structFields(fv, out); err != nil {
				return err
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		if strings.Contains(opts, "omitempty") && fv.IsZero() {
			continue
		}
		if (fv.Kind() == reflect.Map || fv.Kind() == reflect.Slice) && fv.Len() == 0 && strings.Contains(opts, "omitempty") {
			continue
		}
		e, err := toDocument(fv)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		out[name] = e
	}
	return nil
}

// fieldsSet records, for the generator's coverage test, the field path of
// every field a spec sets (see specSchema for the form) and every value of
// a string field.
func fieldsSet(m *mesh.IstioMesh, paths map[string]bool, values map[string]map[string]bool) {
	var walk func(at string, v reflect.Value)
	walk = func(at string, v reflect.Value) {
		if v.Type().Implements(marshalerType) {
			return
		}
		switch v.Kind() {
		case reflect.Pointer:
			if !v.IsNil() {
				walk(at, v.Elem())
			}
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				f := v.Type().Field(i)
				name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
				fv := v.Field(i)
				if f.Anonymous && name == "" {
					walk(at, fv)
					continue
				}
				path := name
				if at != "" {
					path = at + "." + name
				}
				if fv.IsZero() || (fv.Kind() == reflect.Map || fv.Kind() == reflect.Slice) && fv.Len() == 0 {
					continue
				}
				paths[path] = true
				if fv.Kind() == reflect.String {
					if values[path] == nil {
						values[path] = map[string]bool{}
					}
					values[path][fv.String()] = true
				}
				walk(path, fv)
			}
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				if e := v.Index(i); e.Kind() == reflect.Struct || e.Kind() == reflect.Pointer {
					walk(at+"[]", e)
				}
			}
		case reflect.Map:
			if v.Type().Elem().Kind() != reflect.Struct {
				return
			}
			iter := v.MapRange()
			for iter.Next() {
				walk(at+".*", iter.Value())
			}
		}
	}
	walk("", reflect.ValueOf(m).Elem())
}
