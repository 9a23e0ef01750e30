package behaviour_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"testing"

	jsonpatch "github.com/evanphx/json-patch/v5"
	admissionv1 "k8s.io/api/admission/v1"
	admissionregv1 "k8s.io/api/admissionregistration/v1"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"

	meshconfig "istio.io/api/mesh/v1alpha1"
	"istio.io/istio/pilot/pkg/model"
	"istio.io/istio/pkg/cluster"
	istiomesh "istio.io/istio/pkg/config/mesh"
	"istio.io/istio/pkg/config/mesh/meshwatcher"
	"istio.io/istio/pkg/kube"
	"istio.io/istio/pkg/kube/inject"
	"istio.io/istio/pkg/kube/multicluster"
	"istio.io/istio/pkg/test"
)

// istiod is one rendered control plane as the proof runs it: its revision,
// the ConfigMaps it reads, and its injection webhook, served by Istio's
// own handler.
type istiod struct {
	revision  string
	namespace string
	clusterID string
	// env is the discovery container's literal environment.
	env  map[string]string
	mesh *meshconfig.MeshConfig
	// meshYAML is the ConfigMap text the mesh was read from.
	meshYAML string
	// injector is the istio-sidecar-injector ConfigMap's data.
	injector  map[string]string
	podLabels map[string]string
	mux       *http.ServeMux
	// webhook is istiod's injector; its configuration also renders the
	// workloads of Gateway API gateways and waypoints.
	webhook *inject.Webhook
	// environment is what istiod's controllers read the mesh from.
	environment *model.Environment
}

// istiods finds every rendered istiod Deployment and starts its webhook
// the way istiod's bootstrap does (pilot/pkg/bootstrap/sidecarinjector.go):
// ConfigMap istio-sidecar-injector[-<rev>] through inject.NewConfigMapWatcher,
// mesh config from ConfigMap istio[-<rev>] through ApplyMeshConfigDefaults.
func istiods(t testing.TB, w *world) []*istiod {
	t.Helper()
	var out []*istiod
	for _, o := range w.b.ofKind("Deployment") {
		d := &appsv1.Deployment{}
		fromUnstructured(t, o, d)
		var discovery *corev1.Container
		for i := range d.Spec.Template.Spec.Containers {
			if c := &d.Spec.Template.Spec.Containers[i]; c.Name == "discovery" {
				discovery = c
			}
		}
		if discovery == nil {
			continue
		}
		env := map[string]string{}
		for _, e := range discovery.Env {
			if e.ValueFrom == nil {
				env[e.Name] = e.Value
			}
		}
		rev := or(env["REVISION"], "default")
		suffix := ""
		if rev != "default" {
			suffix = "-" + rev
		}
		is := &istiod{revision: rev, namespace: d.Namespace, clusterID: or(env["CLUSTER_ID"], "Kubernetes"),
			env: env, podLabels: d.Spec.Template.Labels}
		meshCM := w.b.find("ConfigMap", d.Namespace, "istio"+suffix)
		injCM := w.b.find("ConfigMap", d.Namespace, "istio-sidecar-injector"+suffix)
		if meshCM == nil || injCM == nil {
			t.Fatalf("istiod %s/%s: ConfigMaps istio%s and istio-sidecar-injector%s must be rendered beside it", d.Namespace, d.Name, suffix, suffix)
		}
		mcm := &corev1.ConfigMap{}
		fromUnstructured(t, meshCM, mcm)
		icm := &corev1.ConfigMap{}
		fromUnstructured(t, injCM, icm)
		is.meshYAML = mcm.Data["mesh"]
		m, err := istiomesh.ApplyMeshConfigDefaults(is.meshYAML)
		if err != nil {
			t.Fatalf("istiod %s: mesh config: %v", rev, err)
		}
		is.mesh = m
		is.injector = icm.Data
		is.start(t, icm, w.node)
		out = append(out, is)
	}
	return out
}

// start builds the webhook exactly as istiod's bootstrap does and keeps
// the mux it registers /inject on.
func (is *istiod) start(t testing.TB, injectorCM *corev1.ConfigMap, node *corev1.Node) {
	t.Helper()
	stop := test.NewStop(t)
	client := kube.NewFakeClient(injectorCM.DeepCopy(), node.DeepCopy())
	// Proxy configuration comes from the push context: without one,
	// GetProxyConfigOrDefault ignores the mesh's defaultConfig.
	env := &model.Environment{Watcher: meshwatcher.NewTestWatcher(is.mesh), ConfigStore: model.NewFakeStore()}
	env.SetPushContext(&model.PushContext{ProxyConfigs: model.GetProxyConfigs(env.ConfigStore, is.mesh)})
	mc := multicluster.NewFakeController()
	is.mux = http.NewServeMux()
	wh, err := inject.NewWebhook(inject.WebhookParameters{
		Watcher:      inject.NewConfigMapWatcher(client, injectorCM.Namespace, injectorCM.Name, "config", "values"),
		Env:          env,
		Mux:          is.mux,
		Revision:     is.revision,
		MultiCluster: mc,
	})
	if err != nil {
		t.Fatalf("istiod %s: injection webhook: %v", is.revision, err)
	}
	is.webhook, is.environment = wh, env
	// The node lister decides native sidecars: register the cluster
	// under the ID istiod runs as, after the webhook registered its
	// handlers, as the multicluster controller does.
	mc.Add(cluster.ID(is.clusterID), client, stop)
	client.RunAndWait(stop)
	wh.Run(stop)
}

// admission calls the rendered mutating webhooks the way kube-apiserver
// does: every webhook whose rules, namespaceSelector and objectSelector
// match, in order of configuration name, each on the previous result.
type admission struct {
	hooks []hook
	// byService maps namespace/name of an istiod Service to its istiod.
	byService map[string]*istiod
}

type hook struct {
	config string
	admissionregv1.MutatingWebhook
}

func newAdmission(t testing.TB, w *world, ds []*istiod) *admission {
	t.Helper()
	a := &admission{byService: map[string]*istiod{}}
	for _, o := range w.b.ofKind("Service") {
		svc := &corev1.Service{}
		fromUnstructured(t, o, svc)
		for _, d := range ds {
			if svc.Namespace == d.namespace && len(svc.Spec.Selector) > 0 &&
				labels.SelectorFromSet(svc.Spec.Selector).Matches(labels.Set(d.podLabels)) {
				a.byService[svc.Namespace+"/"+svc.Name] = d
			}
		}
	}
	cfgs := w.b.ofKind("MutatingWebhookConfiguration")
	sort.Slice(cfgs, func(i, j int) bool { return cfgs[i].GetName() < cfgs[j].GetName() })
	for _, o := range cfgs {
		mwc := &admissionregv1.MutatingWebhookConfiguration{}
		fromUnstructured(t, o, mwc)
		for _, h := range mwc.Webhooks {
			a.hooks = append(a.hooks, hook{config: mwc.Name, MutatingWebhook: h})
		}
	}
	return a
}

// call is one webhook the API server called for a pod.
type call struct {
	hook     string
	revision string
}

func (c call) String() string { return c.hook + "->" + c.revision }

// admit runs a pod CREATE through the webhooks and returns the stored pod.
func (a *admission) admit(t testing.TB, pod *corev1.Pod, ns *corev1.Namespace) (*corev1.Pod, []call, error) {
	t.Helper()
	var calls []call
	for _, h := range a.hooks {
		ok, err := h.matches(pod, ns)
		if err != nil {
			return nil, calls, err
		}
		if !ok {
			continue
		}
		svc := h.ClientConfig.Service
		if svc == nil {
			return nil, calls, fmt.Errorf("webhook %s/%s: no service reference", h.config, h.Name)
		}
		d := a.byService[svc.Namespace+"/"+svc.Name]
		if d == nil {
			// The API server cannot reach a Service that selects no istiod:
			// with failurePolicy Fail the pod is rejected.
			return nil, calls, fmt.Errorf("webhook %s/%s: Service %s/%s selects no rendered istiod", h.config, h.Name, svc.Namespace, svc.Name)
		}
		calls = append(calls, call{hook: h.config + "/" + h.Name, revision: d.revision})
		path := "/inject"
		if svc.Path != nil {
			path = *svc.Path
		}
		next, err := d.review(pod, path)
		if err != nil {
			return nil, calls, fmt.Errorf("webhook %s/%s: %w", h.config, h.Name, err)
		}
		pod = next
	}
	return pod, calls, nil
}

// matches applies a webhook's rules and selectors to a pod CREATE.
func (h hook) matches(pod *corev1.Pod, ns *corev1.Namespace) (bool, error) {
	ruleOK := false
	for _, r := range h.Rules {
		if slices.Contains(r.APIGroups, "") && (slices.Contains(r.APIVersions, "v1") || slices.Contains(r.APIVersions, "*")) &&
			(slices.Contains(r.Resources, "pods") || slices.Contains(r.Resources, "*")) &&
			(slices.Contains(r.Operations, admissionregv1.Create) || slices.Contains(r.Operations, admissionregv1.OperationAll)) {
			ruleOK = true
		}
	}
	if !ruleOK {
		return false, nil
	}
	for _, s := range []struct {
		sel *metav1.LabelSelector
		set map[string]string
	}{{h.NamespaceSelector, ns.Labels}, {h.ObjectSelector, pod.Labels}} {
		if s.sel == nil {
			continue
		}
		sel, err := metav1.LabelSelectorAsSelector(s.sel)
		if err != nil {
			return false, fmt.Errorf("webhook %s/%s: selector: %w", h.config, h.Name, err)
		}
		if !sel.Matches(labels.Set(s.set)) {
			return false, nil
		}
	}
	return true, nil
}

// review sends an AdmissionReview to istiod's /inject handler and applies
// the JSON patch it returns.
func (d *istiod) review(pod *corev1.Pod, path string) (*corev1.Pod, error) {
	raw, err := json.Marshal(pod)
	if err != nil {
		return nil, err
	}
	review := admissionv1.AdmissionReview{
		TypeMeta: metav1.TypeMeta{APIVersion: "admission.k8s.io/v1", Kind: "AdmissionReview"},
		Request: &admissionv1.AdmissionRequest{
			UID:       types.UID("uid-" + pod.Name),
			Kind:      metav1.GroupVersionKind{Version: "v1", Kind: "Pod"},
			Resource:  metav1.GroupVersionResource{Version: "v1", Resource: "pods"},
			Namespace: pod.Namespace,
			Operation: admissionv1.Create,
			Object:    runtime.RawExtension{Raw: raw},
		},
	}
	body, err := json.Marshal(review)
	if err != nil {
		return nil, err
	}
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	d.mux.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		return nil, fmt.Errorf("istiod %s: HTTP %d: %s", d.revision, rec.Code, rec.Body.String())
	}
	var resp admissionv1.AdmissionReview
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		return nil, fmt.Errorf("istiod %s: response: %w", d.revision, err)
	}
	r := resp.Response
	if r == nil || !r.Allowed {
		msg := "no response"
		if r != nil && r.Result != nil {
			msg = r.Result.Message
		}
		return nil, fmt.Errorf("istiod %s: denied: %s", d.revision, msg)
	}
	if len(r.Patch) == 0 {
		return pod, nil
	}
	patch, err := jsonpatch.DecodePatch(r.Patch)
	if err != nil {
		return nil, fmt.Errorf("istiod %s: patch: %w", d.revision, err)
	}
	patched, err := patch.Apply(raw)
	if err != nil {
		return nil, fmt.Errorf("istiod %s: applying patch: %w", d.revision, err)
	}
	out := &corev1.Pod{}
	if err := json.Unmarshal(patched, out); err != nil {
		return nil, err
	}
	return out, nil
}

// admitted is a workload's pod after admission, with the calls made.
type admitted struct {
	workload
	pod   *corev1.Pod
	calls []call
	err   error
}

// admitAll runs the first pod of every workload through admission.
func admitAll(t testing.TB, w *world, a *admission) []admitted {
	t.Helper()
	var out []admitted
	for _, wl := range w.workloads {
		ns := w.namespaces[wl.namespace]
		if ns == nil {
			out = append(out, admitted{workload: wl, err: fmt.Errorf("namespace %q is neither rendered nor built in", wl.namespace)})
			continue
		}
		p, calls, err := a.admit(t, wl.pod(), ns)
		if err == nil {
			p = running(p, wl.id(), ns.Labels["istio.io/dataplane-mode"] == "ambient")
		}
		out = append(out, admitted{workload: wl, pod: p, calls: calls, err: err})
	}
	return out
}
