package conformance_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/istio-render/istio-render/schema"
)

// specSchema is what the spec generator reads from the spec's JSON Schema
// (package schema, generated from the Go types): every field path, and
// the values of every enumerated field. Field paths are written as the
// generator's coverage test writes them: spec.gateways[].servers[].port,
// with [] for the items of a list and .* for the values of a map of
// objects (spec.gatewayAPI.classes.*.replicas).
type specSchema struct {
	// paths are every field path of the schema, in the order found.
	paths []string
	// enums are the values (without "" and null) of each enumerated path.
	enums map[string][]string
}

// schemaNode is the part of a JSON Schema the walk reads.
type schemaNode struct {
	Ref                  string                 `json:"$ref"`
	Properties           map[string]*schemaNode `json:"properties"`
	Items                *schemaNode            `json:"items"`
	AdditionalProperties json.RawMessage        `json:"additionalProperties"`
	AnyOf                []*schemaNode          `json:"anyOf"`
	Enum                 []any                  `json:"enum"`
}

// loadSpecSchema walks the spec's JSON Schema from its root.
func loadSpecSchema(t testing.TB) *specSchema {
	t.Helper()
	data, err := schema.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var root struct {
		schemaNode
		Defs map[string]*schemaNode `json:"$defs"`
	}
	if err := json.Unmarshal(data, &root); err != nil {
		t.Fatalf("parsing the spec's schema: %v", err)
	}
	s := &specSchema{enums: map[string][]string{}}
	resolve := func(n *schemaNode) (*schemaNode, error) {
		for n != nil && n.Ref == "" && len(n.AnyOf) > 0 {
			var next *schemaNode
			for _, a := range n.AnyOf {
				if a.Ref != "" {
					next = a
				}
			}
			if next == nil {
				return n, nil
			}
			n = next
		}
		if n == nil || n.Ref == "" {
			return n, nil
		}
		d := root.Defs[strings.TrimPrefix(n.Ref, "#/$defs/")]
		if d == nil {
			return nil, fmt.Errorf("no definition for %s", n.Ref)
		}
		return d, nil
	}
	var walk func(at string, n *schemaNode, depth int) error
	walk = func(at string, n *schemaNode, depth int) error {
		if depth > 20 {
			return fmt.Errorf("%s: the schema nests too deep", at)
		}
		for _, name := range slices.Sorted(maps.Keys(n.Properties)) {
			p := n.Properties[name]
			path := name
			if at != "" {
				path = at + "." + name
			}
			s.paths = append(s.paths, path)
			for _, v := range p.Enum {
				if str, ok := v.(string); ok && str != "" {
					s.enums[path] = append(s.enums[path], str)
				}
			}
			target, err := resolve(p)
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			if err := walkChildren(path, target, resolve, walk, depth); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk("", &root.schemaNode, 0); err != nil {
		t.Fatalf("walking the spec's schema: %v", err)
	}
	if len(s.paths) < 100 || len(s.enums) < 10 {
		t.Fatalf("the spec's schema has %d paths and %d enums: the walk is broken", len(s.paths), len(s.enums))
	}
	return s
}

// walkChildren descends into an object's properties, a list's items or a
// map's object values.
func walkChildren(path string, n *schemaNode, resolve func(*schemaNode) (*schemaNode, error), walk func(string, *schemaNode, int) error, depth int) error {
	if n == nil {
		return nil
	}
	if len(n.Properties) > 0 {
		return walk(path, n, depth+1)
	}
	if n.Items != nil {
		item, err := resolve(n.Items)
		if err != nil {
			return fmt.Errorf("%s[]: %w", path, err)
		}
		if item != nil && len(item.Properties) > 0 {
			return walk(path+"[]", item, depth+1)
		}
	}
	if len(n.AdditionalProperties) > 0 && n.AdditionalProperties[0] == '{' {
		var ap schemaNode
		if err := json.Unmarshal(n.AdditionalProperties, &ap); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		value, err := resolve(&ap)
		if err != nil {
			return fmt.Errorf("%s.*: %w", path, err)
		}
		if value != nil && len(value.Properties) > 0 {
			return walk(path+".*", value, depth+1)
		}
	}
	return nil
}

// enum returns the values of an enumerated field; it fails when the
// schema has none there, so that a renamed field is noticed.
func (s *specSchema) enum(path string) []string {
	v, ok := s.enums[path]
	if !ok {
		panic(fmt.Sprintf("the spec's schema has no enum at %s", path))
	}
	return v
}
