package fn_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// objects are Kubernetes objects decoded from YAML, keyed by their ID
// (group/kind/namespace/name).
type objects map[string]map[string]any

// TestKustomize builds the istio-render binary and runs the kustomizations
// under examples/kustomize through kustomize's own engine, configured as
// `kustomize build --enable-alpha-plugins --enable-exec` configures it. The
// examples are copied unchanged next to the binary, at the same relative
// path as in the repository, so their exec path resolves as it does after
// `make build`.
func TestKustomize(t *testing.T) {
	root := t.TempDir()
	bin := filepath.Join(root, "bin", "istio-render")
	buildBinary(t, bin)
	examples := filepath.Join(root, "examples", "kustomize")
	if err := os.CopyFS(examples, os.DirFS(filepath.Join("..", "examples", "kustomize"))); err != nil {
		t.Fatal(err)
	}
	rendered := renderSpec(t, filepath.Join(examples, "base", "mesh.yaml"))
	const istiod = "apps/Deployment/istio-system/istiod"
	if _, ok := decodeResources(t, rendered)[istiod]; !ok {
		t.Fatalf("render gives no %s", istiod)
	}
	// The function marks what it generates with the spec's name.
	const meshName = "prod"
	noArgs := filepath.Join(examples, "no-args")
	spec, err := os.ReadFile(filepath.Join(examples, "base", "mesh.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(spec), "        args: [fn]\n") {
		t.Fatal("the example's annotation no longer passes args: [fn]")
	}
	writeFile(t, filepath.Join(noArgs, "mesh.yaml"), strings.Replace(string(spec), "        args: [fn]\n", "", 1))
	writeFile(t, filepath.Join(noArgs, "kustomization.yaml"), "generators:\n- mesh.yaml\n")
	nsOverlay := filepath.Join(root, "examples", "namespace")
	writeFile(t, filepath.Join(nsOverlay, "kustomization.yaml"), "namespace: mesh\nresources:\n- ../kustomize/base\n")

	tests := []struct {
		name    string
		reason  string
		dir     string
		noExec  bool
		want    func(objects) objects
		wantErr string
	}{{
		name:   "generator and patch",
		reason: "kustomize gives exactly the objects render gives, marked as generated, plus the patch to istiod",
		dir:    examples,
		want: func(o objects) objects {
			spec := o[istiod]["spec"].(map[string]any)["template"].(map[string]any)["spec"].(map[string]any)
			spec["priorityClassName"] = "system-cluster-critical"
			return o
		},
	}, {
		name:   "labels transformer",
		reason: "the labels transformer labels every generated object and changes nothing else",
		dir:    filepath.Join(examples, "labels"),
		want: func(o objects) objects {
			for _, obj := range o {
				md := obj["metadata"].(map[string]any)
				labels, _ := md["labels"].(map[string]any)
				if labels == nil {
					labels = map[string]any{}
					md["labels"] = labels
				}
				labels["team"] = "platform"
			}
			return o
		},
	}, {
		name:   "exec without arguments",
		reason: "run with no arguments and a ResourceList on stdin, the binary acts as the function",
		dir:    noArgs,
		want:   func(o objects) objects { return o },
	}, {
		name:   "exec not enabled",
		reason: "without --enable-exec kustomize skips an exec generator silently: no object and no error",
		dir:    filepath.Join(examples, "base"),
		noExec: true,
		want:   func(objects) objects { return objects{} },
	}, {
		name:    "exec not enabled with a patch",
		reason:  "without --enable-exec the first sign of the skipped generator is a patch that finds no target",
		dir:     examples,
		noExec:  true,
		wantErr: `no resource matches strategic merge patch "Deployment.v1.apps/istiod.istio-system"`,
	}, {
		name:    "namespace transformer",
		reason:  "the namespace transformer renames every Namespace object, so two of them collide",
		dir:     nsOverlay,
		wantErr: "namespace transformation produces ID conflict",
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := kustomizeBuild(tc.dir, !tc.noExec)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("%s\nerror = %v, want one containing %q", tc.reason, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s\nkustomize build %s: %v", tc.reason, tc.dir, err)
			}
			got := decodeStream(t, out)
			want := tc.want(markGenerated(decodeResources(t, rendered), meshName))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s\nkustomize output mismatch (-want +got):\n%s", tc.reason, diff)
			}
		})
	}

	t.Run("invalid spec exits non-zero", func(t *testing.T) {
		in := `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items: []
functionConfig:
  apiVersion: istio-render.dev/v1alpha1
  kind: IstioMesh
  metadata: {name: prod}
  spec:
    gateways:
    - name: istio-ingressgateway
      servers:
      - hosts: [shop.example.com]
        tls: {mode: SIMPEL, credentialName: shop-tls}
`
		cmd := exec.CommandContext(t.Context(), bin, "fn")
		cmd.Stdin = strings.NewReader(in)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 1 {
			t.Fatalf("istio-render fn: %v, want exit status 1\nstderr:\n%s", err, stderr.String())
		}
		const field = "spec.gateways[0].servers[0].tls.mode"
		wantLine := "error: IstioMesh/prod: " + field + `: unsupported value "SIMPEL"`
		if !strings.Contains(stderr.String(), wantLine) {
			t.Errorf("stderr does not contain %q:\n%s", wantLine, stderr.String())
		}
		if !strings.Contains(stdout.String(), "path: "+field) {
			t.Errorf("the ResourceList on stdout has no result for %s:\n%s", field, stdout.String())
		}
	})
}

// buildBinary builds the istio-render command into out.
func buildBinary(t *testing.T, out string) {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to build istio-render: %v", err)
	}
	// The environment is the test's own, so the build reuses its cache.
	cmd := exec.CommandContext(t.Context(), goTool, "build", "-o", out, "github.com/istio-render/istio-render/cmd/istio-render")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
}

// kustomizeBuild runs a kustomization on disk with the options the
// kustomize command line uses, plugins and, when exec is set, exec functions
// enabled. Reorder is left unspecified, as the command line leaves it, so the
// output is in kustomize's legacy order.
func kustomizeBuild(dir string, execEnabled bool) ([]byte, error) {
	opts := krusty.MakeDefaultOptions()
	opts.Reorder = krusty.ReorderOptionUnspecified
	opts.PluginConfig = types.EnabledPluginConfig(types.BploUseStaticallyLinked)
	opts.PluginConfig.FnpLoadingOptions.EnableExec = execEnabled
	m, err := krusty.MakeKustomizer(opts).Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		return nil, err
	}
	return m.AsYaml()
}

// renderSpec renders a spec file as `istio-render render -f` does.
func renderSpec(t *testing.T, path string) []render.Resource {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := mesh.Load(data)
	if err != nil {
		t.Fatal(err)
	}
	out, err := render.Render(t.Context(), m, render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return out.Resources
}

// decodeResources decodes rendered resources the way decodeStream decodes
// kustomize's output.
func decodeResources(t *testing.T, rs []render.Resource) objects {
	t.Helper()
	var b bytes.Buffer
	for _, r := range rs {
		b.WriteString("---\n")
		b.Write(r.YAML)
	}
	return decodeStream(t, b.Bytes())
}

// markGenerated adds the annotation the function marks its objects with,
// for the IstioMesh named name, to every object.
func markGenerated(o objects, name string) objects {
	for _, obj := range o {
		md, _ := obj["metadata"].(map[string]any)
		if md == nil {
			md = map[string]any{}
			obj["metadata"] = md
		}
		annos, _ := md["annotations"].(map[string]any)
		if annos == nil {
			annos = map[string]any{}
			md["annotations"] = annos
		}
		annos[generatedBy] = name
	}
	return o
}

// decodeStream decodes a YAML stream with the decoder kubectl uses, so that
// a value whose type changed on the way (a quoted "true" that lost its
// quotes) shows up as a difference.
func decodeStream(t *testing.T, data []byte) objects {
	t.Helper()
	out := objects{}
	for _, doc := range regexp.MustCompile(`(?m)^---[ \t]*$`).Split(string(data), -1) {
		if strings.TrimSpace(doc) == "" {
			continue
		}
		var obj map[string]any
		if err := sigsyaml.Unmarshal([]byte(doc), &obj); err != nil {
			t.Fatalf("decoding %.200s: %v", doc, err)
		}
		dropEmptyMetadata(obj)
		id := objectID(obj)
		if _, dup := out[id]; dup {
			t.Fatalf("%s appears twice", id)
		}
		out[id] = obj
	}
	return out
}

// dropEmptyMetadata removes empty metadata.labels and metadata.annotations
// maps. The API server treats them as absent, and kustomize writes them so.
func dropEmptyMetadata(obj map[string]any) {
	md, _ := obj["metadata"].(map[string]any)
	for _, k := range []string{"labels", "annotations"} {
		if m, ok := md[k].(map[string]any); ok && len(m) == 0 {
			delete(md, k)
		}
	}
}

// objectID is group/kind/namespace/name, as render.Resource.ID.
func objectID(obj map[string]any) string {
	md, _ := obj["metadata"].(map[string]any)
	av, _ := obj["apiVersion"].(string)
	group, _, ok := strings.Cut(av, "/")
	if !ok {
		group = ""
	}
	return fmt.Sprintf("%s/%v/%v/%v", group, obj["kind"], md["namespace"], md["name"])
}

// writeFile writes a file, creating its folder.
func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
