package flux_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/istio-render/istio-render/flux"
	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// TestKustomizationsNeedAUsablePath refuses a spec without a path, and a
// path that leaves the source, which a spec built in Go can carry past
// validation.
func TestKustomizationsNeedAUsablePath(t *testing.T) {
	rs := []render.Resource{{APIVersion: "v1", Kind: "Namespace", Name: "istio-system", YAML: []byte("kind: Namespace\n")}}
	if _, err := flux.Kustomizations(rs, &mesh.Spec{}); !errors.As(err, new(flux.MissingPathError)) {
		t.Errorf("no path: %v, want a MissingPathError", err)
	}
	s := &mesh.Spec{GitOps: mesh.GitOps{Tool: mesh.ToolFlux, Flux: &mesh.Flux{Path: "/abs"}}}
	if _, err := flux.Kustomizations(rs, s); err == nil || !strings.Contains(err.Error(), `spec.gitops.flux.path: "/abs" is absolute`) {
		t.Errorf("absolute path: %v", err)
	}
}

func TestFolderAndName(t *testing.T) {
	var got []string
	for _, p := range render.Phases() {
		got = append(got, flux.Folder(p)+" "+flux.Name(p))
	}
	want := "1-foundation istio-foundation,2-config istio-config,3-control-plane istio-control-plane,4-gateways istio-gateways,5-custom-resources istio-custom-resources"
	if strings.Join(got, ",") != want {
		t.Errorf("got %q, want %q", strings.Join(got, ","), want)
	}
}
