package cli_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestValidate(t *testing.T) {
	dir := t.TempDir()
	spec := func(name, body string) string {
		p := filepath.Join(dir, name)
		writeTestFile(t, p, body)
		return p
	}
	valid := spec("valid.yaml", specHead+"spec:\n  profile: minimal\n")
	invalid := spec("invalid.yaml", specHead+"spec:\n  profile: minimal\n  gateways:\n  - name: gw\n    kind: sideways\n  mesh: {mtls: SOMETIMES}\n")
	version := spec("version.yaml", specHead+"spec:\n  profile: minimal\n  version: 1.20.0\n")
	broken := spec("broken.yaml", "spec: [\n")
	tests := []struct {
		reason string
		args   []string
		code   int
		lines  []string
		// stderr is what the error says when code is 1.
		stderr string
	}{
		{"a valid spec with a warning", []string{valid}, 0, []string{
			valid + ": valid (profile minimal, Istio 1.31.0",
			"warning: spec.controlPlane: istiod runs 1 replica",
		}, ""},
		{"every field error with its path", []string{invalid}, 1, []string{
			invalid + ": invalid",
			`error: spec.mesh.mtls: unsupported value "SOMETIMES"`,
			`error: spec.gateways[0].kind: unsupported value "sideways"`,
		}, "is invalid"},
		{"the version is checked against the charts at render time", []string{version}, 1, []string{
			"error: spec.version: 1.20.0 is outside the embedded charts' Istio 1.31 line",
		}, "is invalid"},
		{"YAML that does not parse", []string{broken}, 1, []string{": invalid\n", "error: parsing YAML"}, "is invalid"},
		{"a missing file", []string{filepath.Join(dir, "absent.yaml")}, 1, []string{filepath.Join(dir, "absent.yaml") + ": cannot be read\n", "error: open "}, "cannot be read"},
	}
	for _, tc := range tests {
		t.Run(tc.reason, func(t *testing.T) {
			r := expectExit(t, tc.code, "validate", "-f", tc.args[0])
			for _, l := range tc.lines {
				if !strings.Contains(r.stdout, l) {
					t.Errorf("stdout lacks %q:\n%s", l, r.stdout)
				}
			}
			if !strings.Contains(r.stderr, tc.stderr) {
				t.Errorf("stderr = %q", r.stderr)
			}
		})
	}

	t.Run("json output", func(t *testing.T) {
		r := expectExit(t, 1, "validate", "-f", invalid, "-o", "json")
		var got struct {
			Valid  bool
			Errors []struct{ Field, Message string }
		}
		if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
			t.Fatalf("output is not JSON: %v\n%s", err, r.stdout)
		}
		var fields []string
		for _, e := range got.Errors {
			fields = append(fields, e.Field)
		}
		if diff := cmp.Diff([]string{"spec.mesh.mtls", "spec.gateways[0].kind"}, fields); got.Valid || diff != "" {
			t.Errorf("valid = %t, error fields (-want +got):\n%s", got.Valid, diff)
		}
	})

	t.Run("where a profile's element comes from", func(t *testing.T) {
		p := spec("from-profile.yaml", specHead+"spec:\n  profile: default\n  gateways:\n  - {name: edge, replicas: 2}\n")
		r := expectExit(t, 0, "validate", "-f", p, "-o", "json")
		var got struct {
			Warnings []struct{ Field, From string }
		}
		if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
			t.Fatalf("output is not JSON: %v\n%s", err, r.stdout)
		}
		var from []string
		for _, w := range got.Warnings {
			from = append(from, w.Field+" "+w.From)
		}
		want := []string{"spec.controlPlane ", "spec.gateways[1] istio-ingressgateway, from profile default"}
		if diff := cmp.Diff(want, from); diff != "" {
			t.Errorf("warnings (-want +got):\n%s", diff)
		}
		r = expectExit(t, 0, "validate", "-f", p)
		if l := "warning: spec.gateways[1] (istio-ingressgateway, from profile default): gateway"; !strings.Contains(r.stdout, l) {
			t.Errorf("stdout lacks %q:\n%s", l, r.stdout)
		}
	})

	t.Run("stdin", func(t *testing.T) {
		r := runCLI(t, specHead+"spec: {profile: minimal}\n", "validate", "-f", "-")
		if r.code != 0 || !strings.HasPrefix(r.stdout, "-: valid") {
			t.Errorf("exit %d, stdout %q", r.code, r.stdout)
		}
	})

	for _, args := range [][]string{{"validate"}, {"validate", valid}, {"validate", "-f", valid, "-o", "xml"}} {
		t.Run("usage "+strings.Join(args, " "), func(t *testing.T) {
			expectExit(t, 2, args...)
		})
	}
}
