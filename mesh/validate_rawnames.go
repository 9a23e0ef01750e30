package mesh

// validateRawNamespaces refuses raw values that move what the charts place
// in, or point at, istiod's namespace away from spec.rootNamespace, where
// istiod runs and the spec's mesh-wide policy is rendered. The charts read
// it from these values: istiod's ServiceAccount, the subjects of its RBAC,
// the Service its webhooks call and the discovery address the injector
// gives every proxy (istiod's global.istioNamespace); base's default
// validation webhook and reader ServiceAccount (base's
// global.istioNamespace); ztunnel's discovery address (ztunnel's
// istioNamespace); and the namespace istiod reads mesh-wide configuration
// from (istiod's meshConfig.rootNamespace). Set to spec.rootNamespace, they
// change nothing and are allowed.
func (s *Spec) validateRawNamespaces(p *problems) {
	type setting struct {
		at     string
		values Values
		keys   []string
	}
	istiod := [][]string{{"global", "istioNamespace"}, {"meshConfig", "rootNamespace"}}
	settings := []setting{
		{"spec.values.base", s.Values.Base, []string{"global", "istioNamespace"}},
		{"spec.values.ztunnel", s.Values.Ztunnel, []string{"istioNamespace"}},
	}
	for _, keys := range istiod {
		settings = append(settings, setting{"spec.values.istiod", s.Values.Istiod, keys})
		for _, d := range s.Istiods() {
			if d.ValuesAt != "" {
				settings = append(settings, setting{d.ValuesAt, d.Values, keys})
			}
		}
	}
	for _, st := range settings {
		v, ok := valueAt(st.values, st.keys)
		if !ok || v == s.RootNamespace {
			continue
		}
		what := ValueKind(v)
		if str, ok := v.(string); ok {
			what = quote(str)
		}
		keys := make([]any, len(st.keys))
		for i, k := range st.keys {
			keys[i] = k
		}
		p.errorf(FieldPath(st.at, keys...), "%s differs from spec.rootNamespace (%s), where istiod runs: the charts would place or look for istiod's identity, RBAC, webhooks and mesh-wide configuration in a namespace without it; set spec.rootNamespace instead",
			what, quote(s.RootNamespace))
	}
}

// valueAt returns the raw value at keys, and whether values set one.
func valueAt(values Values, keys []string) (any, bool) {
	var v any = map[string]any(values)
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[k]; !ok {
			return nil, false
		}
	}
	return v, true
}
