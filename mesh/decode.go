package mesh

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"reflect"
	"slices"
	"strings"

	yamlv3 "go.yaml.in/yaml/v3"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/yaml"
)

// MaxSpecBytes is the largest spec Load accepts. Real specs are a few
// kilobytes; the limit keeps a mistaken input from exhausting memory.
const MaxSpecBytes = 1 << 20

// maxValuesDepth is the deepest nesting accepted inside raw Helm values.
const maxValuesDepth = 32

// parseDocument turns one YAML document into a generic JSON-like tree,
// rejecting empty input, several documents, duplicate keys and oversized
// input.
func parseDocument(data []byte) (map[string]any, error) {
	if len(data) > MaxSpecBytes {
		return nil, fmt.Errorf("spec is %d bytes; the limit is %d", len(data), MaxSpecBytes)
	}
	docs, err := countDocuments(data)
	if err != nil {
		return nil, err
	}
	switch {
	case docs == 0:
		return nil, errors.New("spec is empty: expected one IstioMesh document")
	case docs > 1:
		return nil, fmt.Errorf("spec has %d YAML documents: expected exactly one IstioMesh", docs)
	}
	js, err := yaml.YAMLToJSONStrict(data)
	if err != nil {
		return nil, fmt.Errorf("parsing YAML: %w", cleanYAMLError(err))
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return nil, fmt.Errorf("parsing YAML: %w", err)
	}
	obj, ok := tree.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("spec must be a YAML mapping with apiVersion, kind, metadata and spec; got %s", describe(tree))
	}
	return obj, nil
}

// countDocuments counts the non-empty YAML documents in data.
func countDocuments(data []byte) (int, error) {
	dec := yamlv3.NewDecoder(bytes.NewReader(data))
	n := 0
	for {
		var node yamlv3.Node
		err := dec.Decode(&node)
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return 0, fmt.Errorf("parsing YAML: %w", err)
		}
		if len(node.Content) > 0 && !(node.Content[0].Kind == yamlv3.ScalarNode && node.Content[0].Tag == "!!null") {
			n++
		}
	}
}

// cleanYAMLError drops the converter's prefixes, keeping the line number.
func cleanYAMLError(err error) error {
	msg := err.Error()
	for _, p := range []string{"error converting YAML to JSON: ", "yaml: "} {
		msg = strings.TrimPrefix(msg, p)
	}
	return errors.New(msg)
}

var (
	quantityType    = reflect.TypeFor[Quantity]()
	intOrStringType = reflect.TypeFor[IntOrString]()
)

// checkShape walks a parsed document against a Go type and records unknown
// fields and values of the wrong type, each with its field path.
func checkShape(p *problems, path *field.Path, v any, t reflect.Type) {
	if v == nil {
		return // null: the field is unset
	}
	switch {
	case t == quantityType:
		switch v.(type) {
		case string, json.Number:
		default:
			p.errorf(pathString(path), "expected a quantity such as 500m or 1Gi, got %s", describe(v))
		}
		return
	case t == intOrStringType:
		switch n := v.(type) {
		case string:
		case json.Number:
			checkInt(p, path, n, math.MinInt32, math.MaxInt32)
		default:
			p.errorf(pathString(path), "expected a whole number or a percentage, got %s", describe(v))
		}
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		checkShape(p, path, v, t.Elem())
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			p.errorf(pathString(path), "expected a mapping, got %s", describe(v))
			return
		}
		fields := jsonFields(t)
		for _, k := range slices.Sorted(maps.Keys(m)) {
			ft, ok := fields[k]
			if !ok {
				p.errorf(pathString(childPath(path, k)), "unknown field%s", suggest(k, fields))
				continue
			}
			checkShape(p, path.Child(k), m[k], ft)
		}
	case reflect.Slice:
		s, ok := v.([]any)
		if !ok {
			p.errorf(pathString(path), "expected a list, got %s", describe(v))
			return
		}
		for i, e := range s {
			checkShape(p, path.Index(i), e, t.Elem())
		}
	case reflect.Map:
		m, ok := v.(map[string]any)
		if !ok {
			p.errorf(pathString(path), "expected a mapping, got %s", describe(v))
			return
		}
		for _, k := range slices.Sorted(maps.Keys(m)) {
			if t.Elem().Kind() == reflect.Interface {
				checkDepth(p, childPath(path, k), m[k], 1)
				continue
			}
			checkShape(p, keyPath(path, k), m[k], t.Elem())
		}
	case reflect.Interface:
		checkDepth(p, path, v, 0)
	case reflect.String:
		if _, ok := v.(string); !ok {
			p.errorf(pathString(path), "expected a string, got %s%s", describe(v), quoteHint(v))
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			p.errorf(pathString(path), "expected true or false, got %s", describe(v))
		}
	case reflect.Int32:
		n, ok := v.(json.Number)
		if !ok {
			p.errorf(pathString(path), "expected a whole number, got %s", describe(v))
			return
		}
		checkInt(p, path, n, math.MinInt32, math.MaxInt32)
	case reflect.Float64:
		if _, ok := v.(json.Number); !ok {
			p.errorf(pathString(path), "expected a number, got %s", describe(v))
		}
	default:
		p.errorf(pathString(path), "unsupported field type %s", t)
	}
}

// checkInt records an error unless n is a whole number in [lo, hi].
func checkInt(p *problems, path *field.Path, n json.Number, lo, hi int64) {
	i, err := n.Int64()
	if err != nil {
		p.errorf(pathString(path), "expected a whole number, got %s", n)
		return
	}
	if i < lo || i > hi {
		p.errorf(pathString(path), "%d is out of range", i)
	}
}

// checkDepth bounds the nesting of free-form values.
func checkDepth(p *problems, path *field.Path, v any, depth int) {
	if depth > maxValuesDepth {
		p.errorf(pathString(path), "values nested deeper than %d levels", maxValuesDepth)
		return
	}
	switch x := v.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(x)) {
			checkDepth(p, childPath(path, k), x[k], depth+1)
		}
	case []any:
		for i, e := range x {
			checkDepth(p, path.Index(i), e, depth+1)
		}
	}
}

// jsonFields maps the JSON names of a struct's fields, inlined ones
// included, to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && strings.Contains(opts, "inline") || f.Anonymous && name == "" {
			for k, v := range jsonFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if name == "" || name == "-" || !f.IsExported() {
			continue
		}
		out[name] = f.Type
	}
	return out
}

// suggest names a known field that differs from an unknown one only in case
// or by one edit.
func suggest(unknown string, fields map[string]reflect.Type) string {
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		if strings.EqualFold(k, unknown) || editDistance(k, unknown) == 1 {
			return fmt.Sprintf(" (did you mean %s?)", quote(k))
		}
	}
	return ""
}

// editDistance is the Levenshtein distance of two short strings.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// describe names the YAML type of a parsed value for error messages.
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return "string " + quote(x)
	case bool:
		return fmt.Sprintf("boolean %t", x)
	case json.Number:
		return "number " + x.String()
	case []any:
		return "a list"
	case map[string]any:
		return "a mapping"
	default:
		return fmt.Sprintf("%T", v)
	}
}

// quoteHint suggests quoting numbers that were meant as strings, such as
// version: 1.30.
func quoteHint(v any) string {
	if n, ok := v.(json.Number); ok {
		return fmt.Sprintf(" (quote it: %s)", quote(n.String()))
	}
	return ""
}
