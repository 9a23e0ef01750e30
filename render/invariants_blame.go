package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/istio-render/istio-render/mesh"
)

// blamer traces a finding to the spec field that caused it:
//
//  1. raw values of the object's release that set what the check names
//     (valuesKeys), most specific layer first: they are merged last;
//  2. the field the check itself names;
//  3. raw values holding the offending text as a key or value;
//  4. the spec's own fields that hold the text, or that names are derived
//     from (a gateway's name in its objects' names, a revision in
//     istiod-<revision>), from a table per component.
//
// A finding none of these explain is reported with its component.
type blamer struct {
	s   *mesh.Spec
	raw map[string][]rawValues
}

func newBlamer(s *mesh.Spec, rels []*release) *blamer {
	b := &blamer{s: s, raw: map[string][]rawValues{}}
	for _, rel := range rels {
		b.raw[rel.Component] = rel.raw
	}
	return b
}

// field is the spec field at fault, or "".
func (b *blamer) field(f finding) string {
	layers := b.raw[f.component]
	if len(f.valuesKeys) > 0 {
		for n := len(layers) - 1; n >= 0; n-- {
			if hasPath(layers[n].values, f.valuesKeys) {
				return mesh.FieldPath(layers[n].field, f.valuesKeys...)
			}
		}
	}
	if f.field != "" {
		return f.field
	}
	if f.text == "" {
		if f.value == nil {
			return ""
		}
		want, err := json.Marshal(f.value)
		if err != nil {
			return ""
		}
		for n := len(layers) - 1; n >= 0; n-- {
			if keys, ok := findValue(map[string]any(layers[n].values), want); ok {
				return mesh.FieldPath(layers[n].field, keys...)
			}
		}
		return ""
	}
	for n := len(layers) - 1; n >= 0; n-- {
		if keys, ok := findText(map[string]any(layers[n].values), f.text); ok {
			return mesh.FieldPath(layers[n].field, keys...)
		}
	}
	return b.specField(f.component, f.text)
}

// rawSetting returns the first of the keys that a raw values layer of a
// component sets, or nil when none does.
func (b *blamer) rawSetting(component string, keys ...[]any) []any {
	for _, k := range keys {
		for _, layer := range b.raw[component] {
			if hasPath(layer.values, k) {
				return k
			}
		}
	}
	return nil
}

// hasPath reports whether values set a value at keys.
func hasPath(values map[string]any, keys []any) bool {
	var v any = values
	for _, k := range keys {
		switch x := v.(type) {
		case map[string]any:
			s, ok := k.(string)
			if !ok {
				return false
			}
			if v, ok = x[s]; !ok {
				return false
			}
		case []any:
			i, ok := k.(int)
			if !ok || i < 0 || i >= len(x) {
				return false
			}
			v = x[i]
		default:
			return false
		}
	}
	return true
}

// findText returns the keys of the first key or scalar, in key order,
// that reads text.
func findText(v any, text string) ([]any, bool) {
	switch x := v.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(x)) {
			if k == text {
				return []any{k}, true
			}
			if keys, ok := findText(x[k], text); ok {
				return append([]any{k}, keys...), true
			}
		}
	case []any:
		for i, e := range x {
			if keys, ok := findText(e, text); ok {
				return append([]any{i}, keys...), true
			}
		}
	case nil:
	default:
		if fmt.Sprint(x) == text {
			return nil, true
		}
	}
	return nil, false
}

// findValue returns the keys of the first mapping or list within v, in
// key order, whose JSON encoding is want: a parsed value, whichever
// parser made its numbers, encodes as the raw value it came from.
func findValue(v any, want []byte) ([]any, bool) {
	var parts []any
	switch x := v.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(x)) {
			parts = append(parts, k)
		}
	case []any:
		for i := range x {
			parts = append(parts, i)
		}
	default:
		return nil, false
	}
	if got, err := json.Marshal(v); err == nil && bytes.Equal(got, want) {
		return nil, true
	}
	for _, k := range parts {
		if keys, ok := findValue(partAt(v, k), want); ok {
			return append([]any{k}, keys...), true
		}
	}
	return nil, false
}

// candidate is a spec field and its value; a derived one is found within
// names made from it.
type candidate struct {
	field, value string
	derived      bool
}

// specField finds the spec field holding text: one that equals it, else
// the longest whose value the text is derived from.
func (b *blamer) specField(component, text string) string {
	cands := b.candidates(component)
	for _, c := range cands {
		if c.value != "" && c.value == text {
			return c.field
		}
	}
	best := candidate{}
	for _, c := range cands {
		if c.derived && c.value != "" && strings.Contains(text, c.value) && len(c.value) > len(best.value) {
			best = c
		}
	}
	return best.field
}

// candidates lists the spec fields whose values reach a component's
// objects.
func (b *blamer) candidates(component string) []candidate {
	s := b.s
	var out []candidate
	add := func(field, value string, derived bool) { out = append(out, candidate{field, value, derived}) }
	revisions := func() {
		add("spec.revision", s.Revision, true)
		for i, t := range s.RevisionTags {
			add(fmt.Sprintf("spec.revisionTags[%d]", i), t, true)
		}
	}
	switch {
	case strings.HasPrefix(component, ComponentGatewayPrefix):
		i, g := b.gateway(component)
		if g == nil {
			break
		}
		at := fmt.Sprintf("spec.gateways[%d]", i)
		add(at+".name", g.Name, true)
		for _, k := range sortedKeys(g.Labels) {
			add(mesh.FieldPath(at+".labels", k), k, false)
			add(mesh.FieldPath(at+".labels", k), g.Labels[k], false)
		}
		for _, k := range sortedKeys(g.Service.Annotations) {
			add(mesh.FieldPath(at+".service.annotations", k), k, false)
		}
		add(at+".service.loadBalancerIP", g.Service.LoadBalancerIP, false)
		for j, sv := range g.Servers {
			sp := fmt.Sprintf("%s.servers[%d]", at, j)
			add(sp+".name", sv.Name, false)
			add(sp+".port", strconv.Itoa(int(sv.Port)), false)
			if sv.TLS != nil {
				add(sp+".tls.credentialName", sv.TLS.CredentialName, false)
			}
		}
		add(at+".resourceName", g.ResourceName, false)
		add(b.gatewayNamespace(at, g), g.Namespace, false)
		add(at+".revision", g.Revision, true)
		revisions()
	case s.Canary != nil && component == istiodRelease(s.Canary.Revision):
		add("spec.canary.revision", s.Canary.Revision, true)
		for i, t := range s.Canary.RevisionTags {
			add(fmt.Sprintf("spec.canary.revisionTags[%d]", i), t, true)
		}
		add("spec.rootNamespace", s.RootNamespace, false)
	case component == ComponentNamespaces || component == ComponentPolicy:
		for i, n := range s.Namespaces {
			at := fmt.Sprintf("spec.namespaces[%d]", i)
			add(at+".name", n.Name, false)
			for _, k := range sortedKeys(n.Labels) {
				add(mesh.FieldPath(at+".labels", k), k, false)
				add(mesh.FieldPath(at+".labels", k), n.Labels[k], false)
			}
			for _, k := range sortedKeys(n.Annotations) {
				add(mesh.FieldPath(at+".annotations", k), k, false)
			}
		}
		for i := range s.Gateways {
			if g := &s.Gateways[i]; g.IsEnabled() {
				add(b.gatewayNamespace(fmt.Sprintf("spec.gateways[%d]", i), g), g.Namespace, false)
			}
		}
		add("spec.rootNamespace", s.RootNamespace, false)
		add("spec.cni.namespace", s.CNI.Namespace, false)
	default: // base, istiod, cni, ztunnel
		revisions()
		add("spec.rootNamespace", s.RootNamespace, false)
		add("spec.cni.namespace", s.CNI.Namespace, false)
	}
	return out
}

// gateway returns the spec's gateway a gateway component renders.
func (b *blamer) gateway(component string) (int, *mesh.Gateway) {
	name := strings.TrimPrefix(component, ComponentGatewayPrefix)
	for i := range b.s.Gateways {
		if g := &b.s.Gateways[i]; g.IsEnabled() && g.Name == name {
			return i, g
		}
	}
	return -1, nil
}

// gatewayNamespace is the field a gateway's namespace comes from: the
// root namespace unless the gateway names another.
func (b *blamer) gatewayNamespace(at string, g *mesh.Gateway) string {
	if g.Namespace == b.s.RootNamespace {
		return "spec.rootNamespace"
	}
	return at + ".namespace"
}

// gatewayRevision is the field a gateway component's revision comes from,
// or "" for the default revision.
func (b *blamer) gatewayRevision(component string) string {
	i, g := b.gateway(component)
	switch {
	case g == nil:
		return ""
	case g.Revision != "":
		return fmt.Sprintf("spec.gateways[%d].revision", i)
	case b.s.Revision != "":
		return "spec.revision"
	}
	return ""
}

// namespaceField is a field of the spec's entry for a namespace, or ""
// when the spec does not list it.
func (b *blamer) namespaceField(name, field string) string {
	for i, n := range b.s.Namespaces {
		if n.Name == name {
			return fmt.Sprintf("spec.namespaces[%d].%s", i, field)
		}
	}
	return ""
}
