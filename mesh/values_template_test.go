package mesh_test

import (
	"testing"
)

// TestTemplateDelimitersInValues: the istiod chart runs some values
// through tpl; a template in raw values would run at render time, so none
// may hold one.
func TestTemplateDelimitersInValues(t *testing.T) {
	tests := []struct {
		name, spec string
		want       problem
	}{{
		name: "now in istiod values",
		spec: "spec:\n  values:\n    istiod:\n      initContainers:\n      - name: a\n        image: \"{{ now }}\"\n",
		want: problem{"spec.values.istiod.initContainers[0].image", `"{{ now }}" contains "{{", which starts a Helm template action`},
	}, {
		name: "a nested range",
		spec: "spec:\n  values:\n    istiod:\n      initContainers:\n      - name: '{{range $i := until 99999}}{{range $j := until 99999}}x{{end}}{{end}}'\n",
		want: problem{"spec.values.istiod.initContainers[0].name", `contains "{{"`},
	}, {
		name: "trim markers",
		spec: "spec:\n  values:\n    cni:\n      x: \"a {{- randAlphaNum 5 -}} b\"\n",
		want: problem{"spec.values.cni.x", `contains "{{"`},
	}, {
		name: "a key",
		spec: "spec:\n  values:\n    gateway:\n      podAnnotations:\n        \"{{ uuidv4 }}\": x\n",
		want: problem{`spec.values.gateway.podAnnotations["{{ uuidv4 }}"]`, `the key "{{ uuidv4 }}" contains "{{"`},
	}, {
		name: "gateway values",
		spec: "spec:\n  gateways:\n  - name: gw\n    values:\n      x: \"{{ now }}\"\n",
		want: problem{"spec.gateways[0].values.x", `contains "{{"`},
	}, {
		name: "canary values",
		spec: "spec:\n  revision: a\n  canary:\n    revision: b\n    values:\n      x: [\"{{ now }}\"]\n",
		want: problem{"spec.canary.values.x[0]", `contains "{{"`},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantErrors(t, tt.spec, tt.want) })
	}
	// A closing brace pair alone starts nothing: JSON in an annotation is fine.
	wantValid(t, "spec:\n  values:\n    gateway:\n      podAnnotations:\n        checks: '{\"envoy\": {\"instances\": [{\"a\": 1}]}}'\n")
}
