package mesh

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/istio-render/istio-render/internal/merge"
	"github.com/istio-render/istio-render/profiles"
)

// Load decodes one IstioMesh document strictly, merges its profile under it,
// fills in defaults and validates it. The returned spec is complete: every
// defaulted field is set. Errors are a *ValidationError naming each field
// path, or a plain error for input that is not YAML at all.
func Load(data []byte) (*IstioMesh, []Warning, error) {
	tree, err := parseDocument(data)
	if err != nil {
		return nil, nil, err
	}
	return resolve(tree)
}

// Resolve completes a spec built in Go the same way Load completes a
// document: profile merge, defaults and validation. A false boolean or an
// empty string cannot turn off a profile setting from Go, because the zero
// value means unset; use a document and Load for that.
//
// A spec that Load or Resolve returned has its profile merged in already:
// Resolve then fills in defaults for anything added since and validates it
// again, without merging the profile a second time (which would bring back
// the profile settings the document removed). The argument is never
// modified.
func Resolve(m *IstioMesh) (*IstioMesh, []Warning, error) {
	tree, err := toTree(m)
	if err != nil {
		return nil, nil, err
	}
	if !m.resolved {
		return resolve(tree)
	}
	cp, err := decodeTree(tree)
	if err != nil {
		return nil, nil, err
	}
	cp.setDefaults()
	p := &problems{}
	cp.validate(p)
	if err := p.err(); err != nil {
		return nil, nil, err
	}
	cp.resolved = true
	return cp, p.warnings, nil
}

// toTree converts a spec to a generic document tree.
func toTree(m *IstioMesh) (map[string]any, error) {
	data, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("encoding spec: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var tree map[string]any
	if err := dec.Decode(&tree); err != nil {
		return nil, fmt.Errorf("encoding spec: %w", err)
	}
	return tree, nil
}

// resolve runs the shared pipeline over a generic document tree.
func resolve(tree map[string]any) (*IstioMesh, []Warning, error) {
	p := &problems{}
	checkShape(p, nil, tree, reflect.TypeFor[IstioMesh]())
	checkTypeMeta(p, tree)
	if err := p.err(); err != nil {
		return nil, nil, err
	}
	spec, _ := tree["spec"].(map[string]any)
	name, _ := spec["profile"].(string)
	if name == "" {
		name = profiles.Default
	}
	profile, err := profiles.Get(name)
	if err != nil {
		p.errorf("spec.profile", "%v", err)
		return nil, nil, p.err()
	}
	merged := maps.Clone(tree)
	merged["spec"] = merge.Maps(profile.Spec(), spec, merge.ByName)
	m, err := decodeTree(merged)
	if err != nil {
		return nil, nil, err
	}
	m.Spec.Profile = name
	m.setDefaults()
	m.validate(p)
	if err := p.err(); err != nil {
		return nil, nil, err
	}
	m.resolved = true
	return m, p.warnings, nil
}

// checkTypeMeta requires the apiVersion and kind of an IstioMesh.
func checkTypeMeta(p *problems, tree map[string]any) {
	switch av, _ := tree["apiVersion"].(string); {
	case av == "":
		p.errorf("apiVersion", "required: %s", APIVersion)
	case av != APIVersion:
		p.errorf("apiVersion", "unsupported value %q: expected %s", av, APIVersion)
	}
	switch k, _ := tree["kind"].(string); {
	case k == "":
		p.errorf("kind", "required: %s", Kind)
	case k != Kind:
		p.errorf("kind", "unsupported value %q: expected %s", k, Kind)
	}
	if _, ok := tree["spec"]; !ok {
		p.errorf("spec", "required")
	}
	if _, ok := tree["metadata"]; !ok {
		p.errorf("metadata.name", "required")
	}
}

// decodeTree converts a shape-checked tree into the Go types.
func decodeTree(tree map[string]any) (*IstioMesh, error) {
	data, err := json.Marshal(tree)
	if err != nil {
		return nil, fmt.Errorf("encoding spec: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var m IstioMesh
	if err := dec.Decode(&m); err != nil {
		// checkShape accepts only what decodes; reaching this is a bug.
		return nil, &ValidationError{Errors: []FieldError{{Message: fmt.Sprintf("decoding spec: %v", err)}}}
	}
	return &m, nil
}

// path is a shorthand for building field paths.
func path(root string, more ...string) *field.Path { return field.NewPath(root, more...) }
