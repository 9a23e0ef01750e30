package mesh_test

import "testing"

// TestRawValuesKeepIstiodNamespace: raw values that name another namespace
// for istiod than spec.rootNamespace, where it runs, are refused; the same
// namespace changes nothing and is allowed.
func TestRawValuesKeepIstiodNamespace(t *testing.T) {
	const moved = `differs from spec.rootNamespace ("istio-system"), where istiod runs`
	tests := []struct {
		name, spec string
		want       problem
	}{{
		name: "istiod's global.istioNamespace",
		spec: "spec:\n  values: {istiod: {global: {istioNamespace: other}}}\n",
		want: problem{"spec.values.istiod.global.istioNamespace", `"other" ` + moved},
	}, {
		name: "istiod's meshConfig.rootNamespace",
		spec: "spec:\n  values: {istiod: {meshConfig: {rootNamespace: other}}}\n",
		want: problem{"spec.values.istiod.meshConfig.rootNamespace", `"other" ` + moved},
	}, {
		name: "base's global.istioNamespace",
		spec: "spec:\n  values: {base: {global: {istioNamespace: other}}}\n",
		want: problem{"spec.values.base.global.istioNamespace", `"other" ` + moved},
	}, {
		name: "ztunnel's istioNamespace",
		spec: "spec:\n  profile: ambient\n  values: {ztunnel: {istioNamespace: other}}\n",
		want: problem{"spec.values.ztunnel.istioNamespace", `"other" ` + moved},
	}, {
		name: "a revision's own values",
		spec: "spec:\n  revisions:\n  - {name: a, values: {global: {istioNamespace: other}}}\n",
		want: problem{"spec.revisions[0].values.global.istioNamespace", `"other" ` + moved},
	}, {
		name: "the canary's values",
		spec: "spec:\n  revision: a\n  canary: {revision: b, values: {global: {istioNamespace: other}}}\n",
		want: problem{"spec.canary.values.global.istioNamespace", `"other" ` + moved},
	}, {
		name: "not a string",
		spec: "spec:\n  values: {istiod: {global: {istioNamespace: [a]}}}\n",
		want: problem{"spec.values.istiod.global.istioNamespace", "a list " + moved},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantErrors(t, tt.spec, tt.want) })
	}
	// The root namespace itself changes nothing.
	wantValid(t, "spec:\n  rootNamespace: mesh-root\n  values: {istiod: {global: {istioNamespace: mesh-root}, meshConfig: {rootNamespace: mesh-root}}}\n")
}
