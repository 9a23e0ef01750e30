//go:build conformance

package conformance_test

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/istio-render/istio-render/mesh"
)

var (
	apiserverURL    = flag.String("apiserver", "", "URL of the kube-apiserver under test")
	tokenFile       = flag.String("token-file", "", "file holding a bearer token with cluster-admin rights")
	caFile          = flag.String("ca-file", "", "CA bundle of the API server's serving certificate")
	certManagerCRDs = flag.String("cert-manager-crds", "", "directory of cert-manager's CRD manifests")
	kubeVersion     = flag.String("kube-version", "", "version the API server must report, e.g. v1.36.3")
)

// tally counts what happened to the objects of a run.
type tally struct {
	objects, applied, accepted, rejected, unverifiable, warnings int
}

func (a *tally) add(b tally) {
	a.objects += b.objects
	a.applied += b.applied
	a.accepted += b.accepted
	a.rejected += b.rejected
	a.unverifiable += b.unverifiable
	a.warnings += b.warnings
}

// TestAPIServerAcceptsGoldens applies every object of every golden case:
// namespaces and CRDs for real, everything else as a server-side dry-run
// apply with strict field validation. Nothing may be rejected, no kind may
// be unknown to the server, and the server may send no warning but
// knownWarnings. A case that declares the Gateway API CRDs present gets
// them from the Gateway API module first; a case that renders them
// applies its own.
func TestAPIServerAcceptsGoldens(t *testing.T) {
	c := connect(t)
	ctx := t.Context()
	version, err := c.serverVersion()
	if err != nil {
		t.Fatalf("server version: %v", err)
	}
	if *kubeVersion != "" && version != *kubeVersion {
		t.Fatalf("server reports %s, want %s", version, *kubeVersion)
	}
	applyCRDs(t, c, certManager(t))
	var total tally
	cases := goldenCases(t)
	for _, gc := range cases {
		t.Run(gc.name, func(t *testing.T) {
			if g := gc.spec(t).Spec.GatewayAPI; g.CRDs == mesh.GatewayAPICRDsPresent {
				// The case relies on CRDs someone else installs: install
				// the release it declares, as that someone would.
				applyCRDs(t, c, gatewayAPICRDs(t, g.Version, g.Channel))
			}
			n := applyCase(ctx, t, c, gc.expected(t))
			t.Logf("%d objects: %d applied, %d accepted by dry run, %d rejected, %d unverifiable, %d warnings",
				n.objects, n.applied, n.accepted, n.rejected, n.unverifiable, n.warnings)
			total.add(n)
		})
	}
	t.Logf("kube-apiserver %s, %d golden cases, %d objects: %d applied, %d accepted by dry run, %d rejected, %d unverifiable, %d warnings",
		version, len(cases), total.objects, total.applied, total.accepted, total.rejected, total.unverifiable, total.warnings)
	if total.objects == 0 || total.accepted == 0 {
		t.Fatal("nothing was checked")
	}
}

// knownWarnings are the only server warnings a golden object may draw,
// each with its reason; any other warning fails the run. There are none:
// render turns off the CNI chart's deprecated AppArmor annotation for
// Kubernetes 1.30 and later.
var knownWarnings []struct{ text, reason string }

// knownWarning returns why a warning is expected; "" when it is not.
func knownWarning(text string) string {
	for _, k := range knownWarnings {
		if k.text == text {
			return k.reason
		}
	}
	return ""
}

// applyCase applies one case in three steps: its namespaces, its CRDs
// (waiting until they are served), then every other object as a dry run.
func applyCase(ctx context.Context, t *testing.T, c *cluster, objs []map[string]any) tally {
	t.Helper()
	var n tally
	step := func(keep func(kind string) bool, dryRun bool) []string {
		var names []string
		for _, obj := range objs {
			kind := gvkOf(obj).Kind
			if !keep(kind) {
				continue
			}
			n.objects++
			err := c.apply(ctx, obj, dryRun)
			for _, w := range c.warnings.take() {
				n.warnings++
				if reason := knownWarning(w); reason != "" {
					t.Logf("%s: known server warning: %s (%s)", objectID(obj), w, reason)
					continue
				}
				t.Errorf("%s: server warning: %s", objectID(obj), w)
			}
			switch {
			case errors.Is(err, errUnverifiable):
				n.unverifiable++
				t.Errorf("%s: %v", objectID(obj), err)
			case err != nil:
				n.rejected++
				t.Errorf("%s: rejected: %v", objectID(obj), err)
			case dryRun:
				n.accepted++
			default:
				n.applied++
				md, _ := obj["metadata"].(map[string]any)
				name, _ := md["name"].(string)
				names = append(names, name)
			}
		}
		return names
	}
	step(func(k string) bool { return k == "Namespace" }, false)
	crds := step(func(k string) bool { return k == "CustomResourceDefinition" }, false)
	if err := c.waitEstablished(ctx, crds); err != nil {
		t.Fatalf("CRDs: %v", err)
	}
	step(func(k string) bool { return k != "Namespace" && k != "CustomResourceDefinition" }, true)
	return n
}

// applyCRDs applies CRDs for real and waits until they are served.
func applyCRDs(t *testing.T, c *cluster, crds []map[string]any) {
	t.Helper()
	var names []string
	for _, crd := range crds {
		if err := c.apply(t.Context(), crd, false); err != nil {
			t.Fatalf("%s: %v", objectID(crd), err)
		}
		c.warnings.take()
		md, _ := crd["metadata"].(map[string]any)
		name, _ := md["name"].(string)
		names = append(names, name)
	}
	if err := c.waitEstablished(t.Context(), names); err != nil {
		t.Fatal(err)
	}
}

// certManager parses cert-manager's CRDs from -cert-manager-crds.
func certManager(t *testing.T) []map[string]any {
	t.Helper()
	if *certManagerCRDs == "" {
		t.Fatal("-cert-manager-crds is required: run make conformance")
	}
	files, err := filepath.Glob(filepath.Join(*certManagerCRDs, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	var out []map[string]any
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		objs, err := parseStream(data)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, o := range objs {
			if gvkOf(o).Kind == "CustomResourceDefinition" {
				out = append(out, o)
			}
		}
	}
	for _, o := range out {
		if objectID(o) == "apiextensions.k8s.io/CustomResourceDefinition//certificates.cert-manager.io" {
			return out
		}
	}
	t.Fatalf("no Certificate CRD in %s", *certManagerCRDs)
	return nil
}
