package tree_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"

	"github.com/istio-render/istio-render/flux"
	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
	"github.com/istio-render/istio-render/tree"
)

const fluxSpec = `apiVersion: istio-render.dev/v1alpha1
kind: IstioMesh
metadata:
  name: prod
spec:
  profile: production
  gateways:
  - name: istio-ingressgateway
    servers:
    - hosts: [shop.example.com]
      tls: {mode: SIMPLE, credentialName: shop-tls}
      certificate:
        issuerRef: {name: letsencrypt-prod}
  namespaces:
  - name: shop
    injection: enabled
    mtls: STRICT
  gitops:
    tool: flux
    flux:
      path: ./clusters/prod/istio
`

func renderFlux(t *testing.T, spec string) *render.Manifest {
	t.Helper()
	m, _, err := mesh.Load([]byte(spec))
	if err != nil {
		t.Fatal(err)
	}
	out, err := render.Render(context.Background(), m, render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// decode parses a YAML stream into objects, leaving out an empty
// metadata.annotations as kustomize does.
func decode(t *testing.T, stream []byte) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, doc := range bytes.Split(stream, []byte("\n---\n")) {
		doc = bytes.TrimPrefix(doc, []byte("---\n"))
		var obj map[string]any
		if err := yaml.Unmarshal(doc, &obj); err != nil {
			t.Fatal(err)
		}
		if obj != nil {
			md, _ := obj["metadata"].(map[string]any)
			if ann, ok := md["annotations"].(map[string]any); ok && len(ann) == 0 {
				delete(md, "annotations")
			}
			out = append(out, obj)
		}
	}
	return out
}

// objects parses resources as kustomize writes them: it leaves out an
// empty metadata.annotations, which the API server treats as absent.
func objects(t *testing.T, rs []render.Resource) []map[string]any {
	t.Helper()
	out := make([]map[string]any, len(rs))
	for i, r := range rs {
		out[i] = r.Object()
		md, _ := out[i]["metadata"].(map[string]any)
		if ann, ok := md["annotations"].(map[string]any); ok && len(ann) == 0 {
			delete(md, "annotations")
		}
	}
	return out
}

// TestLayoutFlux writes a render laid out for Flux and builds it with
// kustomize, in-process and offline: each phase folder builds on its own
// to exactly its phase's objects, in apply order; every object is in one
// phase; the root builds to the Flux Kustomizations, one per phase,
// chained by dependsOn, each pointing at its folder, waiting for every
// phase but the last; Read gives the render back in phase order.
func TestLayoutFlux(t *testing.T) {
	m := renderFlux(t, fluxSpec)
	tr, err := tree.LayoutFor(m)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := tree.Write(dir, tr); err != nil {
		t.Fatal(err)
	}
	byPhase := map[render.Phase][]render.Resource{}
	for _, r := range m.Resources {
		byPhase[render.PhaseOf(r)] = append(byPhase[render.PhaseOf(r)], r)
	}
	var inOrder []render.Resource
	for _, p := range render.Phases() {
		if len(byPhase[p]) == 0 {
			t.Fatalf("phase %s is empty; the spec should fill every phase", p)
		}
		inOrder = append(inOrder, byPhase[p]...)
		built, err := tree.Build(filepath.Join(dir, flux.Folder(p)))
		if err != nil {
			t.Fatalf("building phase %s: %v", p, err)
		}
		if diff := cmp.Diff(objects(t, byPhase[p]), decode(t, built)); diff != "" {
			t.Errorf("phase %s builds to other objects (-want +got):\n%s", p, diff)
		}
	}

	root, err := tree.Build(dir)
	if err != nil {
		t.Fatal(err)
	}
	type ks struct {
		Name, Path, DependsOn string
		Wait, Prune           bool
		Source                string
	}
	var got []ks
	for _, obj := range decode(t, root) {
		if obj["apiVersion"] != flux.APIVersion || obj["kind"] != flux.Kind {
			t.Fatalf("the root builds to a %v %v, want only Flux Kustomizations", obj["apiVersion"], obj["kind"])
		}
		md := obj["metadata"].(map[string]any)
		spec := obj["spec"].(map[string]any)
		k := ks{Name: md["name"].(string), Path: spec["path"].(string), Wait: spec["wait"].(bool), Prune: spec["prune"].(bool)}
		if deps, ok := spec["dependsOn"].([]any); ok {
			if len(deps) != 1 {
				t.Fatalf("%s depends on %d Kustomizations, want one", k.Name, len(deps))
			}
			k.DependsOn = deps[0].(map[string]any)["name"].(string)
		}
		src := spec["sourceRef"].(map[string]any)
		k.Source = src["kind"].(string) + "/" + src["name"].(string) + " in " + md["namespace"].(string)
		if _, ok := spec["ignore"]; ok {
			t.Errorf("%s has ignore rules; this render carries no field the cluster sets", k.Name)
		}
		got = append(got, k)
	}
	source := "GitRepository/flux-system in flux-system"
	want := []ks{
		{Name: "istio-foundation", Path: "./clusters/prod/istio/1-foundation", Wait: true, Prune: true, Source: source},
		{Name: "istio-config", Path: "./clusters/prod/istio/2-config", DependsOn: "istio-foundation", Wait: true, Prune: true, Source: source},
		{Name: "istio-control-plane", Path: "./clusters/prod/istio/3-control-plane", DependsOn: "istio-config", Wait: true, Prune: true, Source: source},
		{Name: "istio-gateways", Path: "./clusters/prod/istio/4-gateways", DependsOn: "istio-control-plane", Wait: true, Prune: true, Source: source},
		{Name: "istio-custom-resources", Path: "./clusters/prod/istio/5-custom-resources", DependsOn: "istio-gateways", Prune: true, Source: source},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Flux Kustomizations (-want +got):\n%s", diff)
	}
	for _, k := range got {
		folder := strings.TrimPrefix(k.Path, "./clusters/prod/istio/")
		if _, err := os.Stat(filepath.Join(dir, folder, tree.KustomizationFile)); err != nil {
			t.Errorf("%s points at %s, which has no kustomization: %v", k.Name, folder, err)
		}
	}

	read, err := tree.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(objects(t, inOrder), decode(t, read)); diff != "" {
		t.Errorf("Read gives other objects than the phases in order (-want +got):\n%s", diff)
	}
	drift, err := tree.Check(dir, tr)
	if err != nil || len(drift) > 0 {
		t.Errorf("Check after Write = %v, %v; want no drift", drift, err)
	}
}

// TestLayoutFluxSkipsEmptyPhases lays out a render without gateways: no
// gateway folder, and the custom resources depend on the control plane.
func TestLayoutFluxSkipsEmptyPhases(t *testing.T) {
	m := renderFlux(t, strings.Replace(fluxSpec, "profile: production", "profile: minimal", 1))
	m.Resources = slicesDelete(m.Resources, func(r render.Resource) bool { return strings.HasPrefix(r.Component, render.ComponentGatewayPrefix) })
	ks, err := flux.Kustomizations(m.Resources, &m.Spec.Spec)
	if err != nil {
		t.Fatal(err)
	}
	var names, deps []string
	for _, k := range ks {
		names = append(names, k.Name)
		var obj struct {
			Spec struct {
				DependsOn []struct{ Name string } `json:"dependsOn"`
			} `json:"spec"`
		}
		if err := yaml.Unmarshal(k.YAML, &obj); err != nil {
			t.Fatal(err)
		}
		for _, d := range obj.Spec.DependsOn {
			deps = append(deps, k.Name+" <- "+d.Name)
		}
	}
	if diff := cmp.Diff([]string{"istio-foundation", "istio-config", "istio-control-plane", "istio-custom-resources"}, names); diff != "" {
		t.Errorf("Kustomizations (-want +got):\n%s", diff)
	}
	wantDeps := []string{"istio-config <- istio-foundation", "istio-control-plane <- istio-config", "istio-custom-resources <- istio-control-plane"}
	if diff := cmp.Diff(wantDeps, deps); diff != "" {
		t.Errorf("dependsOn (-want +got):\n%s", diff)
	}
}

func slicesDelete(rs []render.Resource, del func(render.Resource) bool) []render.Resource {
	var out []render.Resource
	for _, r := range rs {
		if !del(r) {
			out = append(out, r)
		}
	}
	return out
}

// TestLayoutFluxIgnoreRules renders the validating webhooks with the
// charts' Ignore through raw values: the field is rendered and the cluster
// changes it, so the control plane's Kustomization tells Flux to leave it
// alone, webhook by webhook; the CA bundle, which the render leaves out,
// gets no rule.
func TestLayoutFluxIgnoreRules(t *testing.T) {
	spec := strings.Replace(fluxSpec, "  gitops:\n", `  values:
    base: {base: {validationFailurePolicy: Ignore}}
    istiod: {base: {validationFailurePolicy: Ignore}}
  gitops:
`, 1)
	m := renderFlux(t, spec)
	ks, err := flux.Kustomizations(m.Resources, &m.Spec.Spec)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]any{}
	for _, k := range ks {
		var obj map[string]any
		if err := yaml.Unmarshal(k.YAML, &obj); err != nil {
			t.Fatal(err)
		}
		if ignore, ok := obj["spec"].(map[string]any)["ignore"]; ok {
			got[k.Name] = ignore
		}
	}
	rule := func(name string) any {
		return map[string]any{
			"paths":  []any{"/webhooks/0/failurePolicy"},
			"target": map[string]any{"group": `admissionregistration\.k8s\.io`, "kind": "ValidatingWebhookConfiguration", "name": name},
		}
	}
	want := map[string]any{"istio-control-plane": []any{rule("istio-validator-istio-system"), rule("istiod-default-validator")}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ignore rules (-want +got):\n%s", diff)
	}
}

// TestLayoutFluxNeedsAPath refuses a spec without spec.gitops.flux.path.
func TestLayoutFluxNeedsAPath(t *testing.T) {
	m := renderFlux(t, strings.Replace(fluxSpec, "    flux:\n      path: ./clusters/prod/istio\n", "", 1))
	_, err := tree.LayoutFor(m)
	if !errors.As(err, new(flux.MissingPathError)) {
		t.Fatalf("LayoutFor without a path: %v, want a MissingPathError", err)
	}
}
