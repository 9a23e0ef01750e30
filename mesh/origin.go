package mesh

import (
	"fmt"
	"slices"
	"strings"
)

// origin tells, while a spec is validated, which settings its profile
// gave and the spec did not, so that a message can say so: the user never
// wrote them.
type origin struct {
	// profile is the name of the profile merged under the spec.
	profile string
	// user, fromProfile and merged are the spec sections (under spec:)
	// of the document, of the profile, and of their merge.
	user, fromProfile, merged map[string]any
	// goAPI is set for a spec built in Go, which removes a setting with
	// Resolve's unset paths instead of null.
	goAPI bool
}

// profileSets reports whether the profile, and not the spec, sets the
// field at the printed path at (under spec.). A list element is found by
// its name where it has one, since the merge puts the spec's elements
// before the profile's.
func (o *origin) profileSets(at string) bool {
	if o == nil {
		return false
	}
	segs, ok := parseFieldPath(at)
	if !ok || len(segs) < 2 || segs[0].key != "spec" || segs[0].isIndex {
		return false
	}
	var user, prof, merged any = o.user, o.fromProfile, o.merged
	for _, s := range segs[1:] {
		if s.isIndex {
			list, _ := merged.([]any)
			if s.index >= len(list) {
				return false
			}
			merged = list[s.index]
			name, named := nameOf(merged)
			if !named {
				return false
			}
			user, prof = elementNamed(user, name), elementNamed(prof, name)
			continue
		}
		user, prof, merged = keyOf(user, s.key), keyOf(prof, s.key), keyOf(merged, s.key)
	}
	return user == nil && prof != nil
}

// conflictHint is what to add to "set A or B, not both" at at (A and B
// are fields of at) when the profile sets one of them and the spec the
// other: the profile's name and how to remove its setting.
func (o *origin) conflictHint(at, a, b string) string {
	for _, pair := range [][2]string{{b, a}, {a, b}} {
		theirs, ours := pair[0], pair[1]
		if o.profileSets(at+"."+theirs) && !o.profileSets(at+"."+ours) {
			return fmt.Sprintf("; profile %s sets %s: %s", o.profile, theirs, o.removal(at, theirs))
		}
	}
	return ""
}

// removal says how to remove the profile's setting of field key at at.
func (o *origin) removal(at, key string) string {
	if o.goAPI {
		return fmt.Sprintf("remove it by passing %s to mesh.Resolve as a field to unset", quote(o.namePath(at)+"."+key))
	}
	return fmt.Sprintf("remove it with %s.%s: null", at, key)
}

// namePath rewrites the list indices of a printed path into the names
// Resolve's unset paths select elements by: spec.gateways[0] becomes
// spec.gateways[istio-ingressgateway].
func (o *origin) namePath(at string) string {
	segs, ok := parseFieldPath(at)
	if !ok || len(segs) == 0 {
		return at
	}
	var merged any = o.merged
	parts := []string{segs[0].key}
	for _, s := range segs[1:] {
		if s.isIndex {
			list, _ := merged.([]any)
			if s.index < len(list) {
				merged = list[s.index]
				if name, ok := nameOf(merged); ok {
					parts[len(parts)-1] += "[" + name + "]"
					continue
				}
			}
			return at
		}
		merged = keyOf(merged, s.key)
		parts = append(parts, s.key)
	}
	return strings.Join(parts, ".")
}

// elementsFromProfile lists the elements of the spec's named lists
// (gateways, namespaces) that only the profile gives, as paths such as
// spec.gateways[istio-ingressgateway], sorted.
func (o *origin) elementsFromProfile() []string {
	if o == nil {
		return nil
	}
	var out []string
	for key, v := range o.merged {
		list, _ := v.([]any)
		for _, e := range list {
			name, ok := nameOf(e)
			if ok && elementNamed(o.user[key], name) == nil && elementNamed(o.fromProfile[key], name) != nil {
				out = append(out, fmt.Sprintf("spec.%s[%s]", key, name))
			}
		}
	}
	slices.Sort(out)
	return out
}

// keyOf is the value of key in a mapping; nil for anything else.
func keyOf(v any, key string) any {
	m, _ := v.(map[string]any)
	return m[key]
}

// nameOf is the name of a named list element.
func nameOf(v any) (string, bool) {
	m, _ := v.(map[string]any)
	name, ok := m["name"].(string)
	return name, ok
}

// elementNamed is the element of a list with this name; nil when none.
func elementNamed(list any, name string) any {
	l, _ := list.([]any)
	for _, e := range l {
		if n, ok := nameOf(e); ok && n == name {
			return e
		}
	}
	return nil
}

// markFromProfile sets From on every problem inside an element that only
// the profile gives, such as spec.gateways[1] when the spec names one
// gateway and the profile adds istio-ingressgateway.
func markFromProfile(p *problems, m *IstioMesh, profile string, fromProfile []string) {
	if len(fromProfile) == 0 || len(p.errs)+len(p.warnings) == 0 {
		return
	}
	tree, err := toTree(m)
	if err != nil {
		return
	}
	spec, _ := tree["spec"].(map[string]any)
	from := func(field string) string {
		segs, _ := parseFieldPath(field)
		if len(segs) < 3 || segs[0].key != "spec" || segs[1].isIndex || !segs[2].isIndex {
			return ""
		}
		list, _ := spec[segs[1].key].([]any)
		if segs[2].index >= len(list) {
			return ""
		}
		name, ok := nameOf(list[segs[2].index])
		if !ok || !slices.Contains(fromProfile, fmt.Sprintf("spec.%s[%s]", segs[1].key, name)) {
			return ""
		}
		return fmt.Sprintf("%s, from profile %s", name, profile)
	}
	for i := range p.errs {
		p.errs[i].From = from(p.errs[i].Field)
	}
	for i := range p.warnings {
		p.warnings[i].From = from(p.warnings[i].Field)
	}
}
