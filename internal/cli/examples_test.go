package cli_test

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"
)

var updateExamples = flag.Bool("update-examples", false, "regenerate the generated files of examples/gitops and examples/flux")

// TestGitopsExampleUpToDate checks that examples/gitops holds what its spec
// renders; -update-examples regenerates it (as make examples does).
func TestGitopsExampleUpToDate(t *testing.T) {
	dir := filepath.Join("..", "..", "examples", "gitops")
	spec := filepath.Join(dir, "mesh.yaml")
	rendered := filepath.Join(dir, "rendered")
	ignoreFile := filepath.Join(dir, "argocd", "ignore-differences.yaml")
	ignore := expectExit(t, 0, "gitops", "ignore-differences", "-f", spec).stdout
	if *updateExamples {
		expectExit(t, 0, "render", "-q", "-f", spec, "-o", rendered)
		if err := os.WriteFile(ignoreFile, []byte(ignore), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	expectExit(t, 0, "render", "-q", "-f", spec, "-o", rendered, "--check")
	have, err := os.ReadFile(ignoreFile)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(ignore, string(have)); diff != "" {
		t.Errorf("%s is out of date; run make examples (-want +got):\n%s", ignoreFile, diff)
	}

	// The Application carries the same settings.
	type settings struct {
		IgnoreDifferences []any `json:"ignoreDifferences"`
		SyncPolicy        struct {
			SyncOptions []string `json:"syncOptions"`
		} `json:"syncPolicy"`
	}
	var want settings
	if err := yaml.Unmarshal([]byte(ignore), &want); err != nil {
		t.Fatal(err)
	}
	var app struct {
		Spec settings `json:"spec"`
	}
	data, err := os.ReadFile(filepath.Join(dir, "argocd", "application.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, &app); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want.IgnoreDifferences, app.Spec.IgnoreDifferences); diff != "" {
		t.Errorf("application.yaml ignoreDifferences differ from the generated ones (-want +got):\n%s", diff)
	}
	for _, o := range want.SyncPolicy.SyncOptions {
		if !slices.Contains(app.Spec.SyncPolicy.SyncOptions, o) {
			t.Errorf("application.yaml lacks the sync option %s", o)
		}
	}
}

// TestFluxExampleUpToDate checks that examples/flux holds what its spec
// renders; -update-examples regenerates it (as make examples does).
func TestFluxExampleUpToDate(t *testing.T) {
	dir := filepath.Join("..", "..", "examples", "flux")
	spec := filepath.Join(dir, "mesh.yaml")
	rendered := filepath.Join(dir, "rendered")
	if *updateExamples {
		expectExit(t, 0, "render", "-q", "-f", spec, "-o", rendered)
		return
	}
	expectExit(t, 0, "render", "-q", "-f", spec, "-o", rendered, "--check")

	// The hand-written Kustomization applies the rendered root.
	var k struct {
		Spec struct {
			Path string `json:"path"`
		} `json:"spec"`
	}
	data, err := os.ReadFile(filepath.Join(dir, "clusters", "prod", "istio.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, &k); err != nil {
		t.Fatal(err)
	}
	if k.Spec.Path != "./examples/flux/rendered" {
		t.Errorf("clusters/prod/istio.yaml applies %s, not the rendered folder", k.Spec.Path)
	}
}
