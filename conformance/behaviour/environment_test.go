package behaviour_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// TestWaypointsNeedIstiodEnvironment shows why every case runs in a
// process of its own: proven in this process, which lacks the rendered
// istiod's PILOT_ENABLE_AMBIENT, istiod's code knows no waypoint class,
// and the waypoints TestProof proves are not even deployed.
func TestWaypointsNeedIstiodEnvironment(t *testing.T) {
	if v, ok := os.LookupEnv("PILOT_ENABLE_AMBIENT"); ok {
		t.Fatalf("run without PILOT_ENABLE_AMBIENT (set to %q)", v)
	}
	f := prove(t, renderCase(t, caseNamed(t, "ambient-waypoints")))
	const want = "waypoint payments/payments-waypoint: no waypoint proxy to generate configuration for"
	if grep(f.configgen, want) == "" {
		t.Errorf("proven in-process, ambient-waypoints did not report %q; findings:\n%s", want, strings.Join(f.configgen, "\n"))
	}
}

// TestOfflineAnalyzeMissesBrokenGateway shows why the proof gives the
// analyzers Pods, Services and Namespaces: analyzed the way `istioctl
// analyze -f` reads files, a Gateway whose selector matches no pod
// passes, because every analyzer that needs pods is skipped.
func TestOfflineAnalyzeMissesBrokenGateway(t *testing.T) {
	b := renderCase(t, caseNamed(t, "seed-greenfield")).clone()
	editGroup(t, b, "networking.istio.io", "Gateway", "istio-system", "external-gateway", func(u *unstructured.Unstructured) {
		set(t, u, "ingressgateway-typo", "spec", "selector", "istio")
	})
	w := newWorld(t, b)
	ds := istiods(t, w)
	pods := admitAll(t, w, newAdmission(t, w, ds))
	objs := withoutSchemas(clusterObjects(t, w, pods))
	meshYAML := mainIstiod(ds, b.spec).meshYAML
	const want = "[IST0101] (Gateway istio-system/external-gateway"

	offline, skipped := analyzeWith(t, w, objs, meshYAML, offlineFiles)
	if hit := grep(messageLines(offline), want); hit != "" {
		t.Errorf("offline analysis reported the broken Gateway after all: %s", hit)
	}
	if !slices.Contains(skipped, "gateway.IngressGatewayPortAnalyzer") {
		t.Errorf("offline analysis ran the gateway port analyzer; skipped: %v", skipped)
	}
	t.Logf("offline analysis skipped %d analyzers: %v", len(skipped), skipped)

	full, skipped := analyzeWith(t, w, objs, meshYAML, inCluster)
	if grep(messageLines(full), want) == "" || len(skipped) > 0 {
		t.Errorf("the proof's analysis missed the broken Gateway (skipped %v):\n%s", skipped, strings.Join(messageLines(full), "\n"))
	}
}

// origin is where in the analyzers' input a message's object starts.
var origin = regexp.MustCompile(`\.yaml:\d+\)`)

// withoutOrigin removes the line numbers from messages: the input is
// shorter without the schemas.
func withoutOrigin(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = origin.ReplaceAllString(l, ".yaml)")
	}
	return out
}

// TestStrippedSchemasKeepMessages holds the analyzers to the same
// messages whether the CRDs in their input carry their OpenAPI schemas
// or not, on every case and on a Gateway API CRD of a release below
// istiod's minimum (which an analyzer of CRDs reports), and logs what
// stripping saves.
func TestStrippedSchemasKeepMessages(t *testing.T) {
	type test struct {
		name, from string
		breakIt    func(t *testing.T, b *bundle)
	}
	var tests []test
	for _, c := range cases(t) {
		tests = append(tests, test{name: c.name, from: c.name})
	}
	tests = append(tests,
		test{
			name: "a Gateway API CRD below istiod's minimum", from: "gateway-api-ingress",
			breakIt: func(t *testing.T, b *bundle) {
				edit(t, b, "CustomResourceDefinition", "", "tlsroutes.gateway.networking.k8s.io", func(u *unstructured.Unstructured) {
					set(t, u, "v1.0.0", "metadata", "annotations", "gateway.networking.k8s.io/bundle-version")
				})
			},
		})
	var withSchemas, stripped time.Duration
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := renderCase(t, caseNamed(t, tc.from)).clone()
			if tc.breakIt != nil {
				tc.breakIt(t, b)
			}
			w := newWorld(t, b)
			ds := istiods(t, w)
			var pods []admitted
			meshYAML := ""
			if len(ds) > 0 { // a remote cluster runs none
				pods = admitAll(t, w, newAdmission(t, w, ds))
				meshYAML = mainIstiod(ds, b.spec).meshYAML
			}
			objs := clusterObjects(t, w, pods)
			start := time.Now()
			whole, _ := analyzeWith(t, w, objs, meshYAML, inCluster)
			mid := time.Now()
			lean, _ := analyzeWith(t, w, withoutSchemas(objs), meshYAML, inCluster)
			end := time.Now()
			if diff := cmp.Diff(withoutOrigin(messageLines(whole)), withoutOrigin(messageLines(lean))); diff != "" {
				t.Errorf("messages differ without the CRDs' schemas (-whole +stripped):\n%s", diff)
			}
			t.Logf("%d messages; analyzers took %v with the CRDs' schemas, %v without",
				len(whole), mid.Sub(start).Round(time.Millisecond), end.Sub(mid).Round(time.Millisecond))
			withSchemas, stripped = withSchemas+mid.Sub(start), stripped+end.Sub(mid)
		})
	}
	t.Logf("%d inputs: analyzers took %v with the CRDs' schemas, %v without",
		len(tests), withSchemas.Round(time.Millisecond), stripped.Round(time.Millisecond))
}
