package iop

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"sigs.k8s.io/yaml"
)

// YAML writes the imported spec: a comment that names source and lists
// every field not carried over, then the spec with empty settings left
// out.
func (r *Result) YAML(source string) ([]byte, error) {
	data, err := json.Marshal(&r.Mesh)
	if err != nil {
		return nil, fmt.Errorf("encoding the spec: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var tree map[string]any
	if err := dec.Decode(&tree); err != nil {
		return nil, fmt.Errorf("encoding the spec: %w", err)
	}
	prune(tree)
	body, err := yaml.Marshal(tree)
	if err != nil {
		return nil, fmt.Errorf("encoding the spec: %w", err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# Imported from the IstioOperator %s by istio-render import.\n", oneLine(source))
	if len(r.Unmapped) > 0 {
		b.WriteString("# Not carried over:\n")
		for _, n := range r.Unmapped {
			fmt.Fprintf(&b, "# - %s\n", oneLine(n.String()))
		}
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "# Note: %s\n", oneLine(n.String()))
	}
	b.Write(body)
	return []byte(b.String()), nil
}

// prune removes empty mappings, empty lists and nulls, deepest first.
func prune(m map[string]any) bool {
	for k, v := range m {
		switch x := v.(type) {
		case nil:
			delete(m, k)
		case map[string]any:
			if prune(x) {
				delete(m, k)
			}
		case []any:
			if len(x) == 0 {
				delete(m, k)
			}
			for _, e := range x {
				if em, ok := e.(map[string]any); ok {
					prune(em)
				}
			}
		}
	}
	return len(m) == 0
}

// oneLine keeps a comment on one line.
func oneLine(s string) string {
	return strings.NewReplacer("\n", " ", "\r", " ").Replace(s)
}
