package mesh

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/istio-render/istio-render/internal/merge"
	"github.com/istio-render/istio-render/profiles"
)

// Resolved is a spec that [Load] or [Resolve] completed: its profile merged
// under the user's settings and every documented default filled in, then
// validated. It is what package render renders.
//
// The profile is merged in already, so the embedded spec's Spec.Profile is
// empty and Profile names the profile that was merged. Fields may be
// changed after resolving: [Resolved.Complete] (which render calls) fills
// in defaults for what was added and validates the result again, but never
// merges a profile a second time.
type Resolved struct {
	// Profile is the name of the profile merged in.
	Profile string
	// FromProfile lists the elements of the spec's named lists that the
	// profile gave and the spec did not name, as paths such as
	// spec.gateways[istio-ingressgateway]; problems found in them say so
	// (FieldError.From). Complete keeps it.
	FromProfile []string
	// IstioMesh is the complete spec.
	IstioMesh
}

// Load decodes one IstioMesh document strictly, merges its profile under it,
// fills in defaults and validates it. Errors are a *ValidationError naming
// each field path, or a plain error for input that is not YAML at all.
func Load(data []byte) (*Resolved, []Warning, error) {
	tree, src, err := parseDocument(data)
	if err != nil {
		return nil, nil, err
	}
	return resolve(tree, src, nil, false)
}

// Resolve completes a spec built in Go the way Load completes a document:
// profile merge, defaults and validation. m is never modified.
//
// A zero value means unset, so a false boolean or an empty string cannot
// turn off a profile setting from Go; unset names the profile settings to
// remove instead, as null does in a document: field paths such as
// "spec.mesh.outboundTrafficPolicy" or
// "spec.gateways[istio-ingressgateway].autoscale", where [NAME] selects
// the element of a named list (gateways, namespaces, topologySpread by
// topologyKey is not named) by its name.
func Resolve(m *IstioMesh, unset ...string) (*Resolved, []Warning, error) {
	tree, err := toTree(m)
	if err != nil {
		return nil, nil, err
	}
	return resolve(tree, nil, unset, true)
}

// Complete returns a copy of r with defaults filled in for anything set
// since it was resolved, validated again. r is not modified. The profile is
// not merged again: a Spec.Profile set on a resolved spec is an error,
// because it would change nothing.
func (r *Resolved) Complete() (*Resolved, []Warning, error) {
	if r == nil {
		return nil, nil, &ValidationError{Errors: []FieldError{{Message: "no spec given"}}}
	}
	if r.Spec.Profile != "" && r.Profile == "" {
		return nil, nil, &ValidationError{Errors: []FieldError{{Field: "spec.profile", Message: fmt.Sprintf(
			"%s: no profile is merged into a Resolved built by hand; build it with mesh.Resolve, which merges the profile Spec.Profile names, or with mesh.Load",
			quote(r.Spec.Profile))}}}
	}
	if r.Spec.Profile != "" {
		return nil, nil, &ValidationError{Errors: []FieldError{{Field: "spec.profile", Message: fmt.Sprintf(
			"%s: the spec is resolved, with profile %s merged in already; resolve a document that names the profile you want instead",
			quote(r.Spec.Profile), quote(r.Profile))}}}
	}
	tree, err := toTree(&r.IstioMesh)
	if err != nil {
		return nil, nil, err
	}
	p := &problems{}
	checkShape(p, nil, tree, reflect.TypeFor[IstioMesh](), nil)
	if err := p.err(); err != nil {
		return nil, nil, err
	}
	cp, err := decodeTree(tree)
	if err != nil {
		return nil, nil, err
	}
	return finish(cp, r.Profile, slices.Clone(r.FromProfile), p)
}

// toTree converts a spec to a generic document tree.
func toTree(m *IstioMesh) (map[string]any, error) {
	if m == nil {
		return nil, &ValidationError{Errors: []FieldError{{Message: "no spec given"}}}
	}
	if err := goValues(m); err != nil {
		return nil, err
	}
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

// resolve runs the shared pipeline over a generic document tree, removing
// the unset field paths after the profile merge. src is the document's
// source (see sourceTree), nil for a tree built in Go.
//
// goAPI is set for a spec built in Go, whose messages then speak of unset
// paths instead of null.
func resolve(tree map[string]any, src any, unset []string, goAPI bool) (*Resolved, []Warning, error) {
	p := &problems{}
	checkShape(p, nil, tree, reflect.TypeFor[IstioMesh](), src)
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
	profileSpec := profile.Spec()
	merged["spec"] = merge.Maps(profileSpec, spec, merge.ByName)
	for _, path := range unset {
		if err := removeAt(merged, path); err != nil {
			p.errorf(path, "%v", err)
		}
	}
	if err := p.err(); err != nil {
		return nil, nil, err
	}
	m, err := decodeTree(merged)
	if err != nil {
		return nil, nil, err
	}
	m.Spec.Profile = ""
	mergedSpec, _ := merged["spec"].(map[string]any)
	p.origin = &origin{profile: name, user: spec, fromProfile: profileSpec, merged: mergedSpec, goAPI: goAPI}
	return finish(m, name, p.origin.elementsFromProfile(), p)
}

// finish fills in defaults and validates a decoded spec. fromProfile
// lists the elements the profile gave (Resolved.FromProfile).
func finish(m *IstioMesh, profile string, fromProfile []string, p *problems) (*Resolved, []Warning, error) {
	m.setDefaults()
	m.validate(p)
	sortBySpec(p.errs)
	markFromProfile(p, m, profile, fromProfile)
	if err := p.err(); err != nil {
		return nil, nil, err
	}
	return &Resolved{Profile: profile, FromProfile: fromProfile, IstioMesh: *m}, p.warnings, nil
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
