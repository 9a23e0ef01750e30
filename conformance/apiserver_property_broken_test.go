//go:build conformance

package conformance_test

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/runtime"
)

// brokenPropertySpecs is how many generated specs the broken-render test
// breaks.
const brokenPropertySpecs = 12

// TestAPIServerPropertyDetectsBrokenRenders proves the property against
// the API server can fail: the renders of generated specs, each broken
// twice after rendering (its first Service given a port number no Service
// takes, its first object rendered again), must each fail, with the
// server's rejection and the duplicate both reported.
func TestAPIServerPropertyDetectsBrokenRenders(t *testing.T) {
	run := newPropertyRun(t, *propertySeed)
	services := 0
	specs := make([]int, brokenPropertySpecs)
	for i := range specs {
		specs[i] = i
	}
	run.generate(specs, func(objs []map[string]any) []map[string]any {
		for _, obj := range objs {
			if gvkOf(obj).Kind != "Service" {
				continue
			}
			ports, _ := spec(obj)["ports"].([]any)
			if len(ports) == 0 {
				continue
			}
			ports[0].(map[string]any)["port"] = int64(70000)
			services++
			break
		}
		return append(objs, runtime.DeepCopyJSON(objs[0]))
	})
	run.apply()
	rendered := 0
	for _, b := range run.bundles {
		rendered += len(b.specs)
	}
	if rendered == 0 || services == 0 {
		t.Fatalf("%d specs rendered, %d with a Service: nothing was broken", rendered, services)
	}
	failures := run.propertyFailures()
	if len(failures) != rendered {
		t.Errorf("%d of %d broken renders failed, want all", len(failures), rendered)
	}
	if run.n.rejected < services {
		t.Errorf("the server rejected %d objects, want at least the %d broken Services", run.n.rejected, services)
	}
	if run.n.static < rendered {
		t.Errorf("%d objects failed the render checks, want at least the %d duplicates", run.n.static, rendered)
	}
	for _, f := range failures {
		text := f.String()
		if !strings.Contains(text, "rendered twice") {
			t.Errorf("spec %d: the duplicate object is not reported:\n%s", f.spec.index, text)
		}
	}
	var all strings.Builder
	for _, f := range failures {
		all.WriteString(f.String())
	}
	if !strings.Contains(all.String(), "70000") {
		t.Errorf("no failure names the broken port 70000:\n%s", all.String())
	}
	t.Logf("%d broken renders: %d failed, %d objects rejected by the server, %d failed the render checks", rendered, len(failures), run.n.rejected, run.n.static)
}
