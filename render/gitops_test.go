package render

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/istio-render/istio-render/mesh"
)

// renderGolden renders every golden spec for every tool.
func renderGolden(t *testing.T) map[string]*Manifest {
	t.Helper()
	out := map[string]*Manifest{}
	for name, m := range goldenSpecs(t) {
		got, err := Render(context.Background(), m, goldenOptions(t))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = got
	}
	return out
}

// annotations returns an object's annotations. Only the metadata is
// parsed: the CRDs are large.
func annotations(r Resource) map[string]string {
	obj := map[string]any{}
	if start, end, ok := metadataBlock(r.YAML); ok {
		obj = Resource{YAML: r.YAML[start:end]}.Object()
	}
	md, _ := obj["metadata"].(map[string]any)
	ann, _ := md["annotations"].(map[string]any)
	out := map[string]string{}
	for k, v := range ann {
		out[k], _ = v.(string)
	}
	return out
}

// isCustomResource reports Istio and cert-manager custom resources.
func isCustomResource(r Resource) bool {
	g := group(r.APIVersion)
	return strings.HasSuffix(g, ".istio.io") || g == "cert-manager.io"
}

// TestSyncWavesOrderTheInstall checks every golden render for Argo CD:
// every object has a sync wave, the wave of its phase; Namespaces and CRDs
// come first; gateway workloads come after istiod, its webhooks and every
// other control plane object; custom resources after every CRD and the
// control plane, except the plugged-in CA's Certificate, which comes
// before the control plane; no object before its namespace. Without the
// tool no object has a wave.
func TestSyncWavesOrderTheInstall(t *testing.T) {
	for name, m := range renderGolden(t) {
		t.Run(name, func(t *testing.T) {
			wave := map[string]int{}
			argo := m.Spec.Spec.GitOps.Tool == mesh.ToolArgoCD
			for _, r := range m.Resources {
				s, ok := annotations(r)[AnnotationSyncWave]
				if !argo {
					if ok {
						t.Errorf("%s has a sync wave without tool argocd", r.ID())
					}
					continue
				}
				w, err := strconv.Atoi(s)
				if !ok || err != nil {
					t.Fatalf("%s: sync wave %q, want a number", r.ID(), s)
				}
				if want := PhaseOf(r).SyncWave(); w != want {
					t.Errorf("%s: sync wave %d, want %d (%s)", r.ID(), w, want, PhaseOf(r))
				}
				wave[r.ID()] = w
			}
			if !argo {
				return
			}
			var last = map[string]int{} // the latest wave of each group of objects
			var first = map[string]int{}
			note := func(what string, w int) {
				if v, ok := last[what]; !ok || w > v {
					last[what] = w
				}
				if v, ok := first[what]; !ok || w < v {
					first[what] = w
				}
			}
			for _, r := range m.Resources {
				w := wave[r.ID()]
				switch {
				case r.Kind == "Namespace" || r.Kind == "CustomResourceDefinition":
					note("foundation", w)
					if w != PhaseFoundation.SyncWave() {
						t.Errorf("%s: wave %d, want the first, %d", r.ID(), w, PhaseFoundation.SyncWave())
					}
				case strings.HasPrefix(r.Component, ComponentGatewayPrefix) && r.Kind == "Deployment":
					note("gateway workloads", w)
				case r.Kind == "MutatingWebhookConfiguration" || r.Kind == "ValidatingWebhookConfiguration" ||
					(r.Kind == "Deployment" || r.Kind == "DaemonSet") && !strings.HasPrefix(r.Component, ComponentGatewayPrefix):
					note("control plane", w)
				case orderKind(r) == meshCACertificate:
					note("mesh CA", w)
				case isCustomResource(r):
					note("custom resources", w)
				}
				if r.Namespace != "" {
					if nw, ok := wave["/Namespace//"+r.Namespace]; ok && nw >= w {
						t.Errorf("%s: wave %d, not after its Namespace's %d", r.ID(), w, nw)
					}
				}
			}
			after := func(later, earlier string) {
				if _, ok := first[later]; !ok {
					return
				}
				if _, ok := last[earlier]; !ok {
					return
				}
				if first[later] <= last[earlier] {
					t.Errorf("%s start at wave %d, not after the %s (last wave %d)", later, first[later], earlier, last[earlier])
				}
			}
			after("control plane", "foundation")
			after("control plane", "mesh CA")
			after("mesh CA", "foundation")
			after("gateway workloads", "control plane")
			after("custom resources", "foundation")
			after("custom resources", "control plane")
			after("custom resources", "gateway workloads")
		})
	}
}

// TestPhasesFollowTheApplyOrder checks that phases are cut from the apply
// order: the cut kinds are in it, and along it the phase never goes back.
func TestPhasesFollowTheApplyOrder(t *testing.T) {
	for _, k := range []string{firstConfigKind, firstControlPlaneKind} {
		if !slices.Contains(kindOrder, k) {
			t.Fatalf("the phase boundary %s is not in kindOrder", k)
		}
	}
	kinds := append(append(append([]string(nil), kindOrder...), "UnknownKind"), customOrder...)
	prev := PhaseFoundation
	for _, k := range kinds {
		r := Resource{Component: ComponentIstiod, APIVersion: "example.com/v1", Kind: k}
		p := PhaseOf(r)
		if p < prev {
			t.Errorf("%s is in phase %s, before %s of an earlier kind", k, p, prev)
		}
		prev = p
	}
	tests := []struct {
		r    Resource
		want Phase
	}{
		{Resource{Component: ComponentNamespaces, APIVersion: "v1", Kind: "Namespace"}, PhaseFoundation},
		{Resource{Component: ComponentBase, APIVersion: "apiextensions.k8s.io/v1", Kind: "CustomResourceDefinition"}, PhaseFoundation},
		{Resource{Component: ComponentIstiod, APIVersion: "v1", Kind: "ConfigMap"}, PhaseConfig},
		{Resource{Component: ComponentIstiod, APIVersion: "v1", Kind: "Service", YAML: []byte("spec:\n  type: ClusterIP\n")}, PhaseConfig},
		{Resource{Component: "gateway/in", APIVersion: "v1", Kind: "Service", YAML: []byte("spec:\n  type: LoadBalancer\n")}, PhaseCustomResources},
		{Resource{Component: ComponentIstiod, APIVersion: "apps/v1", Kind: "Deployment"}, PhaseControlPlane},
		{Resource{Component: ComponentCNI, APIVersion: "apps/v1", Kind: "DaemonSet"}, PhaseControlPlane},
		{Resource{Component: ComponentIstiod, APIVersion: "admissionregistration.k8s.io/v1", Kind: "ValidatingWebhookConfiguration"}, PhaseControlPlane},
		{Resource{Component: ComponentIstiod, APIVersion: "autoscaling/v2", Kind: "HorizontalPodAutoscaler"}, PhaseCustomResources},
		{Resource{Component: "gateway/in", APIVersion: "apps/v1", Kind: "Deployment"}, PhaseGateways},
		{Resource{Component: "gateway/in", APIVersion: "policy/v1", Kind: "PodDisruptionBudget"}, PhaseGateways},
		{Resource{Component: "gateway/in", APIVersion: "v1", Kind: "ServiceAccount"}, PhaseConfig},
		{Resource{Component: "gateway/in", APIVersion: "networking.istio.io/v1", Kind: "Gateway"}, PhaseCustomResources},
		{Resource{Component: ComponentPolicy, APIVersion: "security.istio.io/v1", Kind: "PeerAuthentication"}, PhaseCustomResources},
		{Resource{Component: "gateway/in", APIVersion: "cert-manager.io/v1", Kind: "Certificate"}, PhaseCustomResources},
		{Resource{Component: "gateway/in", APIVersion: "cert-manager.io/v1", Kind: "Certificate", Name: mesh.PluginCASecret}, PhaseCustomResources},
		{Resource{Component: ComponentPolicy, APIVersion: "cert-manager.io/v1", Kind: "Certificate", Name: mesh.PluginCASecret}, PhaseConfig},
		{Resource{Component: ComponentIstiod, APIVersion: "example.com/v1", Kind: "Unknown"}, PhaseCustomResources},
	}
	for _, tc := range tests {
		if got := PhaseOf(tc.r); got != tc.want {
			t.Errorf("PhaseOf(%s %s of %s) = %s, want %s", tc.r.APIVersion, tc.r.Kind, tc.r.Component, got, tc.want)
		}
	}
}

// TestProtection checks the deletion protection of every golden render:
// Namespaces and CRDs carry both tools' annotations whatever the tool,
// and nothing else does; with spec.gitops.protect false (a golden case)
// none does.
func TestProtection(t *testing.T) {
	protectedWant := map[string]string{AnnotationSyncOptions: SyncOptionsProtect, AnnotationFluxPrune: FluxPruneDisabled}
	for name, m := range renderGolden(t) {
		t.Run(name, func(t *testing.T) {
			var n int
			for _, r := range m.Resources {
				ann := annotations(r)
				got := map[string]string{}
				for k := range protectedWant {
					if v, ok := ann[k]; ok {
						got[k] = v
					}
				}
				want := map[string]string{}
				protects := m.Spec.Spec.GitOps.Protects()
				if r.Kind == "Namespace" || r.Kind == "CustomResourceDefinition" {
					n++
					if protects {
						want = protectedWant
					}
				} else if r.Kind == "Certificate" && m.Spec.Spec.GitOps.Tool == mesh.ToolArgoCD {
					want = map[string]string{AnnotationSyncOptions: SyncOptionsSkipDryRun}
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s (-want +got):\n%s", r.ID(), diff)
				}
			}
			if n == 0 {
				t.Fatal("no Namespace or CRD was checked")
			}
		})
	}
}

func TestProtectionOff(t *testing.T) {
	for _, tool := range []string{mesh.ToolPlain, mesh.ToolArgoCD, mesh.ToolFlux} {
		t.Run(tool, func(t *testing.T) {
			m := renderTool(t, "spec:\n  profile: minimal\n  namespaces:\n  - name: shop\n  gitops:\n    protect: false\n    tool: "+tool+"\n")
			for _, r := range m.Resources {
				ann := annotations(r)
				if _, ok := ann[AnnotationFluxPrune]; ok {
					t.Errorf("%s carries %s with protection off", r.ID(), AnnotationFluxPrune)
				}
				if v := ann[AnnotationSyncOptions]; strings.Contains(v, "Prune=") || strings.Contains(v, "Delete=") {
					t.Errorf("%s carries %s: %s with protection off", r.ID(), AnnotationSyncOptions, v)
				}
			}
		})
	}
}

// TestProtectionBytes pins the bytes of protected Namespaces, and shows
// that an annotation the spec sets on a namespace wins over render's.
func TestProtectionBytes(t *testing.T) {
	m := renderTool(t, `spec:
  profile: minimal
  namespaces:
  - name: keep
    annotations:
      argocd.argoproj.io/sync-options: Prune=confirm
  - name: shop
  gitops:
    tool: argocd
`)
	got := map[string]string{}
	for _, r := range m.Resources {
		if r.Kind == "Namespace" && r.Name != "istio-system" {
			got[r.Name] = string(r.YAML)
		}
	}
	want := map[string]string{
		"keep": `apiVersion: v1
kind: Namespace
metadata:
  annotations:
    argocd.argoproj.io/sync-options: Prune=confirm
    argocd.argoproj.io/sync-wave: "-4"
    kustomize.toolkit.fluxcd.io/prune: disabled
  labels:
    app.kubernetes.io/managed-by: istio-render
    app.kubernetes.io/part-of: istio
  name: keep
`,
		"shop": `apiVersion: v1
kind: Namespace
metadata:
  annotations:
    argocd.argoproj.io/sync-options: Prune=false,Delete=false
    argocd.argoproj.io/sync-wave: "-4"
    kustomize.toolkit.fluxcd.io/prune: disabled
  labels:
    app.kubernetes.io/managed-by: istio-render
    app.kubernetes.io/part-of: istio
  name: shop
`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func renderTool(t *testing.T, spec string) *Manifest {
	t.Helper()
	m, _, err := mesh.Load([]byte("apiVersion: istio-render.dev/v1alpha1\nkind: IstioMesh\nmetadata:\n  name: t\n" + spec))
	if err != nil {
		t.Fatal(err)
	}
	out, err := Render(context.Background(), m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestFailClosed checks the validating webhooks' failure policy: the
// charts' Ignore for a plain render, Fail for the GitOps tools, on every
// webhook of every validating webhook configuration, canary included.
func TestFailClosed(t *testing.T) {
	for _, tool := range []string{mesh.ToolPlain, mesh.ToolArgoCD, mesh.ToolFlux} {
		t.Run(tool, func(t *testing.T) {
			m := renderTool(t, "spec:\n  revision: blue\n  canary: {revision: green}\n  gitops:\n    tool: "+tool+"\n")
			want := "Fail"
			if tool == mesh.ToolPlain {
				want = "Ignore"
			}
			var n int
			for _, r := range m.Resources {
				if r.Kind != "ValidatingWebhookConfiguration" {
					continue
				}
				hooks, _ := r.Object()["webhooks"].([]any)
				for _, h := range hooks {
					n++
					if got := h.(map[string]any)["failurePolicy"]; got != want {
						t.Errorf("%s: failurePolicy %v, want %s", r.ID(), got, want)
					}
				}
			}
			if n < 3 {
				t.Fatalf("%d validating webhooks, want the default validator and one per istiod", n)
			}
		})
	}
}

// TestRuntimeFields pins the drift list's output for one render, and shows
// that the list drives it: an entry added to the list appears.
func TestRuntimeFields(t *testing.T) {
	resources := []Resource{
		{APIVersion: "v1", Kind: "Service", Namespace: "istio-system", Name: "istiod", YAML: []byte("spec:\n  clusterIP: 10.0.0.1\n")},
		{APIVersion: "admissionregistration.k8s.io/v1", Kind: "ValidatingWebhookConfiguration", Name: "v",
			YAML: []byte("webhooks:\n- failurePolicy: Ignore\n  name: a\n- failurePolicy: Fail\n  name: b\n  clientConfig:\n    caBundle: Zm9v\n")},
		{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "istio-system", Name: "istiod", YAML: []byte("spec: {}\n")},
		{APIVersion: "autoscaling/v2", Kind: "HorizontalPodAutoscaler", Namespace: "istio-system", Name: "istiod",
			YAML: []byte("spec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: istiod}\n")},
	}
	want := []RuntimeField{{
		Group: "admissionregistration.k8s.io", Kind: "ValidatingWebhookConfiguration", Name: "v",
		Path:     []string{"webhooks", "*", "clientConfig", "caBundle"},
		Pointers: []string{"/webhooks/0/clientConfig/caBundle", "/webhooks/1/clientConfig/caBundle"},
		Rendered: true,
		Owner:    runtimeRules[1].owner,
	}, {
		Group: "admissionregistration.k8s.io", Kind: "ValidatingWebhookConfiguration", Name: "v",
		Path:     []string{"webhooks", "*", "failurePolicy"},
		Pointers: []string{"/webhooks/0/failurePolicy", "/webhooks/1/failurePolicy"},
		Rendered: true,
		Owner:    runtimeRules[2].owner,
	}, {
		Group: "apps", Kind: "Deployment", Namespace: "istio-system", Name: "istiod",
		Path:     []string{"spec", "replicas"},
		Pointers: []string{"/spec/replicas"},
		Owner:    runtimeRules[3].owner,
	}}
	if diff := cmp.Diff(want, RuntimeFields(resources)); diff != "" {
		t.Errorf("RuntimeFields (-want +got):\n%s", diff)
	}

	extended := append(slices.Clone(runtimeRules), runtimeRule{
		group: "", kind: "Service", path: []string{"spec", "clusterIP"}, owner: "the API server assigns it",
	})
	got := runtimeFields(extended, resources)
	added := RuntimeField{
		Kind: "Service", Namespace: "istio-system", Name: "istiod",
		Path: []string{"spec", "clusterIP"}, Pointers: []string{"/spec/clusterIP"}, Rendered: true,
		Owner: "the API server assigns it",
	}
	if diff := cmp.Diff(append([]RuntimeField{added}, want...), got); diff != "" {
		t.Errorf("with an entry added (-want +got):\n%s", diff)
	}
}

func TestExpand(t *testing.T) {
	obj := map[string]any{
		"a/b":      map[string]any{"c~d": 1},
		"webhooks": []any{map[string]any{"x": 1}, "not a map", map[string]any{}},
	}
	tests := []struct {
		path     []string
		want     []string
		rendered bool
	}{
		{[]string{"a/b", "c~d"}, []string{"/a~1b/c~0d"}, true},
		{[]string{"webhooks", "*", "x"}, []string{"/webhooks/0/x", "/webhooks/1/x", "/webhooks/2/x"}, true},
		{[]string{"webhooks", "*", "y"}, []string{"/webhooks/0/y", "/webhooks/1/y", "/webhooks/2/y"}, false},
		{[]string{"missing", "*", "x"}, nil, false},
	}
	for _, tc := range tests {
		got, rendered := expand(obj, tc.path)
		if diff := cmp.Diff(tc.want, got); diff != "" || rendered != tc.rendered {
			t.Errorf("expand(%q): rendered %t, want %t (-want +got):\n%s", tc.path, rendered, tc.rendered, diff)
		}
	}
}
