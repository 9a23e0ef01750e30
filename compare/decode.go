package compare

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

// Object is one Kubernetes object as generic YAML: maps, lists, strings,
// booleans, json.Number and nil.
type Object = map[string]any

// Decode splits a YAML stream into objects. Empty documents are skipped and
// the items of a List are returned one by one. Numbers are kept as
// json.Number, so they compare and print as written.
func Decode(stream []byte) ([]Object, error) {
	r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(stream)))
	var out []Object
	for n := 1; ; n++ {
		doc, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading document %d: %w", n, err)
		}
		obj, err := decodeDocument(doc)
		if err != nil {
			return nil, fmt.Errorf("document %d: %w", n, err)
		}
		if obj == nil {
			continue
		}
		if items, ok := obj["items"].([]any); ok && obj["kind"] == "List" {
			for i, it := range items {
				m, ok := it.(map[string]any)
				if !ok {
					return nil, fmt.Errorf("document %d: items[%d] is not an object", n, i)
				}
				out = append(out, m)
			}
			continue
		}
		out = append(out, obj)
	}
}

// decodeDocument parses one document; nil for an empty one.
func decodeDocument(doc []byte) (Object, error) {
	js, err := yaml.YAMLToJSON(doc)
	if err != nil {
		return nil, err
	}
	if bytes.Equal(bytes.TrimSpace(js), []byte("null")) {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("not a Kubernetes object (a mapping with apiVersion and kind)")
	}
	return obj, nil
}
