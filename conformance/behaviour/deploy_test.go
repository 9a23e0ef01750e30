package behaviour_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	dynamicfake "k8s.io/client-go/dynamic/fake"
	clienttesting "k8s.io/client-go/testing"

	"istio.io/istio/pilot/pkg/config/kube/gatewaycommon"
	"istio.io/istio/pkg/cluster"
	"istio.io/istio/pkg/kube"
	"istio.io/istio/pkg/revisions"
	"istio.io/istio/pkg/test"

	"github.com/istio-render/istio-render/mesh"
)

// typed converts an object to the Go type Istio's clients hold, with
// Istio's own codec.
func typed(t testing.TB, u *unstructured.Unstructured) runtime.Object {
	t.Helper()
	data, err := json.Marshal(u.Object)
	if err != nil {
		t.Fatal(err)
	}
	obj, _, err := kube.IstioCodec.UniversalDeserializer().Decode(data, nil, nil)
	if err != nil {
		t.Fatalf("%s %s/%s: %v", u.GetKind(), u.GetNamespace(), u.GetName(), err)
	}
	return obj
}

// isGatewayAPI reports whether an object is of the Kubernetes Gateway API.
func isGatewayAPI(u *unstructured.Unstructured) bool {
	return u.GroupVersionKind().Group == gatewayAPIGroup
}

// kubeMinor is the minor version of a Kubernetes version such as 1.36.0.
func kubeMinor(version string) string {
	parts := strings.Split(strings.TrimPrefix(version, "v"), ".")
	if len(parts) < 2 {
		return ""
	}
	return parts[1]
}

// deployGateways runs istiod's Gateway API controllers over the render as
// every rendered istiod runs them: the class controller creates the
// built-in GatewayClasses, and each istiod's deployment controller
// reconciles every rendered Gateway of those classes, rendering the
// injector ConfigMap's gateway templates with the class defaults
// ConfigMaps and applying the workloads, which the proof captures. Each
// Deployment joins the world as a workload; the rest (Services,
// ServiceAccounts, autoscalers, budgets, classes) as generated objects.
func deployGateways(t testing.TB, w *world, ds []*istiod) []string {
	t.Helper()
	var gateways []*unstructured.Unstructured
	var base []runtime.Object
	for _, n := range sortedKeys(w.namespaces) {
		base = append(base, w.namespaces[n].DeepCopy())
	}
	for _, o := range w.b.objs {
		switch {
		case isGatewayAPI(o) && o.GetKind() == "Gateway":
			gateways = append(gateways, o)
			base = append(base, typed(t, o))
		case o.GetKind() == "ConfigMap", o.GetKind() == "MutatingWebhookConfiguration":
			base = append(base, typed(t, o))
		}
	}
	if len(gateways) == 0 {
		return nil
	}
	var problems []string
	owners := map[string][]string{}
	for i, d := range ds {
		client := kube.NewFakeClientWithVersion(kubeMinor(w.b.spec.KubernetesVersion), base...)
		var applied []*unstructured.Unstructured
		client.Dynamic().(*dynamicfake.FakeDynamicClient).PrependReactor("patch", "*",
			func(a clienttesting.Action) (bool, runtime.Object, error) {
				pa := a.(clienttesting.PatchAction)
				if pa.GetSubresource() == "status" {
					// The controller-version annotation on the Gateway.
					return true, &unstructured.Unstructured{}, nil
				}
				obj := map[string]any{}
				if err := json.Unmarshal(pa.GetPatch(), &obj); err != nil {
					return true, nil, err
				}
				u := &unstructured.Unstructured{Object: obj}
				applied = append(applied, u)
				return true, u.DeepCopy(), nil
			})
		stop := test.NewStop(t)
		classes := gatewaycommon.NewClassController(client)
		tags := revisions.NewTagWatcher(client, d.revision, d.namespace)
		dc := gatewaycommon.NewDeploymentController(client, cluster.ID(d.clusterID), d.environment,
			d.webhook.GetConfig, func(func()) {}, tags, d.revision, d.namespace)
		client.RunAndWait(stop)
		go tags.Run(stop)
		kube.WaitForCacheSync("tags", stop, tags.HasSynced)
		if err := classes.Reconcile(types.NamespacedName{}); err != nil {
			t.Fatalf("istiod %s: GatewayClasses: %v", d.revision, err)
		}
		if i == 0 {
			list, err := client.GatewayAPI().GatewayV1().GatewayClasses().List(t.Context(), metav1.ListOptions{})
			if err != nil {
				t.Fatal(err)
			}
			for j := range list.Items {
				gc := list.Items[j].DeepCopy()
				gc.APIVersion, gc.Kind = gatewayAPIGroup+"/v1", "GatewayClass"
				w.generated = append(w.generated, toUnstructured(t, gc))
			}
		}
		for _, gw := range gateways {
			before := len(applied)
			if err := dc.Reconcile(types.NamespacedName{Namespace: gw.GetNamespace(), Name: gw.GetName()}); err != nil {
				problems = append(problems, fmt.Sprintf("Gateway %s/%s: istiod %s: %v", gw.GetNamespace(), gw.GetName(), d.revision, err))
			}
			if len(applied) > before {
				owners[gw.GetNamespace()+"/"+gw.GetName()] = append(owners[gw.GetNamespace()+"/"+gw.GetName()], d.revision)
			}
			for _, u := range applied[before:] {
				w.addGenerated(t, u, gw, d.revision)
			}
		}
	}
	for _, gw := range gateways {
		id := gw.GetNamespace() + "/" + gw.GetName()
		w.tally.add("gateway workload: deployed by its istiod")
		if len(owners[id]) != 1 {
			problems = append(problems, fmt.Sprintf("Gateway %s: want exactly one istiod to deploy it, got %v", id, owners[id]))
		}
	}
	return problems
}

// addGenerated adds one object istiod applied for a Gateway to the world.
func (w *world) addGenerated(t testing.TB, u *unstructured.Unstructured, gw *unstructured.Unstructured, revision string) {
	t.Helper()
	if u.GetKind() != "Deployment" {
		w.generated = append(w.generated, u)
		return
	}
	d := &appsv1.Deployment{}
	fromUnstructured(t, u, d)
	wl := workload{kind: "Deployment", namespace: d.Namespace, name: d.Name, template: d.Spec.Template, generatedBy: revision}
	s := w.b.spec
	for i := range s.GatewayAPI.Gateways {
		if g := &s.GatewayAPI.Gateways[i]; g.Namespace == gw.GetNamespace() && g.Name == gw.GetName() {
			wl.apiGateway = g
		}
	}
	for i := range s.Namespaces {
		if n := &s.Namespaces[i]; n.Waypoint != nil && n.Name == gw.GetNamespace() && n.Waypoint.Name == gw.GetName() {
			wl.waypoint = n.Waypoint
		}
	}
	w.workloads = append(w.workloads, wl)
	w.generated = append(w.generated, u)
}

// apiGatewayPlane is the control plane that manages a Gateway API gateway
// or waypoint of a revision (or tag): the default one when it names none.
func apiGatewayPlane(s *mesh.Spec, revision string) *plane {
	if revision == "" {
		return defaultPlane(s)
	}
	return serving(s, revision)
}

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
