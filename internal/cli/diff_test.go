package cli_test

import (
	"os"
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
	}, {
		reason: "a folder not rendered yet is empty: the first render adds everything",
		args:   []string{"diff", "--brief", filepath.Join(dir, "not-yet"), old},
		want:   []string{"--- " + filepath.Join(dir, "not-yet") + " (not there yet)\n", "Deployment", "istiod (added)"},
		absent: []string{"(removed)", "(changed)"},
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

// TestDiffFolders compares folders with a spec: one render wrote, read as
// it is; local overlays of it, built with kustomize; and overlays that
// refer to something remote, which diff refuses.
func TestDiffFolders(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "mesh.yaml")
	writeTestFile(t, spec, specHead+"spec:\n  profile: minimal\n")
	deploy := filepath.Join(dir, "deploy")
	expectExit(t, 0, "render", "-f", spec, "-q", "-o", deploy)

	edited := filepath.Join(dir, "edited")
	copyTestDir(t, deploy, edited)
	deployment := filepath.Join(edited, "istiod", "deployment-istiod.yaml")
	data, err := os.ReadFile(deployment)
	if err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, deployment, strings.Replace(string(data), "image: docker.io/istio/pilot:1.31.0", "image: docker.io/istio/pilot:1.31.1", 1))

	writeTestFile(t, filepath.Join(dir, "overlay", "kustomization.yaml"), `resources:
- ../deploy
components:
- ../component
patches:
- path: log.yaml
configMapGenerator:
- name: extra
  namespace: istio-system
  files:
  - mesh=mesh.yaml
`)
	writeTestFile(t, filepath.Join(dir, "overlay", "log.yaml"),
		"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: istiod, namespace: istio-system}\nspec:\n  template:\n    metadata:\n      annotations: {overlay: patched}\n")
	writeTestFile(t, filepath.Join(dir, "overlay", "mesh.yaml"), "local: true\n")
	writeTestFile(t, filepath.Join(dir, "component", "kustomization.yaml"),
		"apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n- patch: '[{\"op\": \"add\", \"path\": \"/metadata/labels/component\", \"value\": \"on\"}]'\n  target: {kind: Service, name: istiod}\n")

	remote := filepath.Join(dir, "remote")
	writeTestFile(t, filepath.Join(remote, "kustomization.yaml"), "resources:\n- ../deploy\n- https://127.0.0.1:9/extra.yaml\n")
	nested := filepath.Join(dir, "nested")
	writeTestFile(t, filepath.Join(nested, "kustomization.yaml"), "resources:\n- ../remote\n")

	tests := []struct {
		reason string
		args   []string
		code   int
		want   []string // in stdout, or in stderr for exit 1
	}{{
		reason: "a folder render wrote matches its spec",
		args:   []string{"diff", deploy, spec},
		want:   []string{"(folder)", "No differences"},
	}, {
		reason: "a folder render wrote is read as it is, hand edits too",
		args:   []string{"diff", spec, edited},
		want: []string{"1 changed, 0 added, 0 removed",
			"spec.template.spec.containers[name=discovery].image:\n-       docker.io/istio/pilot:1.31.0\n+       docker.io/istio/pilot:1.31.1"},
	}, {
		reason: "a local overlay is built with its patches, components and generators",
		args:   []string{"diff", "--brief", deploy, filepath.Join(dir, "overlay")},
		want: []string{"2 changed, 1 added, 0 removed",
			"ConfigMap\n+ istio-system/extra-", "Deployment (apps)\n~ istio-system/istiod (1 field)", "Service\n~ istio-system/istiod (1 field)"},
	}, {
		reason: "a remote resource is an error naming the file, field and address",
		args:   []string{"diff", remote, spec},
		code:   1,
		want:   []string{"Error: " + filepath.Join(remote, "kustomization.yaml") + `: resources[1] "https://127.0.0.1:9/extra.yaml" is remote; folders are built offline`},
	}, {
		reason: "so is one in a base",
		args:   []string{"diff", spec, nested},
		code:   1,
		want:   []string{"Error: " + filepath.Join(remote, "kustomization.yaml") + `: resources[1] "https://127.0.0.1:9/extra.yaml" is remote`},
	}}
	for _, tc := range tests {
		t.Run(tc.reason, func(t *testing.T) {
			r := runCLI(t, "", tc.args...)
			out := r.stdout
			if tc.code == 1 {
				out = r.stderr
			}
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, tc.code, r.stdout, r.stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}
