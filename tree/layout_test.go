package tree

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"

	"github.com/istio-render/istio-render/render"
)

// obj builds an object without rendering.
func obj(t *testing.T, component, apiVersion, kind, namespace, name string) object {
	t.Helper()
	md := map[string]any{"name": name}
	if namespace != "" {
		md["namespace"] = namespace
	}
	data, err := yaml.Marshal(map[string]any{"apiVersion": apiVersion, "kind": kind, "metadata": md})
	if err != nil {
		t.Fatal(err)
	}
	return object{id: kind + "/" + namespace + "/" + name, component: component, kind: kind, namespace: namespace, name: name, yaml: data}
}

func TestFilePath(t *testing.T) {
	tests := []struct {
		reason    string
		component string
		kind      string
		namespace string
		name      string
		want      string
	}{{
		reason:    "a namespace lives in the namespaces folder",
		component: render.ComponentNamespaces, kind: "Namespace", name: "istio-system",
		want: "namespaces/namespace-istio-system.yaml",
	}, {
		reason:    "CRDs get a folder of their own, named by the CRD alone",
		component: render.ComponentBase, kind: "CustomResourceDefinition", name: "gateways.networking.istio.io",
		want: "crds/gateways.networking.istio.io.yaml",
	}, {
		reason:    "the rest of base stays in base",
		component: render.ComponentBase, kind: "ValidatingWebhookConfiguration", name: "istiod-default-validator",
		want: "base/validatingwebhookconfiguration-istiod-default-validator.yaml",
	}, {
		reason:    "a canary control plane has its own folder",
		component: "istiod-canary", kind: "Deployment", namespace: "istio-system", name: "istiod-canary",
		want: "istiod-canary/deployment-istiod-canary.yaml",
	}, {
		reason:    "each gateway has a folder under gateways",
		component: "gateway/istio-ingressgateway", kind: "Service", namespace: "istio-system", name: "istio-ingressgateway",
		want: "gateways/istio-ingressgateway/service-istio-ingressgateway.yaml",
	}, {
		reason:    "mesh policy is grouped by namespace, where names repeat",
		component: render.ComponentPolicy, kind: "PeerAuthentication", namespace: "shop", name: "default",
		want: "mesh-policy/shop/peerauthentication-default.yaml",
	}, {
		reason:    "parent references cannot leave the tree",
		component: "gateway/../../etc", kind: "ConfigMap", namespace: "x", name: "../../passwd",
		want: "gateways/etc-74ccf3c5/configmap-..-..-passwd-e913383f.yaml",
	}, {
		reason:    "slashes and upper case are replaced and the original hashed",
		component: "istiod", kind: "ClusterRole", name: "System:Auth/Delegator",
		want: "istiod/clusterrole-system-auth-delegator-6717a5df.yaml",
	}, {
		reason:    "a name of only dots becomes a hash",
		component: "..", kind: "ConfigMap", name: "x",
		want: "5ec1f7e7/configmap-x.yaml",
	}}
	for _, tc := range tests {
		t.Run(tc.reason, func(t *testing.T) {
			got := obj(t, tc.component, "v1", tc.kind, tc.namespace, tc.name).path()
			if got != tc.want {
				t.Errorf("FilePath() = %q, want %q", got, tc.want)
			}
			for _, seg := range strings.Split(got, "/") {
				if seg == "" || seg == "." || seg == ".." || strings.HasPrefix(seg, ".") || len(seg) > maxSegment+len(".yaml") {
					t.Errorf("unsafe segment %q in %q", seg, got)
				}
			}
		})
	}
}

func TestSegmentLongNames(t *testing.T) {
	long := strings.Repeat("a", 300)
	got := segment(long)
	if len(got) > maxSegment {
		t.Errorf("segment(300 chars) is %d bytes, want at most %d", len(got), maxSegment)
	}
	if other := segment(long + "b"); other == got {
		t.Errorf("two long names map to the same segment %q", got)
	}
}

func TestLayout(t *testing.T) {
	objs := []object{
		obj(t, render.ComponentNamespaces, "v1", "Namespace", "", "istio-system"),
		obj(t, render.ComponentBase, "apiextensions.k8s.io/v1", "CustomResourceDefinition", "", "gateways.networking.istio.io"),
		obj(t, render.ComponentIstiod, "apps/v1", "Deployment", "istio-system", "istiod"),
	}
	tr, err := layout(objs)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range tr.Files {
		paths = append(paths, f.Path)
		if !strings.HasPrefix(string(f.Data), Marker+"\n") {
			t.Errorf("%s does not start with the marker", f.Path)
		}
	}
	want := []string{
		"crds/gateways.networking.istio.io.yaml",
		"istiod/deployment-istiod.yaml",
		"kustomization.yaml",
		"namespaces/namespace-istio-system.yaml",
	}
	if diff := cmp.Diff(want, paths); diff != "" {
		t.Errorf("paths (-want +got):\n%s", diff)
	}
	k, _ := tr.Lookup(KustomizationFile)
	wantK := Marker + `
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- namespaces/namespace-istio-system.yaml
- crds/gateways.networking.istio.io.yaml
- istiod/deployment-istiod.yaml
sortOptions:
  order: fifo
`
	if diff := cmp.Diff(wantK, string(k.Data)); diff != "" {
		t.Errorf("kustomization (-want +got):\n%s", diff)
	}
	d, _ := tr.Lookup("istiod/deployment-istiod.yaml")
	if got, want := string(d.Data), Marker+"\n"+string(objs[2].yaml); got != want {
		t.Errorf("object file = %q, want %q", got, want)
	}
}

func TestLayoutCollision(t *testing.T) {
	objs := []object{
		obj(t, render.ComponentIstiod, "v1", "ConfigMap", "a", "x"),
		obj(t, render.ComponentIstiod, "v1", "ConfigMap", "b", "x"),
	}
	_, err := layout(objs)
	if err == nil || !strings.Contains(err.Error(), "would both be written to istiod/configmap-x.yaml") {
		t.Errorf("Layout() error = %v, want a collision on istiod/configmap-x.yaml", err)
	}
}
