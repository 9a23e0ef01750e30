package conformance_test

import (
	"strings"

	"github.com/istio-render/istio-render/render"
)

// ownedField is one field of a rendered object that the project's list
// says the cluster owns at run time, as the live proof reads it.
type ownedField struct {
	group, kind, namespace, name string
	// path locates the field from the object's root; "*" stands for every
	// element of a list.
	path []string
	// rendered: the render sets the field, so a tool that applies the
	// render writes it back.
	rendered bool
}

// runtimeOwned is the project's list of run-time-owned fields for a
// render: render.RuntimeFields, the one list that Argo CD's
// ignoreDifferences, Flux's ignore rules and --check derive from. The live
// proof compares what the cluster changed with this list and nothing else,
// so this function is the only place that knows where the list lives.
func runtimeOwned(resources []render.Resource) []ownedField {
	var out []ownedField
	for _, f := range render.RuntimeFields(resources) {
		out = append(out, ownedField{
			group: f.Group, kind: f.Kind, namespace: f.Namespace, name: f.Name,
			path: append([]string(nil), f.Path...), rendered: f.Rendered,
		})
	}
	return out
}

// objectID names the object the field belongs to, as objectID does.
func (f ownedField) objectID() string {
	return f.group + "/" + f.kind + "/" + f.namespace + "/" + f.name
}

// String names the object and the field: group/kind/namespace/name .a[*].b
func (f ownedField) String() string {
	var b strings.Builder
	for _, s := range f.path {
		if s == "*" {
			b.WriteString("[*]")
			continue
		}
		b.WriteString("." + s)
	}
	return f.objectID() + " " + b.String()
}

// covers reports whether the field is, or holds, the value at path of the
// object id.
func (f ownedField) covers(id string, path fieldPath) bool {
	if id != f.objectID() || len(path) < len(f.path) {
		return false
	}
	for i, s := range f.path {
		step := path[i]
		switch {
		case s == "*" && step.isIndex():
		case !step.isIndex() && step.key == s:
		default:
			return false
		}
	}
	return true
}

// without returns the list with one entry left out: the broken list the
// drift check must fail on.
func without(fields []ownedField, drop int) []ownedField {
	out := append([]ownedField(nil), fields[:drop]...)
	return append(out, fields[drop+1:]...)
}
