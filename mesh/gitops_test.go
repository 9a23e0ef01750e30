package mesh_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/istio-render/istio-render/mesh"
)

func TestGitOpsDefaults(t *testing.T) {
	m, _ := load(t, "spec:\n  gitops:\n    flux: {path: ./deploy/istio}\n")
	g := m.Spec.GitOps
	if g.Tool != mesh.ToolPlain || !g.Protects() {
		t.Errorf("tool %q, protects %t; want plain, true", g.Tool, g.Protects())
	}
	want := &mesh.Flux{Path: "./deploy/istio", Namespace: "flux-system", SourceRef: mesh.FluxSourceRef{Kind: "GitRepository", Name: "flux-system"}}
	if diff := cmp.Diff(want, g.Flux); diff != "" {
		t.Errorf("flux defaults (-want +got):\n%s", diff)
	}
	off, _ := load(t, "spec:\n  gitops: {protect: false}\n")
	if off.Spec.GitOps.Protects() {
		t.Error("protect: false still protects")
	}
}

func TestGitOpsFluxWithoutFluxWarns(t *testing.T) {
	_, warnings := load(t, "spec:\n  gitops:\n    tool: argocd\n    flux: {path: ./x}\n")
	var got []string
	for _, w := range warnings {
		if w.Field == "spec.gitops.flux" {
			got = append(got, w.String())
		}
	}
	if diff := cmp.Diff([]string{"spec.gitops.flux: is used only with spec.gitops.tool flux"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestFluxPathProblem(t *testing.T) {
	tests := []struct {
		path string
		ok   bool
	}{
		{"./deploy/istio", true},
		{"deploy/istio", true},
		{"deploy/istio/", true},
		{"./clusters/prod", true},
		{"", false},
		{"/abs/path", false},
		{"./", false},
		{".", false},
		{"..", false},
		{"../other", false},
		{"deploy/../../x", false},
		{"deploy//istio", false},
		{"deploy/./istio", false},
		{`deploy\istio`, false},
	}
	for _, tc := range tests {
		if got := mesh.FluxPathProblem(tc.path) == ""; got != tc.ok {
			t.Errorf("FluxPathProblem(%q) = %q, want usable: %t", tc.path, mesh.FluxPathProblem(tc.path), tc.ok)
		}
	}
}
