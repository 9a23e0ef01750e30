package upgrade

import (
	"slices"

	yaml "go.yaml.in/yaml/v3"
)

// lookup returns the value of key in a mapping node, or nil.
func lookup(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// remove deletes key from a mapping node and returns the index its pair
// was at, or -1.
func remove(m *yaml.Node, key string) int {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content = slices.Delete(m.Content, i, i+2)
			return i
		}
	}
	return -1
}

// insert adds key: value to a mapping node at pair index at (clamped to
// the end), replacing an existing value of key in place.
func insert(m *yaml.Node, key string, value *yaml.Node, at int) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content[i+1] = value
			return
		}
	}
	if at < 0 || at > len(m.Content) {
		at = len(m.Content)
	}
	m.Content = slices.Insert(m.Content, at, scalar(key), value)
}

// set sets key to a string in a mapping node, appending it when absent.
func set(m *yaml.Node, key, value string) {
	insert(m, key, scalar(value), -1)
}

// scalar is a plain string scalar; a value YAML would read as another type
// is quoted.
func scalar(v string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v}
	var probe any
	err := yaml.Unmarshal([]byte(v), &probe)
	if s, ok := probe.(string); err != nil || !ok || s != v {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

// mapping builds a flow mapping of string pairs, e.g. {name: a, version: 1.31.0}.
func mapping(pairs ...string) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: yaml.FlowStyle}
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			set(m, pairs[i], pairs[i+1])
		}
	}
	return m
}

// likeSiblings gives an element about to be added to a sequence the
// style of the elements there: a block mapping among block mappings, a
// flow one in a flow sequence or among flow mappings.
func likeSiblings(seq, n *yaml.Node) *yaml.Node {
	if seq.Style&yaml.FlowStyle != 0 || len(seq.Content) == 0 {
		return n
	}
	n.Style = seq.Content[len(seq.Content)-1].Style & yaml.FlowStyle
	return n
}

// items returns the elements of a sequence node, or nil.
func items(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

// stringAt returns the string value of key in a mapping node, or "".
func stringAt(m *yaml.Node, key string) string {
	if v := lookup(m, key); v != nil && v.Kind == yaml.ScalarNode {
		return v.Value
	}
	return ""
}
