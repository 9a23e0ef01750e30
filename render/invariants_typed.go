package render

import (
	"encoding"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes/scheme"
	kjson "sigs.k8s.io/json"
)

// typed decodes a rendered object of a Kubernetes built-in kind into its
// Go type of k8s.io/api, as the API server decodes a request's body
// (k8s.io/apimachinery's JSON serializer: sigs.k8s.io/json, case
// sensitive, integers kept), and records each part of it the server
// cannot decode: a string where a number belongs (raw values'
// replicaCount: "many" rendered replicas: many), a list where a mapping
// does, a quantity that is none. The kinds are those client-go's scheme
// knows, so every built-in kind a chart may render is covered; custom
// resources (CRDs, Istio's and cert-manager's kinds, Gateway API) are
// not, and are proved against their CRD schemas by the conformance
// tests. Unknown fields are no problem: the server drops them, or warns.
func (in *inspection) typed(apiVersion, kind string, obj map[string]any) {
	typ, ok := builtinType(apiVersion, kind)
	if !ok {
		return
	}
	s := goType{typ}
	if s.decode(shortened(typ, obj)) == nil {
		return
	}
	err := s.decode(obj)
	for _, p := range locate(s, obj, err) {
		if reportedAsStrings(kind, p.keys) {
			continue
		}
		msg := fmt.Sprintf("the object cannot be decoded by the API server as a %s (%v)", typ, err)
		if len(p.keys) > 0 {
			msg = fmt.Sprintf("%s is %s, which the API server cannot decode (%v)", keysPath(p.keys), describeValue(p.value), p.err)
		}
		f := finding{component: in.component, object: objectName(in.kind, in.namespace, in.name), message: msg}
		f.text, f.value = offender(p.value)
		in.found = append(in.found, f)
	}
}

// builtinType is the Go type of a built-in kind, from client-go's scheme.
func builtinType(apiVersion, kind string) (reflect.Type, bool) {
	obj, err := scheme.Scheme.New(schema.FromAPIVersionAndKind(apiVersion, kind))
	if err != nil {
		return nil, false
	}
	return reflect.TypeOf(obj).Elem(), true
}

// reportedAsStrings reports whether a part is a label, annotation or
// Service selector value, which inspectObject reports when it is not a
// string already, in words of its own.
func reportedAsStrings(kind string, keys []any) bool {
	at := func(prefix ...string) bool {
		if len(keys) != len(prefix)+1 {
			return false
		}
		for i, p := range prefix {
			if keys[i] != p {
				return false
			}
		}
		return true
	}
	switch {
	case at("metadata", "labels"), at("metadata", "annotations"):
		return true
	case kind == "Service" && at("spec", "selector"):
		return true
	case podTemplateKinds[kind] && (at("spec", "template", "metadata", "labels") || at("spec", "template", "metadata", "annotations")):
		return true
	}
	return false
}

// podTemplateKinds are the kinds whose pod template inspectObject reads.
var podTemplateKinds = map[string]bool{"Deployment": true, "DaemonSet": true, "StatefulSet": true, "ReplicaSet": true, "Job": true}

// goType is a Go type as the API server decodes JSON into it.
type goType struct{ t reflect.Type }

func (s goType) decode(v any) error {
	js, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return kjson.UnmarshalCaseSensitivePreserveInts(js, reflect.New(s.t).Interface())
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

func (s goType) child(k any) (shape, bool) {
	t := s.t
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if p := reflect.PointerTo(t); p.Implements(jsonUnmarshaler) || p.Implements(textUnmarshaler) {
		return nil, false // read whole: a quantity, an int-or-string, a time
	}
	switch t.Kind() {
	case reflect.Struct:
		if name, ok := k.(string); ok {
			if ft, _, ok := jsonField(t, name); ok {
				return goType{ft}, true
			}
		}
	case reflect.Slice, reflect.Array:
		if _, ok := k.(int); ok && t.Elem().Kind() != reflect.Uint8 {
			return goType{t.Elem()}, true
		}
	case reflect.Map:
		if _, ok := k.(string); ok {
			return goType{t.Elem()}, true
		}
	}
	return nil, false
}

// jsonField is the type of the field a JSON key decodes into, by
// encoding/json's rules as the API server applies them: the json tag's
// name, or the Go name, matched exactly; embedded structs without a name
// contribute their fields. quoted is the tag's string option, which
// reads a value from within a JSON string.
func jsonField(t reflect.Type, name string) (typ reflect.Type, quoted, ok bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		n, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && n == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				if typ, quoted, ok := jsonField(ft, name); ok {
					return typ, quoted, true
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if n == "" {
			n = f.Name
		}
		if n == name {
			return f.Type, slices.Contains(strings.Split(opts, ","), "string"), true
		}
	}
	return nil, false, false
}

// longText is the length from which shortened drops a string.
const longText = 64

// shortened returns v with every string of at least longText bytes that
// decodes into a plain Go string (no unmarshaler of its own, no string
// option) replaced by "", copying only the mappings and lists it changes.
// Any string decodes into a Go string, so the decoder's verdict on the
// result is its verdict on v; but the long text (the injector's templates
// and values, 127 KB for the default profile) is neither encoded nor
// checked and unquoted again, which took most of the time.
func shortened(t reflect.Type, v any) any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if p := reflect.PointerTo(t); p.Implements(jsonUnmarshaler) || p.Implements(textUnmarshaler) {
		return v
	}
	switch x := v.(type) {
	case string:
		if t.Kind() == reflect.String && len(x) >= longText {
			return ""
		}
	case map[string]any:
		var out map[string]any
		for k, e := range x {
			var et reflect.Type
			switch t.Kind() {
			case reflect.Struct:
				ft, quoted, ok := jsonField(t, k)
				if !ok || quoted {
					continue
				}
				et = ft
			case reflect.Map:
				et = t.Elem()
			default:
				return v
			}
			if s := shortened(et, e); !sameValue(s, e) {
				if out == nil {
					out = maps.Clone(x)
				}
				out[k] = s
			}
		}
		if out != nil {
			return out
		}
	case []any:
		if t.Kind() != reflect.Slice && t.Kind() != reflect.Array || t.Elem().Kind() == reflect.Uint8 {
			return v
		}
		var out []any
		for i, e := range x {
			if s := shortened(t.Elem(), e); !sameValue(s, e) {
				if out == nil {
					out = slices.Clone(x)
				}
				out[i] = s
			}
		}
		if out != nil {
			return out
		}
	}
	return v
}

// sameValue reports whether shortened returned a part unchanged: the same
// string, or the same mapping or list.
func sameValue(a, b any) bool {
	switch x := a.(type) {
	case string:
		y, ok := b.(string)
		return ok && x == y
	case map[string]any:
		y, ok := b.(map[string]any)
		return ok && reflect.ValueOf(x).UnsafePointer() == reflect.ValueOf(y).UnsafePointer()
	case []any:
		y, ok := b.([]any)
		return ok && len(x) == len(y) && (len(x) == 0 || &x[0] == &y[0])
	}
	return true
}
