package mesh

import (
	"maps"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// templateStart opens an action in Go's text/template, which Helm's
// engine uses. Text without it is copied through a template unchanged:
// "}}" alone, as in a JSON annotation, starts nothing.
const templateStart = "{{"

// validateRawValues refuses template actions anywhere in raw Helm values.
//
// Helm renders values as data, except where a chart passes them through
// tpl: the istiod chart does so for initContainers, and a chart of another
// release may do so anywhere. There a value is a template that runs at
// render time: {{ now }} or randAlphaNum make every render differ, and a
// nested range over until runs for as long as its numbers allow, with a
// memory to match; the engine cannot be interrupted. Refusing "{{" in
// every key and string is what keeps rendering deterministic and bounded.
func (s *Spec) validateRawValues(p *problems) {
	for _, c := range []struct {
		name string
		v    Values
	}{
		{"base", s.Values.Base}, {"istiod", s.Values.Istiod}, {"gateway", s.Values.Gateway},
		{"cni", s.Values.CNI}, {"ztunnel", s.Values.Ztunnel},
	} {
		noTemplates(p, path("spec", "values", c.name), map[string]any(c.v))
	}
	for i := range s.Gateways {
		noTemplates(p, path("spec").Child("gateways").Index(i).Child("values"), map[string]any(s.Gateways[i].Values))
	}
	if s.Canary != nil {
		noTemplates(p, path("spec", "canary", "values"), map[string]any(s.Canary.Values))
	}
}

// noTemplates records every key and string under at that holds "{{".
func noTemplates(p *problems, at *field.Path, v any) {
	switch x := v.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(x)) {
			child := childPath(at, k)
			if strings.Contains(k, templateStart) {
				p.errorf(pathString(child), "the key %s contains %q, which starts a Helm template action: raw values are data, and a chart that passes them through tpl would run it; remove the template", quote(k), templateStart)
			}
			noTemplates(p, child, x[k])
		}
	case []any:
		for i, e := range x {
			noTemplates(p, at.Index(i), e)
		}
	case string:
		if strings.Contains(x, templateStart) {
			p.errorf(pathString(at), "%s contains %q, which starts a Helm template action: raw values are data, and a chart that passes them through tpl would run it at render time; remove the template", quote(x), templateStart)
		}
	}
}
