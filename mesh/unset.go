package mesh

import (
	"fmt"
	"reflect"
	"strings"
)

// removeAt removes the setting at path from a document tree with its
// profile merged in, as a null in the document would have kept it out.
// path is dotted from the document root, such as spec.mesh.accessLogFile; a
// segment key[NAME] selects the element named NAME of a named list, which
// must exist. Removing a setting that is not there changes nothing.
func removeAt(tree map[string]any, path string) error {
	segs, err := splitPath(path)
	if err != nil {
		return err
	}
	if segs[0].key != "spec" || len(segs) < 2 {
		return fmt.Errorf("only settings under spec can be removed")
	}
	if err := checkPath(segs); err != nil {
		return err
	}
	cur := tree
	for i, s := range segs {
		last := i == len(segs)-1
		if s.name == "" {
			if last {
				delete(cur, s.key)
				return nil
			}
			next, ok := cur[s.key].(map[string]any)
			if !ok {
				return nil
			}
			cur = next
			continue
		}
		if last {
			return fmt.Errorf("a whole list element cannot be removed; for a gateway, set enabled: false")
		}
		list, _ := cur[s.key].([]any)
		var elem map[string]any
		for _, e := range list {
			if m, ok := e.(map[string]any); ok && m["name"] == s.name {
				elem = m
			}
		}
		if elem == nil {
			return fmt.Errorf("%s has no element named %q", s.key, s.name)
		}
		cur = elem
	}
	return nil
}

// segment is one step of a removal path: a key, and the name of a list
// element when the key is a named list.
type segment struct{ key, name string }

// splitPath parses a removal path.
func splitPath(path string) ([]segment, error) {
	if path == "" {
		return nil, fmt.Errorf("empty field path")
	}
	var out []segment
	for part := range strings.SplitSeq(path, ".") {
		s := segment{key: part}
		if k, rest, ok := strings.Cut(part, "["); ok {
			name, ok := strings.CutSuffix(rest, "]")
			if !ok || name == "" || strings.ContainsAny(name, "[]") {
				return nil, fmt.Errorf("%q is not a field path such as spec.gateways[NAME].autoscale", path)
			}
			s = segment{key: k, name: name}
		}
		if s.key == "" {
			return nil, fmt.Errorf("%q is not a field path such as spec.mesh.outboundTrafficPolicy", path)
		}
		out = append(out, s)
	}
	return out, nil
}

// checkPath requires a removal path to name fields of the spec: struct
// fields by their JSON names, named list elements where the list's
// elements have a name, and free keys below a map (labels, values).
func checkPath(segs []segment) error {
	t := reflect.TypeFor[IstioMesh]()
	for i, s := range segs {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() == reflect.Map {
			if s.name != "" {
				return fmt.Errorf("%s is a key of a mapping, not a list", strings.Join(segNames(segs[:i+1]), "."))
			}
			t = t.Elem()
			continue
		}
		if t.Kind() != reflect.Struct {
			return fmt.Errorf("%s has no field %q", strings.Join(segNames(segs[:i]), "."), s.key)
		}
		ft, ok := jsonFields(t)[s.key]
		if !ok {
			return fmt.Errorf("%s has no field %q", strings.Join(segNames(segs[:i]), "."), s.key)
		}
		t = ft
		if s.name != "" {
			if t.Kind() != reflect.Slice || t.Elem().Kind() != reflect.Struct {
				return fmt.Errorf("%s is not a list", strings.Join(segNames(segs[:i+1]), "."))
			}
			if _, named := jsonFields(t.Elem())["name"]; !named {
				return fmt.Errorf("the elements of %s have no name to select them by", strings.Join(segNames(segs[:i+1]), "."))
			}
			t = t.Elem()
		}
	}
	return nil
}

// segNames are the keys of a path, for messages.
func segNames(segs []segment) []string {
	out := make([]string, len(segs))
	for i, s := range segs {
		out[i] = s.key
	}
	return out
}
