package mesh_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/istio-render/istio-render/mesh"
)

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
		for i := range tests[len(tests)-10:] {
			tt := &tests[len(tests)-10+i]
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
