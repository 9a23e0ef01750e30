package behaviour_test

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"

	"istio.io/istio/pkg/env"
	istiolog "istio.io/istio/pkg/log"
)

// caseEnv names the case a child process proves.
const caseEnv = "ISTIO_RENDER_PROOF_CASE"

func TestMain(m *testing.M) {
	// Istio's packages log at info to stderr; keep errors only.
	for _, s := range istiolog.Scopes() {
		s.SetOutputLevel(istiolog.ErrorLevel)
	}
	os.Exit(m.Run())
}

// TestProof proves every case in a process of its own. istiod reads its
// feature flags (PILOT_ENABLE_AMBIENT, PILOT_TRACE_SAMPLING,
// ENABLE_NATIVE_SIDECARS, ...) from the environment once, when its
// packages initialize, so the rendered istiod's environment must be the
// process environment: each case runs this test binary again with it,
// for TestProofCase.
func TestProof(t *testing.T) {
	if os.Getenv(caseEnv) != "" {
		t.Skip("running as a child of TestProof")
	}
	for _, tc := range cases(t) {
		t.Run(tc.name, func(t *testing.T) {
			runChild(t, tc, "TestProofCase", caseEnv)
		})
	}
}

// runChild runs one test of this binary again in a process whose
// environment holds the case's rendered istiod's feature flags (and none
// of the parent's own Istio variables), with envName set to the case's
// name, and logs the child's lines. The child's failure fails t.
func runChild(t *testing.T, tc testCase, test, envName string) {
	t.Helper()
	flags, err := istiodFlags(t, renderCase(t, tc))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.v", "-test.count=1")
	registered := istioVariables()
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); !registered[k] {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, envName+"="+tc.name)
	for _, k := range sortedKeys(flags) {
		cmd.Env = append(cmd.Env, k+"="+flags[k])
	}
	start := time.Now()
	out, err := cmd.CombinedOutput()
	t.Logf("istiod environment %v; child ran %.1fs", flags, time.Since(start).Seconds())
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(strings.TrimLeft(l, " "), "--- ") || strings.HasPrefix(l, "    ") {
			t.Log(childLine.ReplaceAllString(strings.TrimSpace(l), ""))
		}
	}
	if err != nil {
		t.Errorf("%s for %s failed (%v); the lines above are its findings", test, tc.name, err)
	}
}

// childLine is the file:line prefix of a child's log line.
var childLine = regexp.MustCompile(`^[a-z_]+\.go:\d+: `)

// istioVariables are the environment variables Istio's packages register.
func istioVariables() map[string]bool {
	out := map[string]bool{}
	for _, v := range env.VarDescriptions() {
		out[v.Name] = true
	}
	return out
}

// istiodFlags is the literal environment of the rendered istiod
// containers, limited to the variables Istio registers (its feature
// flags), without the ones the proof passes explicitly. Every istiod of
// a case must agree, because one process holds one set of flags.
func istiodFlags(t testing.TB, b *bundle) (map[string]string, error) {
	registered := istioVariables()
	skip := map[string]bool{"REVISION": true, "CLUSTER_ID": true, "POD_NAME": true, "POD_NAMESPACE": true}
	var flags map[string]string
	var first string
	for _, o := range b.ofKind("Deployment") {
		d := &appsv1.Deployment{}
		fromUnstructured(t, o, d)
		for _, c := range d.Spec.Template.Spec.Containers {
			if c.Name != "discovery" {
				continue
			}
			got := map[string]string{}
			for _, e := range c.Env {
				if e.ValueFrom == nil && registered[e.Name] && !skip[e.Name] {
					got[e.Name] = e.Value
				}
			}
			if flags == nil {
				flags, first = got, d.Name
				continue
			}
			if diff := diffFlags(flags, got); diff != "" {
				return nil, fmt.Errorf("istiod %s and %s set different feature flags (%s); one process cannot run both", first, d.Name, diff)
			}
		}
	}
	return flags, nil
}

// diffFlags names the variables two environments set differently.
func diffFlags(a, b map[string]string) string {
	var out []string
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			out = append(out, k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// findings are what one case's proof found, per step.
type findings struct {
	inject, analyze, configgen []string
	// notes are informational lines: every proxy, every analyzer
	// message, the time each step took.
	notes []string
}

// prove runs the three steps over one rendered case.
func prove(t *testing.T, b *bundle) findings {
	var f findings
	t0 := time.Now()
	w := newWorld(t, b)
	ds := istiods(t, w)
	f.inject = deployGateways(t, w, ds)
	pods := admitAll(t, w, newAdmission(t, w, ds))
	f.notes = append(f.notes, injectionSummary(pods)...)
	f.inject = append(f.inject, checkInjection(b.spec, pods)...)
	f.inject = append(f.inject, checkGatewayWorkloads(t, w)...)
	t1 := time.Now()
	msgs := analyze(t, w, clusterObjects(t, w, pods), mainIstiod(ds, b.spec).meshYAML)
	f.notes = append(f.notes, messageLines(msgs)...)
	f.analyze = analyzerFindings(b.spec, msgs)
	t2 := time.Now()
	f.configgen = proveConfigGen(t, w, ds, pods)
	t3 := time.Now()
	f.notes = append(f.notes, fmt.Sprintf("timing: inject %v, analyze %v, configgen %v",
		t1.Sub(t0).Round(time.Millisecond), t2.Sub(t1).Round(time.Millisecond), t3.Sub(t2).Round(time.Millisecond)))
	return f
}

// TestProofCase is one case's proof, run by TestProof in a child process
// whose environment holds the rendered istiod's feature flags. Run on its
// own, without ISTIO_RENDER_PROOF_CASE, it has nothing to prove.
func TestProofCase(t *testing.T) {
	name := os.Getenv(caseEnv)
	if name == "" {
		t.Skip("run by TestProof with " + caseEnv + " set")
	}
	start := time.Now()
	b := renderCase(t, caseNamed(t, name))
	t.Logf("timing: render %v", time.Since(start).Round(time.Millisecond))
	f := prove(t, b)
	for _, l := range f.notes {
		t.Log(l)
	}
	for _, step := range []struct {
		name     string
		problems []string
	}{{"inject", f.inject}, {"analyze", f.analyze}, {"configgen", f.configgen}} {
		known, rest, missing := splitKnown(name, step.name, step.problems)
		for _, p := range known {
			t.Logf("%s: known defect of the render (knownDefects): %s", step.name, p)
		}
		for _, p := range rest {
			t.Errorf("%s: %s", step.name, p)
		}
		for _, p := range missing {
			t.Errorf("%s: the known defect %q is no longer found: remove it from knownDefects", step.name, p)
		}
	}
	t.Logf("proof took %v", time.Since(start).Round(time.Millisecond))
}
