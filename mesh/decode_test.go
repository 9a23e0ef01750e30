package mesh_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/istio-render/istio-render/mesh"
)

// TestYAMLThatJSONCannotHold loads documents YAML accepts but a JSON tree
// cannot hold, or holds only by rewriting what was written: each must be
// refused with the field path, the line, and what to write instead.
func TestYAMLThatJSONCannotHold(t *testing.T) {
	tests := []struct {
		name, spec, want string
	}{{
		name: "infinity in a typed field",
		spec: "spec:\n  mesh:\n    tracing: {sampling: .inf}\n",
		want: "invalid IstioMesh: spec.mesh.tracing.sampling: line 7: .inf is infinite, which JSON cannot hold: write a finite number, or \".inf\" in quotes for text",
	}, {
		name: "minus infinity in raw values",
		spec: "spec:\n  values:\n    istiod:\n      x: -.Inf\n",
		want: "invalid IstioMesh: spec.values.istiod.x: line 8: -.Inf is infinite, which JSON cannot hold: write a finite number, or \"-.Inf\" in quotes for text",
	}, {
		name: "not a number in a list",
		spec: "spec:\n  values:\n    gateway:\n      l: [1, .nan]\n",
		want: "invalid IstioMesh: spec.values.gateway.l[1]: line 8: .nan is not a number, which JSON cannot hold: write a number, or \".nan\" in quotes for text",
	}, {
		name: "a null key",
		spec: "spec:\n  values:\n    istiod:\n      ~: x\n",
		want: "invalid IstioMesh: spec.values.istiod: line 8: key ~ is null; mapping keys must be strings: write \"~\" in quotes if it is a name",
	}, {
		name: "an explicit null key",
		spec: "spec:\n  ? null\n  : x\n",
		want: "invalid IstioMesh: spec: line 6: key null is null; mapping keys must be strings: write \"null\" in quotes if it is a name",
	}, {
		name: "an empty key",
		spec: "spec:\n  ?\n  : x\n",
		want: "invalid IstioMesh: spec: line 6: an empty key is null; mapping keys must be strings",
	}, {
		name: "a number key",
		spec: "spec:\n  values:\n    istiod:\n      1: x\n",
		want: "invalid IstioMesh: spec.values.istiod: line 8: key 1 is a number; mapping keys must be strings: write \"1\" in quotes if it is a name",
	}, {
		name: "a hexadecimal key, which would become 31",
		spec: "spec:\n  values:\n    istiod:\n      0x1F: x\n",
		want: "invalid IstioMesh: spec.values.istiod: line 8: key 0x1F is a number; mapping keys must be strings: write \"0x1F\" in quotes if it is a name",
	}, {
		name: "a boolean key",
		spec: "spec:\n  values:\n    istiod:\n      true: y\n",
		want: "invalid IstioMesh: spec.values.istiod: line 8: key true is a boolean; mapping keys must be strings: write \"true\" in quotes if it is a name",
	}, {
		name: "a YAML 1.1 boolean key, which would become true",
		spec: "spec:\n  values:\n    istiod:\n      y: 1\n",
		want: "invalid IstioMesh: spec.values.istiod: line 8: key y is a boolean; mapping keys must be strings: write \"y\" in quotes if it is a name",
	}, {
		name: "a mapping as a key",
		spec: "spec:\n  values:\n    istiod:\n      ? {a: 1}\n      : x\n",
		want: "invalid IstioMesh: spec.values.istiod: line 8: a mapping cannot be a key; mapping keys must be strings",
	}, {
		name: "a list as a key",
		spec: "spec:\n  values:\n    istiod:\n      [a]: x\n",
		want: "invalid IstioMesh: spec.values.istiod: line 8: a list cannot be a key; mapping keys must be strings",
	}, {
		name: "an alias of a mapping as a key",
		spec: "spec:\n  values:\n    istiod:\n      a: &m {b: 1}\n      *m : x\n",
		want: "invalid IstioMesh: spec.values.istiod: line 9: a mapping cannot be a key; mapping keys must be strings",
	}, {
		name: "every problem at once, in document order",
		spec: "spec:\n  values:\n    istiod:\n      1: .nan\n      ~: x\n",
		want: "invalid IstioMesh (3 problems):\n" +
			"  spec.values.istiod: line 8: key 1 is a number; mapping keys must be strings: write \"1\" in quotes if it is a name\n" +
			"  spec.values.istiod[\"1\"]: line 8: .nan is not a number, which JSON cannot hold: write a number, or \".nan\" in quotes for text\n" +
			"  spec.values.istiod: line 9: key ~ is null; mapping keys must be strings: write \"~\" in quotes if it is a name",
	}, {
		name: "a NUL byte",
		spec: "spec:\n  hub: docker.io/ist\x00io\n",
		want: "parsing YAML: line 6, column 21: control character U+0000 is not allowed in YAML; inside double quotes, write it as \\x00",
	}, {
		name: "an escape character",
		spec: "spec:\n  # \x1b[2J\n",
		want: "parsing YAML: line 6, column 5: control character U+001B is not allowed in YAML; inside double quotes, write it as \\x1b",
	}, {
		name: "invalid UTF-8",
		spec: "spec:\n  profile: minimal\n  # caf\xe9 au lait\n",
		want: "parsing YAML: line 7, column 8: byte 0xe9 is not UTF-8: save the file as UTF-8",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := mesh.Load([]byte(header + tt.spec))
			if err == nil {
				t.Fatal("Load accepted it")
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

// TestKeysAndValuesYAMLReadsAsText loads what must keep loading: quoted
// keys and values that look like numbers, booleans, null or infinity, a
// date-like key (the decoder keeps it as text), and a document in UTF-16
// with a byte order mark, as some editors and shells save it.
func TestKeysAndValuesYAMLReadsAsText(t *testing.T) {
	spec := "spec:\n  profile: minimal\n  values:\n    istiod:\n      \"1\": a\n      'true': b\n      \"~\": c\n      2001-12-14: d\n      x: \".inf\"\n      z: [\".nan\", 1.5, 10, 1e3]\n"
	check := func(t *testing.T, data []byte) {
		t.Helper()
		m, _, err := mesh.Load(data)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]any{"1": "a", "true": "b", "~": "c", "2001-12-14": "d", "x": ".inf", "z": []any{".nan", 1.5, 10.0, 1000.0}}
		if diff := cmp.Diff(want, map[string]any(m.Spec.Values.Istiod)); diff != "" {
			t.Errorf("istiod values (-want +got):\n%s", diff)
		}
	}
	t.Run("UTF-8", func(t *testing.T) { check(t, []byte(header+spec)) })
	t.Run("UTF-16 with a byte order mark", func(t *testing.T) {
		for _, bigEndian := range []bool{false, true} {
			check(t, utf16Document(header+spec, bigEndian))
		}
	})
	t.Run("UTF-16 with a lone surrogate", func(t *testing.T) {
		data := append(utf16Document(header+spec, false), 0x00, 0xd8)
		_, _, err := mesh.Load(data)
		if err == nil || !strings.Contains(err.Error(), "not UTF-16") {
			t.Errorf("err = %v", err)
		}
	})
}

// utf16Document encodes s as UTF-16 with a byte order mark.
func utf16Document(s string, bigEndian bool) []byte {
	units := append([]uint16{0xfeff}, utf16.Encode([]rune(s))...)
	out := make([]byte, 0, 2*len(units))
	for _, u := range units {
		if bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}

// hostile are characters that act on a terminal or reorder what it shows.
var hostile = []string{"\x1b[2J", "\r", "\n", "\x00", "\u202e"}

// TestUserTextIsQuoted writes keys and values holding escape sequences, line
// breaks, NUL and a bidirectional override in every place where a message
// repeats what the user wrote. The messages must print them as Go escapes:
// a field path prints such a key as ["..."], a value prints quoted.
func TestUserTextIsQuoted(t *testing.T) {
	type tc struct {
		name, spec string
		want       []string // each in the error, with X for the escaped form
	}
	var tests []tc
	for _, h := range hostile {
		yq := yamlQuote(h) // h inside a YAML double-quoted string
		gq := strings.Trim(goQuote(h), `"`)
		tests = append(tests, []tc{{
			name: "unknown field",
			spec: "spec:\n  \"gate" + yq + "ways\": []\n",
			want: []string{`spec["gateXways"]: unknown field`},
		}, {
			name: "key in raw values",
			spec: "spec:\n  values:\n    istiod:\n      \"a" + yq + "\": {b: .inf}\n",
			want: []string{`spec.values.istiod["aX"].b: line 8: .inf is infinite`},
		}, {
			name: "label key and value",
			spec: "spec:\n  namespaces:\n  - name: shop\n    labels:\n      \"k" + yq + "\": \"v" + yq + "\"\n",
			want: []string{`spec.namespaces[0].labels: label key "kX":`, `spec.namespaces[0].labels["kX"]: "vX":`},
		}, {
			name: "label value of the wrong type",
			spec: "spec:\n  namespaces:\n  - name: shop\n    labels:\n      \"k" + yq + "\": 5\n",
			want: []string{`spec.namespaces[0].labels["kX"]: expected a string, got number 5`},
		}, {
			name: "annotation key",
			spec: "spec:\n  gateways:\n  - name: gw\n    service:\n      annotations: {\"k" + yq + "\": v}\n",
			want: []string{`spec.gateways[0].service.annotations: annotation key "kX":`},
		}, {
			name: "enumerated values",
			spec: "spec:\n  mesh: {mtls: \"S" + yq + "\"}\n  gateways:\n  - name: gw\n    kind: \"k" + yq + "\"\n",
			want: []string{`spec.mesh.mtls: unsupported value "SX"`, `spec.gateways[0].kind: unsupported value "kX"`},
		}, {
			name: "a name in a message about something else",
			spec: "spec:\n  gateways:\n  - name: \"gw" + yq + "\"\n    replicas: 0\n",
			want: []string{`spec.gateways[0].name: "gwX" is not a valid name`, `spec.gateways[0].replicas: 0: a gateway needs at least 1 replica`},
		}, {
			name: "service type and protocol repeated",
			spec: "spec:\n  gateways:\n  - name: gw\n    service: {type: \"t" + yq + "\", loadBalancerIP: 10.0.0.1}\n    servers:\n    - hosts: [a.example.com]\n      protocol: \"p" + yq + "\"\n      tls: {mode: SIMPLE, credentialName: c}\n",
			want: []string{`only applies to type LoadBalancer, not "tX"`, `spec.gateways[0].servers[0].protocol: "PX" cannot terminate TLS`},
		}, {
			name: "a string where a number belongs",
			spec: "spec:\n  controlPlane: {replicas: \"r" + yq + "\"}\n",
			want: []string{`spec.controlPlane.replicas: expected a whole number, got string "rX"`},
		}, {
			name: "profile, version and injection",
			spec: "spec:\n  version: \"1" + yq + "\"\n  namespaces:\n  - name: shop\n    injection: \"i" + yq + "\"\n",
			want: []string{`spec.version: "1X" is not an Istio version`, `spec.namespaces[0].injection: "iX" is not a valid name`},
		}, {
			name: "unknown profile",
			spec: "spec:\n  profile: \"p" + yq + "\"\n",
			want: []string{`spec.profile: unknown profile "pX"`},
		}}...)
		for i := range tests[len(tests)-11:] {
			tt := &tests[len(tests)-11+i]
			tt.name += " " + goQuote(h)
			for j, w := range tt.want {
				tt.want[j] = strings.ReplaceAll(w, "X", gq)
			}
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := mesh.Load([]byte(header + tt.spec))
			if err == nil {
				t.Fatal("Load accepted it")
			}
			msg := err.Error()
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error lacks %s:\n%s", w, msg)
				}
			}
			for i, line := range strings.Split(msg, "\n") {
				for _, c := range line {
					if c == utf8.RuneError || !unicode.IsPrint(c) {
						t.Errorf("line %d of the error holds %U: %q", i, c, line)
					}
				}
			}
		})
	}
}

// TestLongValuesAreCut keeps a message short when the value is long,
// cutting on a character boundary.
func TestLongValuesAreCut(t *testing.T) {
	_, _, err := mesh.Load([]byte(header + "spec:\n  mesh: {mtls: \"" + strings.Repeat("é", 100) + "\"}\n"))
	want := `spec.mesh.mtls: unsupported value "` + strings.Repeat("é", 30) + `...": must be one of STRICT, PERMISSIVE`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v\nwant it to hold %s", err, want)
	}
}

func yamlQuote(s string) string {
	r := strings.NewReplacer("\x1b", `\e`, "\r", `\r`, "\n", `\n`, "\x00", `\0`, "\u202e", `\u202E`)
	return r.Replace(s)
}

func goQuote(s string) string {
	return strings.NewReplacer("\x1b", `\x1b`, "\r", `\r`, "\n", `\n`, "\x00", `\x00`, "\u202e", `\u202e`).Replace(`"` + s + `"`)
}
