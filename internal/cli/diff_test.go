package cli_test

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestDiff(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, "old.yaml")
	new := filepath.Join(dir, "new.yaml")
	writeTestFile(t, old, specHead+"spec:\n  profile: minimal\n")
	writeTestFile(t, new, specHead+"spec:\n  profile: minimal\n  controlPlane: {logLevel: debug}\n  namespaces: [{name: shop, mtls: STRICT}]\n")
	folder := filepath.Join(dir, "deploy")
	expectExit(t, 0, "render", "-f", old, "-q", "-o", folder)
	stream := filepath.Join(dir, "stream.yaml")
	writeTestFile(t, stream, expectExit(t, 0, "render", "-f", new, "-q").stdout)

	tests := []struct {
		reason string
		args   []string
		stdin  string
		code   int
		want   []string
		absent []string
	}{{
		reason: "two specs, field by field",
		args:   []string{"diff", old, new},
		want: []string{
			"--- " + old + " (spec)\n+++ " + new + " (spec)\n",
			"3 changed, 2 added, 0 removed",
			"Deployment (apps)\n~ istio-system/istiod (1 field)\n",
			"spec.template.spec.containers[name=discovery].args[",
			"Namespace\n+ shop (added)",
			"PeerAuthentication (security.istio.io)\n+ shop/default (added)",
		},
	}, {
		reason: "-f twice is the same",
		args:   []string{"diff", "-f", old, "-f", new, "--brief"},
		want:   []string{"3 changed, 2 added, 0 removed", "~ istio-system/istiod (1 field)\n"},
		absent: []string{"spec.template"},
	}, {
		reason: "a rendered folder against its spec has no differences",
		args:   []string{"diff", folder, old, "--exit-code"},
		want:   []string{"(folder)", "No differences"},
	}, {
		reason: "a folder against a stream, with differences and --exit-code",
		args:   []string{"diff", folder, stream, "--exit-code"},
		code:   1,
		want:   []string{"(stream)", "3 changed, 2 added"},
	}, {
		reason: "a stream on stdin, for a pull request",
		args:   []string{"diff", "--markdown", "--brief", stream, "-"},
		stdin:  expectExit(t, 0, "render", "-f", old, "-q").stdout,
		want: []string{
			"`" + stream + "` (stream) → `stdin` (stream)",
			"**3 changed, 0 added, 2 removed**",
			"#### Namespace\n\n```diff\n- shop (removed)\n```",
		},
	}, {
		reason: "one input is a usage error",
		args:   []string{"diff", old},
		code:   2,
	}, {
		reason: "three inputs are a usage error",
		args:   []string{"diff", "-f", old, new, stream},
		code:   2,
	}, {
		reason: "both sides on stdin is a usage error",
		args:   []string{"diff", "-", "-"},
		code:   2,
	}, {
		reason: "a missing input",
		args:   []string{"diff", old, filepath.Join(dir, "absent.yaml")},
		code:   1,
	}}
	for _, tc := range tests {
		t.Run(tc.reason, func(t *testing.T) {
			r := runCLI(t, tc.stdin, tc.args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, tc.code, r.stdout, r.stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("stdout lacks %q:\n%s", w, r.stdout)
				}
			}
			for _, a := range tc.absent {
				if strings.Contains(r.stdout, a) {
					t.Errorf("stdout has %q:\n%s", a, r.stdout)
				}
			}
			if tc.code == 1 && len(tc.want) > 0 && r.stderr != "" {
				t.Errorf("--exit-code printed on stderr: %q", r.stderr)
			}
		})
	}
}
