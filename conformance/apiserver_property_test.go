//go:build conformance

package conformance_test

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	"github.com/istio-render/istio-render/internal/testcharts"
	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// TestAPIServerAcceptsGeneratedSpecs is the property against a real API
// server: every object of every generated spec that validation accepts is
// accepted, as TestAPIServerAcceptsGoldens applies a golden case. The
// specs' Namespaces and CRDs are applied for real (the CRDs once for each
// distinct set of them, with the specs that need that set), everything
// else as a strict server-side dry run. Beside the server's answer, each
// render must hold what a fresh cluster needs of it: no object twice, no
// object in a namespace the render does not create (other than the ones
// every cluster has), and no custom resource whose CRD the spec does not
// install or declare present (cert-manager's excepted: its Certificates
// need it installed, as documented).
func TestAPIServerAcceptsGeneratedSpecs(t *testing.T) {
	seed := *propertySeed
	specs := propertySpecs(300)
	t.Logf("seed %d, %d specs; explore with -property-seed N -property-count N (CONFORMANCE_PROPERTY_SEED, CONFORMANCE_PROPERTY_COUNT for make conformance)", seed, len(specs))
	run := newPropertyRun(t, seed)
	run.generate(specs, nil)
	run.apply()
	run.report()
}

// propertyRun is one run of the property against the API server.
type propertyRun struct {
	t    *testing.T
	seed uint64
	// c applies Namespaces and CRDs; workers send the dry runs, each on a
	// client of its own, so that a warning is tied to its request.
	c       *cluster
	workers []*cluster
	// certManager are the kinds cert-manager's CRDs serve, installed once.
	certManager map[string]bool
	// custom are the kinds of every CRD the run has seen.
	custom map[string]bool
	// present caches the Gateway API CRDs of a release and channel.
	present map[string][]map[string]any

	refused  discards
	bundles  map[string]*crdBundle
	specs    int
	failures []renderFailure
	n        propertyTally
}

// propertyTally counts what a run did.
type propertyTally struct {
	objects, namespaces, crdApplies, crdDryRuns, crdReplaced, dryRuns, accepted, rejected, warnings, static, platform int
	renderTime, crdTime, dryRunTime                                                                                   time.Duration
}

// crdBundle is a set of CRDs, installed together for the specs that need
// exactly that set.
type crdBundle struct {
	key, about string
	crds       []map[string]any  // every distinct CRD object of its specs
	variants   map[[32]byte]bool // hashes of crds
	kinds      map[string]bool
	specs      []*specRender
}

// specRender is a generated spec's render, ready to apply.
type specRender struct {
	gs       generated
	objects  []map[string]any // everything but the CRDs, in apply order
	problems []objectProblem
}

// objectProblem is what went wrong with one object of a render.
type objectProblem struct {
	object  map[string]any
	problem string
}

// dryRunWorkers is how many dry runs are in flight at once.
const dryRunWorkers = 8

func newPropertyRun(t *testing.T, seed uint64) *propertyRun {
	t.Helper()
	c := connect(t)
	version, err := c.serverVersion()
	if err != nil {
		t.Fatalf("server version: %v", err)
	}
	if *kubeVersion != "" && version != *kubeVersion {
		t.Fatalf("server reports %s, want %s", version, *kubeVersion)
	}
	run := &propertyRun{
		t: t, seed: seed, c: c, refused: discards{}, bundles: map[string]*crdBundle{},
		certManager: map[string]bool{}, custom: map[string]bool{}, present: map[string][]map[string]any{},
	}
	for range dryRunWorkers {
		run.workers = append(run.workers, connect(t))
	}
	crds := certManager(t)
	applyCRDs(t, c, crds)
	for _, crd := range crds {
		run.certManager[crdKind(crd)] = true
		run.custom[crdKind(crd)] = true
	}
	return run
}

// crdKind is the group/kind a CRD serves.
func crdKind(crd map[string]any) string {
	spec, _ := crd["spec"].(map[string]any)
	names, _ := spec["names"].(map[string]any)
	return fmt.Sprintf("%v/%v", spec["group"], names["kind"])
}

// objectKind is an object's group/kind.
func objectKind(obj map[string]any) string {
	gvk := gvkOf(obj)
	return gvk.Group + "/" + gvk.Kind
}

// generate generates, loads and renders the specs, and groups their
// renders by the CRDs they need. hook, when set, changes a render's
// objects first (to show that the checks catch a broken one).
func (r *propertyRun) generate(specs []int, hook func(objs []map[string]any) []map[string]any) {
	t := r.t
	start := time.Now()
	g := newGen(t, propertyConfig)
	opts := render.Options{RevisionCharts: testcharts.Resolver(t)}
	for _, i := range specs {
		r.specs++
		gs, ok := generate(t, g, r.seed, i, r.refused)
		if !ok {
			continue
		}
		m, err := render.Render(t.Context(), gs.spec, opts)
		if err != nil {
			r.failures = append(r.failures, renderFailure{seed: r.seed, spec: gs, what: fmt.Sprintf("%s: %v", renderProblem(err), err)})
			continue
		}
		var objs []map[string]any
		for _, res := range m.Resources {
			obj, err := parseObject(res.YAML)
			if err != nil || obj == nil {
				t.Fatalf("%s: %s does not parse: %v", describe(r.seed, i), res.ID(), err)
			}
			objs = append(objs, obj)
		}
		if hook != nil {
			objs = hook(objs)
		}
		r.add(gs, objs)
	}
	r.n.renderTime = time.Since(start)
}

// add files a render under the bundle of the CRDs it renders, and those
// it declares present.
func (r *propertyRun) add(gs generated, objs []map[string]any) {
	sr := &specRender{gs: gs}
	var crds []map[string]any
	names := map[string]bool{}
	for _, obj := range objs {
		if gvkOf(obj).Kind != "CustomResourceDefinition" {
			sr.objects = append(sr.objects, obj)
			continue
		}
		if id := objectID(obj); names[id] {
			sr.problems = append(sr.problems, objectProblem{obj, "rendered twice: " + id})
			r.n.static++
		} else {
			names[id] = true
			crds = append(crds, obj)
		}
	}
	s := &gs.spec.Spec
	base := s.Version
	if s.UsesRevisions() {
		base = s.Istiods()[s.NewestIstiod()].Version
	}
	about := "Istio " + line(base)
	switch g := s.GatewayAPI; g.CRDs {
	case mesh.GatewayAPICRDsPresent:
		crds = append(crds, r.gatewayAPI(g.Version, g.Channel)...)
		about += ", Gateway API " + g.Version + " " + g.Channel + " present"
	case mesh.GatewayAPICRDsRender:
		about += ", Gateway API " + g.Version + " " + g.Channel + " rendered"
	}
	// CRDs that differ in their metadata only (the annotations GitOps
	// tools read) serve the same schemas: one bundle, its variants
	// checked by a dry run each.
	h := sha256.New()
	for _, crd := range crds {
		data, err := json.Marshal([]any{crd["metadata"].(map[string]any)["name"], crd["spec"]})
		if err != nil {
			r.t.Fatal(err)
		}
		h.Write(data)
		h.Write([]byte{0})
	}
	key := hex.EncodeToString(h.Sum(nil))[:12]
	b := r.bundles[key]
	if b == nil {
		b = &crdBundle{key: key, about: about, kinds: map[string]bool{}, variants: map[[32]byte]bool{}}
		for _, crd := range crds {
			b.kinds[crdKind(crd)] = true
			r.custom[crdKind(crd)] = true
		}
		r.bundles[key] = b
	}
	for _, crd := range crds {
		data, _ := json.Marshal(crd)
		sum := sha256.Sum256(data)
		if !b.variants[sum] {
			b.variants[sum] = true
			b.crds = append(b.crds, crd)
		}
	}
	b.specs = append(b.specs, sr)
}

// gatewayAPI returns the CRDs of a Gateway API release and channel as the
// platform would install them: from the release's module.
func (r *propertyRun) gatewayAPI(version, channel string) []map[string]any {
	key := version + " " + channel
	if crds, ok := r.present[key]; ok {
		return crds
	}
	crds := gatewayAPICRDs(r.t, version, channel)
	r.present[key] = crds
	return crds
}

// apply installs each bundle in turn, applies its specs' Namespaces, and
// dry-runs the rest of their objects: batch by batch of specs that agree
// on their Namespaces, as the server admits an object by its namespace's
// labels (Pod Security), which one spec's Namespace may set and another's
// not.
func (r *propertyRun) apply() {
	installed := map[string]string{} // CRD name -> the spec installed
	checked := map[string]bool{}     // the CRD metadata the server has seen
	results := map[string]*dryRun{}
	keys := slices.SortedFunc(maps.Keys(r.bundles), func(a, b string) int {
		return cmp.Or(strings.Compare(r.bundles[a].about, r.bundles[b].about), strings.Compare(a, b))
	})
	applied := map[string]string{} // Namespace name -> the object applied last
	for _, key := range keys {
		b := r.bundles[key]
		r.install(b, installed, checked)
		for _, batch := range namespaceBatches(b.specs) {
			for _, sr := range batch {
				r.staticChecks(sr, b)
				for _, obj := range sr.objects {
					if gvkOf(obj).Kind != "Namespace" {
						continue
					}
					r.n.objects++
					data, _ := json.Marshal(obj)
					name := objectID(obj)
					if applied[name] == string(data) {
						r.n.namespaces++
						continue
					}
					err := r.c.apply(r.t.Context(), obj, false)
					if err != nil {
						sr.problems = append(sr.problems, objectProblem{obj, fmt.Sprintf("rejected: %v", err)})
						r.n.rejected++
						continue
					}
					applied[name] = string(data)
					r.n.namespaces++
					for _, w := range r.c.warnings.take() {
						if knownWarning(w) == "" {
							sr.problems = append(sr.problems, objectProblem{obj, "server warning: " + w})
							r.n.warnings++
						}
					}
				}
			}
			r.dryRuns(&crdBundle{key: b.key, about: b.about, specs: batch}, results, applied)
		}
	}
}

// platformKinds are kinds the charts render for a platform
// (spec.platform) whose CRDs the platform itself serves, with where they
// come from; the API server here has no schema to check them against.
var platformKinds = map[string]string{
	"NetworkAttachmentDefinition.k8s.cni.cncf.io": "OpenShift's Multus: the CNI chart renders istio-cni's attachment with platform openshift",
}

// namespaceBatches splits specs, in order, into batches in which no two
// specs render a Namespace of one name differently.
func namespaceBatches(specs []*specRender) [][]*specRender {
	var out [][]*specRender
	var batch []*specRender
	seen := map[string]string{}
	for _, sr := range specs {
		mine := map[string]string{}
		differs := false
		for _, obj := range sr.objects {
			if gvkOf(obj).Kind != "Namespace" {
				continue
			}
			data, _ := json.Marshal(obj)
			name := objectID(obj)
			mine[name] = string(data)
			if v, ok := seen[name]; ok && v != string(data) {
				differs = true
			}
		}
		if differs {
			out = append(out, batch)
			batch, seen = nil, map[string]string{}
		}
		batch = append(batch, sr)
		maps.Copy(seen, mine)
	}
	if len(batch) > 0 {
		out = append(out, batch)
	}
	return out
}

// install makes the bundle's schemas the installed ones: each CRD whose
// spec differs from the installed one's is applied for real, and waited
// for until the server serves it. Every other CRD object of the bundle
// (a schema the server accepted, with other metadata) is sent as a dry
// run, unless its metadata was seen before.
// A CRD whose stored versions the new one no longer serves (an older
// Gateway API release after a newer) cannot be updated: it is deleted and
// created again, as nothing is stored in it.
func (r *propertyRun) install(b *crdBundle, installed map[string]string, checked map[string]bool) {
	start := time.Now()
	defer func() { r.n.crdTime += time.Since(start) }()
	ctx := r.t.Context()
	var names []string
	var dry []map[string]any
	for _, crd := range b.crds {
		name := crd["metadata"].(map[string]any)["name"].(string)
		spec, _ := json.Marshal(crd["spec"])
		md, _ := json.Marshal(crd["metadata"])
		if installed[name] == string(spec) {
			// The schema is installed, and so accepted: the server has
			// yet to see this metadata of it.
			if !checked[string(md)] {
				checked[string(md)] = true
				dry = append(dry, crd)
			}
			continue
		}
		checked[string(md)] = true
		err := r.c.apply(ctx, crd, false)
		if err != nil && strings.Contains(err.Error(), "storedVersions") {
			r.n.crdReplaced++
			err = r.c.recreate(ctx, crd)
		}
		if err != nil {
			r.t.Fatalf("%s: CRD %s: %v", b.about, name, err)
		}
		r.c.warnings.take()
		r.n.crdApplies++
		installed[name] = string(spec)
		names = append(names, name)
	}
	if err := r.c.waitEstablished(ctx, names); err != nil {
		r.t.Fatalf("%s: %v", b.about, err)
	}
	for _, crd := range dry {
		if err := r.c.apply(ctx, crd, true); err != nil {
			r.t.Errorf("%s: CRD %s: %v", b.about, objectID(crd), err)
		}
		r.c.warnings.take()
		r.n.crdDryRuns++
	}
	for _, w := range r.workers {
		w.mapper.Reset()
	}
}

// recreate deletes a CRD, waits until it is gone, and creates it again.
func (c *cluster) recreate(ctx context.Context, crd map[string]any) error {
	name := crd["metadata"].(map[string]any)["name"].(string)
	ri := c.dyn.Resource(crdResource)
	if err := ri.Delete(ctx, name, metav1.DeleteOptions{}); err != nil {
		return fmt.Errorf("deleting: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	gone := func() error {
		if _, err := ri.Get(ctx, name, metav1.GetOptions{}); err == nil {
			return errors.New("still there")
		} else if !apierrors.IsNotFound(err) {
			return err
		}
		return nil
	}
	if err := poll(ctx, gone); err != nil {
		return fmt.Errorf("waiting for the deletion: %w", err)
	}
	return c.apply(ctx, crd, false)
}

// staticChecks records what a fresh cluster needs of a render and no
// single request to the server can tell.
func (r *propertyRun) staticChecks(sr *specRender, b *crdBundle) {
	rendered := map[string]bool{}
	seen := map[string]bool{}
	for _, obj := range sr.objects {
		if gvkOf(obj).Kind == "Namespace" {
			md, _ := obj["metadata"].(map[string]any)
			name, _ := md["name"].(string)
			rendered[name] = true
		}
	}
	add := func(obj map[string]any, format string, args ...any) {
		sr.problems = append(sr.problems, objectProblem{obj, fmt.Sprintf(format, args...)})
		r.n.static++
	}
	for _, obj := range sr.objects {
		id := objectID(obj)
		if seen[id] {
			add(obj, "rendered twice: %s", id)
		}
		seen[id] = true
	}
	for _, obj := range sr.objects {
		md, _ := obj["metadata"].(map[string]any)
		if ns, _ := md["namespace"].(string); ns != "" && !rendered[ns] && !systemNamespaces[ns] {
			add(obj, "its namespace %q is neither rendered nor one every cluster has", ns)
		}
		if kind := objectKind(obj); r.custom[kind] && !b.kinds[kind] && !r.certManager[kind] {
			add(obj, "no CRD the spec installs or declares present serves %s", kind)
		}
	}
}

// systemNamespaces are the namespaces every cluster has.
var systemNamespaces = map[string]bool{"default": true, "kube-system": true, "kube-public": true, "kube-node-lease": true}

// dryRun is the server's answer to one dry run.
type dryRun struct {
	err      error
	warnings []string
}

// dryRuns sends every object of the bundle's specs but Namespaces as a
// dry run, once for each distinct object: the same object under the same
// CRDs gets the same answer.
func (r *propertyRun) dryRuns(b *crdBundle, results map[string]*dryRun, namespaces map[string]string) {
	start := time.Now()
	defer func() { r.n.dryRunTime += time.Since(start) }()
	// An object's result holds for the same schemas and the same Namespace
	// object it is admitted into.
	keyOf := func(obj map[string]any) string {
		data, _ := json.Marshal(obj)
		md, _ := obj["metadata"].(map[string]any)
		ns, _ := md["namespace"].(string)
		return b.key + "\x00" + namespaces["/Namespace//"+ns] + "\x00" + string(data)
	}
	var todo []map[string]any
	queued := map[string]bool{}
	for _, sr := range b.specs {
		for _, obj := range sr.objects {
			if gvkOf(obj).Kind == "Namespace" {
				continue
			}
			if k := keyOf(obj); results[k] == nil && !queued[k] {
				queued[k] = true
				todo = append(todo, obj)
			}
		}
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	jobs := make(chan map[string]any)
	for _, w := range r.workers {
		wg.Go(func() {
			for obj := range jobs {
				err := w.apply(r.t.Context(), obj, true)
				res := &dryRun{err: err, warnings: w.warnings.take()}
				mu.Lock()
				results[keyOf(obj)] = res
				mu.Unlock()
			}
		})
	}
	for _, obj := range todo {
		jobs <- obj
	}
	close(jobs)
	wg.Wait()
	r.n.dryRuns += len(todo)
	for _, sr := range b.specs {
		for _, obj := range sr.objects {
			if gvkOf(obj).Kind == "Namespace" {
				continue
			}
			r.n.objects++
			res := results[keyOf(obj)]
			switch {
			case errors.Is(res.err, errUnverifiable) && platformKinds[gvkOf(obj).GroupKind().String()] != "":
				r.n.platform++
			case errors.Is(res.err, errUnverifiable):
				sr.problems = append(sr.problems, objectProblem{obj, res.err.Error()})
				r.n.rejected++
			case res.err != nil:
				sr.problems = append(sr.problems, objectProblem{obj, fmt.Sprintf("rejected: %v", res.err)})
				r.n.rejected++
			default:
				r.n.accepted++
			}
			for _, w := range res.warnings {
				if knownWarning(w) == "" {
					sr.problems = append(sr.problems, objectProblem{obj, "server warning: " + w})
					r.n.warnings++
				}
			}
		}
	}
}

// propertyFailures turns the problems of the run's renders into failures,
// in spec order.
func (r *propertyRun) propertyFailures() []renderFailure {
	out := slices.Clone(r.failures)
	for _, b := range r.bundles {
		for _, sr := range b.specs {
			if len(sr.problems) == 0 {
				continue
			}
			first := sr.problems[0]
			data, _ := yaml.Marshal(first.object)
			what := fmt.Sprintf("%d of its objects fail; the first, %s: %s", len(sr.problems), objectID(first.object), first.problem)
			if len(sr.problems) > 1 {
				var more []string
				for _, p := range sr.problems[1:min(len(sr.problems), 6)] {
					more = append(more, objectID(p.object)+": "+p.problem)
				}
				what += "\nothers:\n  " + strings.Join(more, "\n  ")
			}
			out = append(out, renderFailure{seed: r.seed, spec: sr.gs, what: what, object: data})
		}
	}
	slices.SortFunc(out, func(a, b renderFailure) int { return a.spec.index - b.spec.index })
	return out
}

// maxReported is how many failures a run prints in full.
const maxReported = 10

// report logs what the run did and fails the test with every failure.
func (r *propertyRun) report() {
	t := r.t
	n := r.n
	rendered := 0
	for _, b := range r.bundles {
		rendered += len(b.specs)
	}
	failures := r.propertyFailures()
	t.Logf("seed %d: %d specs generated, %d discarded by mesh.Load, %d rendered (%s); %d CRD bundles: %d CRDs applied (%d recreated), %d more checked by dry run (%s); %d objects: %d namespaces applied, %d accepted by %d dry runs (%s), %d rejected, %d warnings, %d of a platform's kinds unchecked, %d failed the render checks; %d specs failed",
		r.seed, r.specs, r.refused.total(), rendered, n.renderTime.Round(time.Millisecond), len(r.bundles), n.crdApplies, n.crdReplaced, n.crdDryRuns, n.crdTime.Round(time.Millisecond),
		n.objects, n.namespaces, n.accepted, n.dryRuns, n.dryRunTime.Round(time.Millisecond), n.rejected, n.warnings, n.platform, n.static, len(failures))
	t.Logf("refused by mesh.Load, by the field of the first problem:%s", r.refused)
	for i, f := range failures {
		if i == maxReported {
			t.Errorf("... and %d more failing specs (list them with -property-spec)", len(failures)-maxReported)
			break
		}
		t.Error(f)
	}
	if rendered == 0 || n.accepted == 0 {
		t.Fatal("nothing was checked")
	}
}
