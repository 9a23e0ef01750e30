package mesh_test

import (
	"testing"
)

// TestOctalNumbers: YAML 1.1 reads 0443 as 291 and 010 as 8; a number
// written with a leading zero is refused wherever it is, with what to
// write instead.
func TestOctalNumbers(t *testing.T) {
	tests := []struct {
		name, spec string
		want       problem
	}{{
		name: "a port",
		spec: "spec:\n  gateways:\n  - name: gw\n    servers:\n    - port: 0443\n      hosts: [\"*\"]\n      tls: {mode: SIMPLE, credentialName: gw-tls}\n",
		want: problem{"spec.gateways[0].servers[0].port", `line 9: 0443 has a leading zero, which YAML 1.1 reads as an octal number: 291 here. Write 291 if you mean that, 443 if you mean decimal, or "0443" in quotes for text`},
	}, {
		name: "replicas",
		spec: "spec:\n  controlPlane:\n    replicas: 010\n",
		want: problem{"spec.controlPlane.replicas", "010 has a leading zero, which YAML 1.1 reads as an octal number: 8 here"},
	}, {
		name: "a negative number in raw values",
		spec: "spec:\n  values:\n    istiod:\n      x: -010\n",
		want: problem{"spec.values.istiod.x", "-010 has a leading zero"},
	}, {
		name: "a 0o number in raw values",
		spec: "spec:\n  values:\n    gateway:\n      x: [0o17]\n",
		want: problem{"spec.values.gateway.x[0]", `0o17 is an octal number in YAML 1.2 but text in YAML 1.1, so tools read it differently (15 here): write 15, or "0o17" in quotes for text`},
	}, {
		name: "a leading zero that is not octal",
		spec: "spec:\n  values:\n    gateway:\n      x: 08\n",
		want: problem{"spec.values.gateway.x", `08 has a leading zero, which marks an octal number in YAML 1.1 (it is read as 8): write 8, or "08" in quotes for text`},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantErrors(t, tt.spec, tt.want) })
	}
	// Zero itself, decimals, hexadecimal and quoted text stay as they are.
	wantValid(t, "spec:\n  values:\n    istiod:\n      a: 0\n      b: 0.5\n      c: \"0443\"\n      d: 0x1F\n      e: -0\n")
}
