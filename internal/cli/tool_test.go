package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"
)

const toolSpec = `apiVersion: istio-render.dev/v1alpha1
kind: IstioMesh
metadata:
  name: prod
spec:
  profile: default
  namespaces:
  - name: shop
    injection: enabled
`

// TestRenderForArgoCD renders a stream for Argo CD with --for: every
// object has a sync wave; the spec's own tool is overridden.
func TestRenderForArgoCD(t *testing.T) {
	spec := filepath.Join(t.TempDir(), "mesh.yaml")
	writeTestFile(t, spec, toolSpec+"  gitops:\n    tool: flux\n")
	out := expectExit(t, 0, "render", "-q", "-f", spec, "--for", "argocd").stdout
	docs := strings.Split(out, "\n---\n")
	for _, doc := range docs {
		if !strings.Contains(doc, "argocd.argoproj.io/sync-wave:") {
			t.Errorf("an object has no sync wave:\n%.300s", doc)
		}
	}
	plain := expectExit(t, 0, "render", "-q", "-f", spec, "--for", "plain").stdout
	if strings.Contains(plain, "sync-wave") {
		t.Error("--for plain renders sync waves")
	}
	if !strings.Contains(plain, "failurePolicy: Ignore") || strings.Contains(out, "failurePolicy: Ignore") {
		t.Error("plain renders the charts' failurePolicy Ignore, argocd renders Fail")
	}
}

// TestRenderForBadTool refuses a tool that does not exist, as a usage
// error, and a tool the spec names that does not exist with its field.
func TestRenderForBadTool(t *testing.T) {
	r := expectExit(t, 2, "render", "--profile", "minimal", "--for", "helm")
	if want := `--for: "helm" is not one of plain, argocd, flux`; !strings.Contains(r.stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
	}
	spec := filepath.Join(t.TempDir(), "mesh.yaml")
	writeTestFile(t, spec, toolSpec+"  gitops:\n    tool: fluxcd\n")
	r = expectExit(t, 1, "render", "-f", spec)
	if want := `spec.gitops.tool: unsupported value "fluxcd"`; !strings.Contains(r.stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
	}
}

// TestRenderForFluxNeedsAPath refuses to lay out for Flux a folder whose
// path in the repository is unknown: an absolute -o and no
// spec.gitops.flux.path.
func TestRenderForFluxNeedsAPath(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "deploy")
	r := expectExit(t, 2, "render", "--profile", "minimal", "--for", "flux", "-o", dir)
	if want := "set spec.gitops.flux.path"; !strings.Contains(r.stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Errorf("%s was written", dir)
	}
}

// TestRenderForFlux renders a folder for Flux from the repository's root:
// the Kustomizations' paths are the -o folder as given, --check finds it
// up to date, and diff sees the spec's objects in it.
func TestRenderForFlux(t *testing.T) {
	repo := t.TempDir()
	t.Chdir(repo)
	writeTestFile(t, "mesh.yaml", toolSpec+"  gitops:\n    tool: flux\n")
	expectExit(t, 0, "render", "-q", "-f", "mesh.yaml", "-o", "deploy/istio")
	data, err := os.ReadFile(filepath.Join("deploy", "istio", "flux", "kustomization-istio-control-plane.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var k struct {
		Spec struct {
			Path string `json:"path"`
		} `json:"spec"`
	}
	if err := yaml.Unmarshal(data, &k); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff("./deploy/istio/3-control-plane", k.Spec.Path); diff != "" {
		t.Errorf("path (-want +got):\n%s", diff)
	}
	expectExit(t, 0, "render", "-q", "-f", "mesh.yaml", "-o", "deploy/istio", "--check")
	// The same spec rendered for Argo CD is not what the folder holds.
	expectExit(t, 1, "render", "-q", "-f", "mesh.yaml", "-o", "deploy/istio", "--check", "--for", "argocd")
	d := expectExit(t, 0, "diff", "--brief", "--exit-code", "deploy/istio", "mesh.yaml")
	if !strings.Contains(d.stdout, "(folder)") {
		t.Errorf("diff output:\n%s", d.stdout)
	}
}
