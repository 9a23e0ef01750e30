//go:build conformance

package conformance_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// The checks of the live proof. A finding names the check that made it;
// each broken install must make a finding of the check it breaks.
const (
	// checkInstall: every object of a phase is applied, with no rejection
	// and no server warning.
	checkInstall = "install"
	// checkIstiod: istiod starts on the rendered ConfigMaps and reports
	// ready, with the rendered trust domain.
	checkIstiod = "istiod"
	// checkRBAC: the rendered RBAC never refuses istiod.
	checkRBAC = "rbac"
	// checkWebhooks: istiod writes its CA into every rendered webhook and
	// every validating webhook ends up failurePolicy Fail.
	checkWebhooks = "webhooks"
	// checkValidation: istiod's validating webhook passes every rendered
	// Istio resource and denies invalid ones.
	checkValidation = "validation"
	// checkInjection: a pod from each rendered gateway template, and one
	// in each injected namespace, comes back with the spec's proxy.
	checkInjection = "injection"
	// checkDrift: after istiod ran, the cluster changed only fields of the
	// run-time-owned field list, the check fails without each entry a
	// change needs, and a re-apply of the render conflicts with istiod
	// exactly where the list says it sets a field istiod takes.
	checkDrift = "drift"
	// checkOrder: what the wrong orders do.
	checkOrder = "order"
)

// stage is how far a run goes: a broken install stops once the check it
// breaks has run.
type stage int

const (
	stageWebhooks stage = iota + 1
	stageGateways
	stageAll
)

// liveRun installs one plan into one fresh cluster.
type liveRun struct {
	t    *testing.T
	e    *liveEnv
	ctx  context.Context
	plan *livePlan
	c    *liveCluster
	// istiods are the running istiod pods, one per istiod Deployment.
	istiods []*istiodPod
	// before holds, by object id, each applied rendered object as it was
	// right after the install applied it; for objects applied before
	// istiod started, as it was right before istiod started.
	before map[string]map[string]any
	// made holds the ids of the objects the run made itself, standing in
	// for controllers.
	made map[string]bool
	// baseline holds the ids of every object in the cluster right before
	// istiod started.
	baseline map[string]bool
	// record keeps findings instead of failing the test: a broken install
	// must make them.
	record   bool
	findings []finding
	// patchTimeout bounds the wait for istiod to patch its webhooks.
	patchTimeout time.Duration
	// holdBack, for a broken install, keeps objects out of their phase
	// until istiod has started.
	holdBack func(*liveObject) bool
}

// finding is one failed expectation.
type finding struct{ check, msg string }

func newLiveRun(t *testing.T, e *liveEnv, plan *livePlan) *liveRun {
	return &liveRun{
		t: t, e: e, ctx: e.ctx, plan: plan,
		before: map[string]map[string]any{}, made: map[string]bool{},
		patchTimeout: 4 * time.Minute,
	}
}

// fail records a finding: an error of the test, or, for a broken install,
// a finding the test then requires.
func (r *liveRun) fail(check, format string, args ...any) {
	r.t.Helper()
	msg := fmt.Sprintf(format, args...)
	r.findings = append(r.findings, finding{check, msg})
	if r.record {
		r.t.Logf("finding of the %s check: %s", check, msg)
		return
	}
	r.t.Errorf("%s: %s", check, msg)
}

func (r *liveRun) timing(what string, d time.Duration) {
	r.t.Logf("time: %s: %.1fs", what, d.Seconds())
}

func (r *liveRun) rootNamespace() string { return r.plan.spec.Spec.RootNamespace }

// TestLiveIstiod installs every golden case into a fresh kube-apiserver
// and runs the real istiod against it, as a kubelet would run the rendered
// istiod Deployment; see docs/proof.md.
func TestLiveIstiod(t *testing.T) {
	e := newLiveEnv(t)
	start := time.Now()
	for _, gc := range goldenCases(t) {
		plan := newLivePlan(t, gc)
		if why := liveExclusion(plan); why != "" {
			t.Logf("%s: not run live: %s", gc.name, why)
			continue
		}
		t.Run(gc.name, func(t *testing.T) {
			caseStart := time.Now()
			r := newLiveRun(t, e, plan)
			r.run(stageAll)
			r.timing("case", time.Since(caseStart))
		})
	}
	t.Logf("time: every golden case: %.1fs", time.Since(start).Seconds())
}

// liveExclusion says why the live proof cannot run a plan; "" when it can.
// The proof runs one istiod, built from the istio.io/istio commit whose
// charts are embedded (Istio mesh.DefaultVersion): a control plane that the
// render makes from another minor's charts needs that minor's istiod, and
// running this one in its place would prove nothing about it.
//
// Two more kinds of render need what the proof does not run: a remote
// cluster runs no istiod at all (its primary's does; the behavioural
// proof shows its webhooks lead there), and with spec.mesh.ca.type
// istio-csr istiod takes its serving certificate from cert-manager's
// istio-csr, without which it never patches its webhooks.
func liveExclusion(p *livePlan) string {
	s := &p.spec.Spec
	if s.IsRemote() {
		return "a remote cluster runs no istiod: the primary's serves it"
	}
	if s.Mesh.CA.Type == "istio-csr" {
		return "istiod takes its serving certificate from cert-manager's istio-csr, which the proof does not run"
	}
	for _, o := range p.objects {
		if !isIstiod(o) {
			continue
		}
		if v := nestedString(o.obj, "metadata", "labels", "app.kubernetes.io/version"); minor(v) != minor(mesh.DefaultVersion) {
			return fmt.Sprintf("%s is Istio %s, from that minor's charts; the proof builds the istiod of the embedded charts (%s) only",
				o.id(), v, mesh.DefaultVersion)
		}
	}
	return ""
}

// run installs the plan phase by phase, in the render's phase order,
// starting istiod once the control plane is applied, and checks what
// happens at each step.
func (r *liveRun) run(last stage) {
	t, p := r.t, r.plan
	istiods := p.ofKind("Deployment")
	istiods = slices.DeleteFunc(istiods, func(o *liveObject) bool { return !isIstiod(o) })
	if len(istiods) == 0 {
		t.Fatal("the render has no istiod Deployment")
	}
	r.c = r.startCluster(len(istiods))
	// What the spec says the cluster has already: Gateway API CRDs it
	// declares present, as a platform installs them.
	if crds := presentGatewayAPICRDs(t, p.spec); len(crds) > 0 {
		if probs := r.apply(crds, false); len(probs) > 0 {
			t.Fatalf("Gateway API CRDs the spec declares present: %v", probs)
		}
		if err := r.c.waitEstablished(r.ctx, crdNames(crds)); err != nil {
			t.Fatal(err)
		}
	}
	if len(r.e.certManager) > 0 && len(p.ofKind("Certificate")) > 0 {
		// cert-manager is part of the cluster, not of the render.
		if probs := r.apply(r.e.certManager, false); len(probs) > 0 {
			t.Fatalf("cert-manager CRDs: %v", probs)
		}
		if err := r.c.waitEstablished(r.ctx, crdNames(r.e.certManager)); err != nil {
			t.Fatal(err)
		}
	}
	r.customResourcesFirst()

	r.installPhase(render.PhaseFoundation, nil)
	r.installPhase(render.PhaseConfig, nil)
	isWebhook := func(o *liveObject) bool {
		return o.kind() == "MutatingWebhookConfiguration" || o.kind() == "ValidatingWebhookConfiguration"
	}
	r.installPhase(render.PhaseControlPlane, func(o *liveObject) bool { return !isWebhook(o) })
	r.gatewayPods("before the webhooks exist", true, func(in injection, _ *liveObject) string {
		return want(in, outcomeNotInjected)
	})
	r.installPhase(render.PhaseControlPlane, isWebhook)
	r.beforeIstiod()
	r.snapshot()

	r.startIstiods(istiods)
	if held := r.heldBack(); len(held) > 0 {
		if probs := r.applyObjects(held, false); len(probs) > 0 {
			t.Fatalf("objects held back: %v", probs)
		}
	}
	r.publishEndpoints()
	// A broken install goes on past unpatched webhooks when it must show
	// what a later check makes of them.
	if (!r.waitWebhooks() && !r.record) || last == stageWebhooks {
		return
	}
	r.waitServing()
	r.checkTrustDomain()

	r.installPhase(render.PhaseGateways, nil)
	r.gatewayPods("istiod live", false, r.wantInjected)
	r.gatewayWithoutInjectLabel()
	if last == stageGateways {
		return
	}
	r.appPods()
	r.runProbes(checkValidation, "istiod live", webhookLive)
	r.customResources()

	r.settle()
	observed := r.checkDrift()
	r.checkCreated()
	r.reapply(observed)
	r.istiodDown()
}

// snapshot reads every object in the cluster right before istiod starts:
// the applied rendered objects, after the API server's own asynchronous
// work on them (a CRD's status), and the ids of everything else.
func (r *liveRun) snapshot() {
	for id := range r.before {
		live, err := r.c.get(r.ctx, r.before[id])
		if err != nil {
			r.t.Fatalf("%s: %v", id, err)
		}
		r.before[id] = live
	}
	all, err := r.c.listAll(r.ctx)
	if err != nil {
		r.t.Fatal(err)
	}
	r.baseline = map[string]bool{}
	for id := range all {
		r.baseline[id] = true
	}
}

// crdNames returns the names of CRD objects.
func crdNames(objs []map[string]any) []string {
	var out []string
	for _, o := range objs {
		out = append(out, nestedString(o, "metadata", "name"))
	}
	return out
}

// apply applies objects for real (forced server-side apply, strict field
// validation), as a GitOps tool applies a phase, or as a dry run, and
// returns one problem per rejected object and per server warning.
func (r *liveRun) apply(objs []map[string]any, dryRun bool) []string {
	var probs []string
	for _, obj := range objs {
		r.c.warnings.take() // those of earlier reads: listing deprecated kinds warns
		got, err := r.c.applyWith(r.ctx, obj, applyOpts{force: true, dryRun: dryRun})
		for _, w := range r.c.warnings.take() {
			if knownLiveWarning(obj, w) {
				r.t.Logf("%s: known server warning: %s", objectID(obj), w)
				continue
			}
			probs = append(probs, fmt.Sprintf("%s: server warning: %s", objectID(obj), w))
		}
		if err != nil {
			if r.ctx.Err() != nil {
				r.t.Fatal(r.ctx.Err())
			}
			probs = append(probs, fmt.Sprintf("%s: rejected: %v", objectID(obj), err))
			continue
		}
		if !dryRun {
			r.before[objectID(obj)] = got
		}
	}
	return probs
}

// applyObjects applies rendered objects and waits until the CRDs among
// them are served.
func (r *liveRun) applyObjects(objs []*liveObject, dryRun bool) []string {
	var raw []map[string]any
	var crds []string
	for _, o := range objs {
		raw = append(raw, o.obj)
		if o.kind() == "CustomResourceDefinition" {
			crds = append(crds, o.name())
		}
	}
	probs := r.apply(raw, dryRun)
	if len(crds) > 0 && !dryRun {
		if err := r.c.waitEstablished(r.ctx, crds); err != nil {
			probs = append(probs, err.Error())
		}
	}
	return probs
}

// installPhase applies the objects of a phase that keep accepts (all when
// nil), for real, and requires that none is rejected or warned about.
func (r *liveRun) installPhase(ph render.Phase, keep func(*liveObject) bool) {
	start := time.Now()
	var objs []*liveObject
	for _, o := range r.plan.inPhase(ph) {
		if (keep == nil || keep(o)) && (r.holdBack == nil || !r.holdBack(o)) {
			objs = append(objs, o)
		}
	}
	for _, prob := range r.applyObjects(objs, false) {
		r.fail(checkInstall, "phase %s: %s", ph, prob)
	}
	r.t.Logf("phase %s: %d objects applied", ph, len(objs))
	r.timing("phase "+ph.String(), time.Since(start))
}

// heldBack returns the objects a broken install kept out of their phase.
func (r *liveRun) heldBack() []*liveObject {
	if r.holdBack == nil {
		return nil
	}
	var out []*liveObject
	for _, o := range r.plan.objects {
		if r.holdBack(o) {
			out = append(out, o)
		}
	}
	return out
}

// customResourcesFirst applies the last phase first, as a dry run into the
// empty cluster: the order a tool that applies everything at once, or
// sorts custom resources first, would use. The install check must reject
// every object of it that needs an earlier phase: custom resources before
// their CRDs, namespaced objects before their Namespace.
func (r *liveRun) customResourcesFirst() {
	objs := r.plan.inPhase(render.PhaseCustomResources)
	probs := r.applyObjects(objs, true)
	rejected := map[string]bool{}
	for _, prob := range probs {
		id, _, _ := strings.Cut(prob, ": ")
		rejected[id] = true
	}
	for _, o := range objs {
		if istioGroup(o.resource.APIVersion) && !rejected[o.id()] {
			r.fail(checkOrder, "custom resources first: %s was accepted before its CRD and namespace exist", o.id())
		}
	}
	r.t.Logf("custom resources first (dry run): %d of %d objects rejected by the install check, as required", len(rejected), len(objs))
}

// renderedPolicy is the failurePolicy the render gives every webhook of a
// kind; the proof requires it to be one policy.
func (r *liveRun) renderedPolicy(kind string) string {
	policies := map[string]bool{}
	for _, o := range r.plan.ofKind(kind) {
		hooks, _ := o.obj["webhooks"].([]any)
		for _, h := range hooks {
			m, _ := h.(map[string]any)
			p, _ := m["failurePolicy"].(string)
			policies[p] = true
		}
	}
	if len(policies) != 1 {
		r.t.Fatalf("the %ss render failure policies %v: the proof expects one", kind, sortedKeys(policies))
	}
	return sortedKeys(policies)[0]
}

// beforeIstiod measures the window between the webhooks and istiod: the
// webhooks exist and nothing serves them. With the rendered failurePolicy
// Ignore, invalid Istio resources get in unvalidated; with Fail, every
// Istio resource, valid or not, is rejected, and so is every gateway pod.
func (r *liveRun) beforeIstiod() {
	state := webhookFailDown
	if r.renderedPolicy("ValidatingWebhookConfiguration") == "Ignore" {
		state = webhookIgnoreDown
	}
	r.runProbes(checkOrder, "webhooks applied, istiod not serving", state)
	podWant := outcomeNotInjected
	if r.renderedPolicy("MutatingWebhookConfiguration") == "Fail" {
		podWant = outcomeUnreachable
	}
	r.gatewayPods("webhooks applied, istiod not serving", true, func(in injection, _ *liveObject) string {
		return want(in, podWant)
	})
}

// want is a problem when a pod's outcome is not the one required.
func want(in injection, outcome string) string {
	if in.outcome != outcome {
		return fmt.Sprintf("got %s, want %s", in, outcome)
	}
	return ""
}

// gatewayDeployments are the rendered gateway workloads' Deployments.
func (r *liveRun) gatewayDeployments() []*liveObject {
	var out []*liveObject
	for _, o := range r.plan.inPhase(render.PhaseGateways) {
		if o.kind() == "Deployment" {
			out = append(out, o)
		}
	}
	return out
}

// gatewayPods creates a pod from each gateway Deployment's template and
// checks it with check, which returns a problem or "".
func (r *liveRun) gatewayPods(when string, dryRun bool, check func(injection, *liveObject) string) {
	for _, d := range r.gatewayDeployments() {
		pod, err := podFrom(d.obj)
		if err != nil {
			r.t.Fatal(err)
		}
		in := r.c.createPod(r.ctx, pod, dryRun)
		if prob := check(in, d); prob != "" {
			r.fail(checkInjection, "%s: pod from %s: %s", when, d.id(), prob)
			continue
		}
		if !dryRun {
			r.made[objectID(in.pod)] = true
		}
		r.t.Logf("%s: pod from %s: %s", when, d.id(), in)
	}
}

// wantInjected is the injection check of a gateway pod: injected by the
// revision its template names, with the proxy image the spec gives that
// revision.
func (r *liveRun) wantInjected(in injection, d *liveObject) string {
	tmpl, err := podTemplate(d.obj)
	if err != nil {
		return err.Error()
	}
	return r.injectedBy(in, revisionOf(r.plan.spec, tmpl.Labels["istio.io/rev"]))
}

// injectedBy is a problem unless the pod came back injected by revision
// with its proxy image.
func (r *liveRun) injectedBy(in injection, revision string) string {
	image := proxyImage(r.plan.spec, revision)
	switch {
	case in.outcome != outcomeInjected:
		return fmt.Sprintf("got %s, want injected", in)
	case in.image != image:
		return fmt.Sprintf("istio-proxy runs %q, want the spec's %q", in.image, image)
	case in.revision != revision:
		return fmt.Sprintf("injected by revision %q, want %q", in.revision, revision)
	}
	return ""
}

// injectionLabels select a pod for injection: the injection switch, and
// a revision (or tag), which selects it whatever the switch says.
var injectionLabels = []string{"sidecar.istio.io/inject", "istio.io/rev"}

// gatewayWithoutInjectLabel breaks each gateway template by removing its
// injection labels: the injection check must fail on the pod it makes.
func (r *liveRun) gatewayWithoutInjectLabel() {
	for _, d := range r.gatewayDeployments() {
		broken := runtime.DeepCopyJSON(d.obj)
		labels, _ := broken["spec"].(map[string]any)["template"].(map[string]any)["metadata"].(map[string]any)["labels"].(map[string]any)
		if _, ok := labels["sidecar.istio.io/inject"]; !ok {
			r.t.Fatalf("%s: the gateway template has no sidecar.istio.io/inject label to remove", d.id())
		}
		for _, l := range injectionLabels {
			delete(labels, l)
		}
		pod, err := podFrom(broken)
		if err != nil {
			r.t.Fatal(err)
		}
		in := r.c.createPod(r.ctx, pod, true)
		prob := r.wantInjected(in, d)
		if prob == "" {
			r.fail(checkInjection, "a pod from %s without its injection labels passed the injection check", d.id())
			continue
		}
		r.t.Logf("broken: pod from %s without its injection labels: the injection check fails, as required: %s", d.id(), prob)
	}
}

// appPods creates a plain pod in each rendered namespace that asks for
// sidecar injection, by istio-injection=enabled or by a revision label,
// and requires it injected by that revision.
func (r *liveRun) appPods() {
	for _, ns := range r.plan.ofKind("Namespace") {
		labels, _ := ns.obj["metadata"].(map[string]any)["labels"].(map[string]any)
		rev, _ := labels["istio.io/rev"].(string)
		if labels["istio-injection"] != "enabled" && rev == "" {
			continue
		}
		name := ns.name()
		sa := map[string]any{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": map[string]any{"name": "default", "namespace": name}}
		// kube-controller-manager makes every namespace's default
		// ServiceAccount, which a pod without one needs.
		if _, err := r.c.create(r.ctx, sa, false); err != nil && !apierrors.IsAlreadyExists(err) {
			r.t.Fatal(err)
		}
		r.made[objectID(sa)] = true
		in := r.c.createPod(r.ctx, appPod(name), false)
		if prob := r.injectedBy(in, revisionOf(r.plan.spec, rev)); prob != "" {
			r.fail(checkInjection, "app pod in namespace %s: %s", name, prob)
			continue
		}
		r.made[objectID(in.pod)] = true
		r.t.Logf("app pod in namespace %s: %s", name, in)
	}
}

// customResources applies the last phase for real, now that istiod's
// validating webhook is serving with failurePolicy Fail, and requires
// istiod's own count of passed requests to have grown by at least the
// number of Istio resources of each kind: each went through istiod.
func (r *liveRun) customResources() {
	passed0, failed0, err := r.validationCounts()
	if err != nil {
		r.t.Fatal(err)
	}
	r.installPhase(render.PhaseCustomResources, nil)
	passed1, failed1, err := r.validationCounts()
	if err != nil {
		r.t.Fatal(err)
	}
	wantPassed := map[string]int{}
	for _, o := range r.plan.istioResources() {
		m, err := r.c.mapper.RESTMapping(gvkOf(o.obj).GroupKind(), gvkOf(o.obj).Version)
		if err != nil {
			r.t.Fatal(err)
		}
		wantPassed[m.Resource.Group+"/"+m.Resource.Resource]++
	}
	for _, res := range sortedKeys(wantPassed) {
		got := passed1[res] - passed0[res]
		if got < float64(wantPassed[res]) {
			r.fail(checkValidation, "%d rendered %s applied, but istiod's webhook passed %.0f", wantPassed[res], res, got)
			continue
		}
		r.t.Logf("istiod's validating webhook passed %.0f requests for the %d rendered %s", got, wantPassed[res], res)
	}
	for _, res := range sortedKeys(failed1) {
		if d := failed1[res] - failed0[res]; d > 0 {
			r.fail(checkValidation, "istiod's validating webhook failed %.0f requests for %s while the rendered resources were applied", d, res)
		}
	}
	if len(wantPassed) == 0 {
		r.t.Logf("the render has no Istio custom resources")
	}
}

// checkTrustDomain reads istiod's CA from the webhooks it patched: its
// root certificate is issued to the trust domain of the rendered mesh
// config, so istiod read the rendered istio ConfigMap.
func (r *liveRun) checkTrustDomain() {
	want := r.plan.spec.Spec.Mesh.TrustDomain
	for _, o := range r.plan.ofKind("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration") {
		live, err := r.c.get(r.ctx, o.obj)
		if err != nil {
			r.t.Fatal(err)
		}
		for _, h := range live["webhooks"].([]any) {
			bundle := nestedString(h.(map[string]any), "clientConfig", "caBundle")
			orgs, err := bundleOrganizations(bundle)
			if err != nil {
				r.fail(checkIstiod, "%s: caBundle: %v", o.id(), err)
				continue
			}
			if !slices.Equal(orgs, []string{want}) {
				r.fail(checkIstiod, "%s: istiod's CA is issued to %q, want the rendered trust domain %q", o.id(), orgs, want)
			}
		}
	}
	r.t.Logf("every webhook's caBundle is istiod's root for the trust domain %q", want)
}

// settle lets istiod run before the live objects are compared.
func (r *liveRun) settle() {
	r.t.Logf("letting istiod run for %s", r.e.settle)
	select {
	case <-time.After(r.e.settle):
	case <-r.ctx.Done():
		r.t.Fatal(r.ctx.Err())
	}
	for _, p := range r.istiods {
		if !p.proc.running() {
			r.fail(checkIstiod, "%v", p.proc.exitError())
		}
		for _, l := range p.proc.logHas("forbidden") {
			r.fail(checkRBAC, "%s was refused by the rendered RBAC: %s", p.deployment.id(), l)
		}
	}
}

// checkDrift compares every rendered object, after istiod ran, with what
// the install applied and with the render: whatever changed must be a
// field of the run-time-owned field list (render.RuntimeFields). It also
// shows that the check fails without any one entry of the list that a
// change needed. It returns the changes.
func (r *liveRun) checkDrift() []observedChange {
	owned := r.plan.owned
	var observed []observedChange
	for _, o := range r.plan.objects {
		before, ok := r.before[o.id()]
		if !ok {
			continue
		}
		after, err := r.c.get(r.ctx, o.obj)
		if err != nil {
			r.fail(checkDrift, "%s: %v", o.id(), err)
			continue
		}
		owners := fieldOwners(after)
		for _, c := range changes(before, after) {
			if len(c.path) > 0 && !c.path[0].isIndex() && c.path[0].key == "status" {
				// A status subresource: an apply never writes it and no
				// GitOps tool compares it, so it is no drift.
				r.t.Logf("status written at run time: %s %s (owner: %s)", o.id(), c, owners[c.path.String()])
				continue
			}
			observed = append(observed, observedChange{id: o.id(), change: c, owner: owners[c.path.String()]})
		}
		drift, normalized := renderedDrift(o.obj, after)
		for _, d := range drift {
			if !coveredBy(o.id(), d.path, owned) {
				r.fail(checkDrift, "%s: the live object differs from the render in %s", o.id(), d)
			}
		}
		for _, n := range normalized {
			r.t.Logf("stored in another form, same meaning: %s %s", o.id(), n)
		}
	}
	missing, unobserved := coverage(observed, owned)
	for _, c := range observed {
		r.t.Logf("changed at run time: %s %s (owner: %s)", c.id, c.change, c.owner)
	}
	for _, c := range missing {
		r.fail(checkDrift, "%s %s changed at run time (owner: %s), and the run-time-owned field list does not name it", c.id, c.path, c.owner)
	}
	for _, f := range unobserved {
		r.t.Logf("listed as run-time-owned, not seen changing in this run: %s", f)
	}
	// The broken list: each entry that a change needed, left out.
	for i, f := range owned {
		needed := false
		for _, c := range observed {
			if f.covers(c.id, c.path) {
				needed = true
			}
		}
		if !needed {
			continue
		}
		if gone, _ := coverage(observed, without(owned, i)); len(gone) == 0 {
			r.fail(checkDrift, "the drift check did not notice %s missing from the list", f)
		}
	}
	if len(missing) == 0 {
		r.t.Logf("drift: %d run-time changes on %d rendered objects, all named by the %d entries of the run-time-owned field list; the check fails without any one of the entries they need",
			len(observed), len(r.before), len(owned))
	}
	return observed
}

// reapply applies the render again after istiod ran, as a GitOps sync
// does. Server-side and unforced (a dry run), it must conflict with istiod
// on exactly the objects where istiod changed a field the render sets
// (render.RuntimeField.Rendered): a field the render leaves out is never
// sent, so never fought over. Forced, for real, it writes the rendered
// values back, and istiod must take its fields again.
func (r *liveRun) reapply(observed []observedChange) {
	want := map[string]bool{}
	for _, c := range observed {
		for _, f := range r.plan.owned {
			if f.rendered && f.covers(c.id, c.path) {
				want[c.id] = true
			}
		}
	}
	var forced []*liveObject
	for _, o := range r.plan.objects {
		if _, applied := r.before[o.id()]; !applied {
			continue
		}
		_, err := r.c.applyWith(r.ctx, o.obj, applyOpts{dryRun: true})
		r.c.warnings.take()
		conflict := apierrors.IsConflict(err)
		switch {
		case err != nil && !conflict:
			r.fail(checkDrift, "re-applying %s without force: %v", o.id(), err)
		case conflict != want[o.id()]:
			r.fail(checkDrift, "re-applying %s without force: conflict %v, want %v (%v)", o.id(), conflict, want[o.id()], err)
		case conflict:
			r.t.Logf("re-applying %s without force conflicts with istiod, as the list says it must: %s", o.id(), firstLine(err.Error()))
			forced = append(forced, o)
		}
	}
	if len(forced) == 0 {
		r.t.Logf("re-applying the render without force: no conflict, as the list says (it sets no field istiod takes)")
		return
	}
	start := time.Now()
	for _, o := range forced {
		got, err := r.c.applyWith(r.ctx, o.obj, applyOpts{force: true})
		if err != nil {
			r.fail(checkDrift, "re-applying %s with force: %v", o.id(), err)
			continue
		}
		for _, c := range observed {
			if c.id == o.id() && c.before != nil && !reflect.DeepEqual(valueAt(got, c.path), c.before) {
				r.fail(checkDrift, "re-applying %s with force left %s at %s, not the rendered %s", o.id(), c.path, shown(valueAt(got, c.path)), shown(c.before))
			}
		}
	}
	ctx, cancel := context.WithTimeout(r.ctx, 30*time.Second)
	defer cancel()
	err := until(ctx, 50*time.Millisecond, func() error {
		for _, o := range forced {
			live, err := r.c.get(ctx, o.obj)
			if err != nil {
				return err
			}
			for _, c := range observed {
				if c.id == o.id() && !reflect.DeepEqual(valueAt(live, c.path), c.after) {
					return fmt.Errorf("%s %s is %s", o.id(), c.path, shown(valueAt(live, c.path)))
				}
			}
		}
		return nil
	})
	if err != nil {
		r.fail(checkDrift, "after a forced re-apply istiod did not take its fields back: %v", err)
		return
	}
	r.t.Logf("time: a forced re-apply wrote the rendered values back, and istiod took its fields again %s later", time.Since(start).Round(time.Millisecond))
}

// istiodDown stops istiod, leaving its endpoints, as a crash or an
// upgrade does: with failurePolicy Fail, every Istio resource is now
// rejected, valid ones included, so a re-sync fails until istiod is back.
func (r *liveRun) istiodDown() {
	for _, p := range r.istiods {
		p.proc.stop(15 * time.Second)
	}
	r.runProbes(checkOrder, "istiod stopped", webhookFailDown)
	for _, o := range r.plan.istioResources() {
		_, err := r.c.applyWith(r.ctx, o.obj, applyOpts{force: true, dryRun: true})
		r.c.warnings.take()
		if got, _ := outcome(err); got != outcomeUnreachable {
			r.fail(checkOrder, "istiod stopped: re-applying %s: got %s, want %s: %v", o.id(), got, outcomeUnreachable, err)
		}
	}
	r.t.Logf("istiod stopped: every rendered Istio resource is rejected on re-apply (the webhook cannot be called)")
}

// startIstiods starts one istiod per istiod Deployment, each in a pod
// namespace of its own, and waits until each reports ready.
func (r *liveRun) startIstiods(deployments []*liveObject) {
	for i, d := range deployments {
		root := filepath.Join(r.c.dir, d.name(), "root")
		p, err := newIstiodPod(d, r.c.net.pods[i], root)
		if err != nil {
			r.t.Fatal(err)
		}
		if err := p.start(r.ctx, r.c, r.e.pilot, filepath.Join(r.c.dir, d.name()+".log")); err != nil {
			r.t.Fatalf("%s: %v", d.id(), err)
		}
		r.istiods = append(r.istiods, p)
		r.t.Cleanup(func() { p.proc.stop(15 * time.Second) })
		r.t.Logf("%s: istiod started at %s with %s", d.id(), p.net.ip, p.envList())
	}
	for _, p := range r.istiods {
		ctx, cancel := context.WithTimeout(r.ctx, 5*time.Minute)
		took, err := p.waitReady(ctx)
		cancel()
		if err != nil {
			r.t.Fatalf("%s: istiod not ready: %v", p.deployment.id(), err)
		}
		r.timing(p.deployment.id()+": istiod start to ready", took)
	}
}

// publishEndpoints stands in for the EndpointSlice controller: a slice for
// every rendered Service whose selector matches a running istiod.
func (r *liveRun) publishEndpoints() {
	for _, svc := range r.plan.ofKind("Service") {
		slice, err := endpointSlice(svc, r.istiods)
		if err != nil {
			r.t.Fatal(err)
		}
		if slice == nil {
			continue
		}
		if _, err := r.c.create(r.ctx, slice, false); err != nil {
			r.t.Fatalf("EndpointSlice for %s: %v", svc.id(), err)
		}
		r.made[objectID(slice)] = true
	}
}

// waitWebhooks waits until istiod has written its CA into every rendered
// webhook and every rendered validating webhook has failurePolicy Fail;
// it reports whether they did.
func (r *liveRun) waitWebhooks() bool {
	start := time.Now()
	hooks := r.plan.ofKind("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")
	var last string // what the last complete look found missing
	var caBundles time.Duration
	ctx, cancel := context.WithTimeout(r.ctx, r.patchTimeout)
	defer cancel()
	err := until(ctx, 100*time.Millisecond, func() error {
		var pending []string
		noCA := false
		for _, p := range r.istiods {
			if !p.proc.running() {
				return permanent(p.proc.exitError())
			}
		}
		for _, o := range hooks {
			live, err := r.c.get(ctx, o.obj)
			if err != nil {
				return err
			}
			list, _ := live["webhooks"].([]any)
			for _, h := range list {
				m := h.(map[string]any)
				name, _ := m["name"].(string)
				if nestedString(m, "clientConfig", "caBundle") == "" {
					noCA = true
					pending = append(pending, fmt.Sprintf("%s webhook %s has no caBundle", o.id(), name))
				}
				if fp, _ := m["failurePolicy"].(string); o.kind() == "ValidatingWebhookConfiguration" && fp != "Fail" {
					pending = append(pending, fmt.Sprintf("%s webhook %s has failurePolicy %s, not Fail", o.id(), name, fp))
				}
			}
		}
		if !noCA && caBundles == 0 {
			caBundles = time.Since(start)
		}
		if len(pending) > 0 {
			last = strings.Join(pending, "; ")
			return errors.New(last)
		}
		return nil
	})
	if err != nil {
		if r.ctx.Err() != nil {
			r.t.Fatal(r.ctx.Err())
		}
		if last == "" {
			last = err.Error()
		}
		r.fail(checkWebhooks, "%s after istiod was ready: %s", r.patchTimeout, last)
		return false
	}
	r.timing("istiod ready to every webhook's caBundle", caBundles)
	r.timing("istiod ready to every webhook patched (caBundle, validating failurePolicy Fail)", time.Since(start))
	return true
}

// waitServing waits until the API server reaches istiod's validating
// webhook: its EndpointSlice informer sees a new slice a moment after it
// is written.
func (r *liveRun) waitServing() {
	ctx, cancel := context.WithTimeout(r.ctx, 30*time.Second)
	defer cancel()
	start := time.Now()
	valid := probes[0].object(r.rootNamespace())
	err := until(ctx, 100*time.Millisecond, func() error {
		_, err := r.c.create(ctx, runtime.DeepCopyJSON(valid), true)
		r.c.warnings.take()
		if got, _ := outcome(err); got == outcomeUnreachable {
			return err
		}
		return nil
	})
	if err != nil {
		r.fail(checkWebhooks, "the API server cannot reach istiod's validating webhook: %v", err)
	}
	r.timing("EndpointSlices published to webhook reachable", time.Since(start))
}

// checkCreated lists the objects that appeared while istiod ran and that
// neither the render nor the run made: istiod's own. None may carry a
// GitOps tool's tracking label, or a tool that prunes what it tracks
// would delete them.
func (r *liveRun) checkCreated() {
	all, err := r.c.listAll(r.ctx)
	if err != nil {
		r.t.Fatal(err)
	}
	var ids []string
	for id := range all {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if r.before[id] != nil || r.made[id] || r.baseline[id] {
			continue
		}
		obj := all[id]
		labels, _ := obj["metadata"].(map[string]any)["labels"].(map[string]any)
		for _, l := range trackingLabels {
			if _, ok := labels[l]; ok {
				r.fail(checkDrift, "%s, which istiod created, carries the tracking label %s", id, l)
			}
		}
		who := "the API server, for an object the install applied"
		if slices.Contains(managers(obj), filepath.Base(r.e.pilot)+" (Update)") {
			who = "istiod"
		}
		r.t.Logf("created at run time by %s: %s (managers: %s)", who, id, strings.Join(managers(obj), ", "))
	}
}

// trackingLabels mark objects as a GitOps tool's own: Argo CD's default
// tracking label and Flux's.
var trackingLabels = []string{"app.kubernetes.io/instance", "argocd.argoproj.io/instance", "kustomize.toolkit.fluxcd.io/name"}

// managers lists the field managers of an object.
func managers(obj map[string]any) []string {
	md, _ := obj["metadata"].(map[string]any)
	entries, _ := md["managedFields"].([]any)
	var out []string
	for _, e := range entries {
		m, _ := e.(map[string]any)
		out = append(out, fmt.Sprintf("%v (%v)", m["manager"], m["operation"]))
	}
	return out
}

// knownLiveWarning reports whether a server warning on a rendered object is
// one a correct render draws. There is one: istiod's validation reads
// "./" in the root namespace's Sidecar as the root namespace, and warns
// that "./*" and "<root>/*" repeat each other. For the root Sidecar,
// which every namespace inherits, "./" is the namespace of the workload
// (pilot/pkg/model/sidecar.go), so both are needed; Istio's own Sidecar
// reference shows this Sidecar.
func knownLiveWarning(obj map[string]any, warning string) bool {
	md, _ := obj["metadata"].(map[string]any)
	ns, _ := md["namespace"].(string)
	return obj["kind"] == "Sidecar" && md["name"] == "default" &&
		warning == "duplicated egress host: "+ns+"/*"
}

// presentGatewayAPICRDs are the Gateway API CRDs of a spec that declares
// them present (spec.gatewayAPI.crds: present): those the same spec
// renders with crds: render, which the proof installs as the cluster's.
func presentGatewayAPICRDs(t *testing.T, spec *mesh.Resolved) []map[string]any {
	t.Helper()
	if spec.Spec.GatewayAPI.CRDs != "present" {
		return nil
	}
	c := *spec
	c.Spec.GatewayAPI.CRDs = "render"
	m, err := render.Render(context.Background(), &c, render.Options{})
	if err != nil {
		t.Fatalf("rendering the Gateway API CRDs the spec declares present: %v", err)
	}
	var out []map[string]any
	for _, res := range m.Resources {
		if res.Kind == "CustomResourceDefinition" && strings.HasSuffix(res.Name, ".gateway.networking.k8s.io") {
			out = append(out, res.Object())
		}
	}
	if len(out) == 0 {
		t.Fatal("crds: render gave no Gateway API CRD")
	}
	return out
}
