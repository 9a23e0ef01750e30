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
// process environment: each case runs this test again, in this test
// binary, with that environment and ISTIO_RENDER_PROOF_CASE naming the
// case, which proveCase then proves.
func TestProof(t *testing.T) {
	if name := os.Getenv(caseEnv); name != "" {
		proveCase(t, name)
		return
	}
	var n, proxies, properties int
	for _, tc := range cases(t) {
		t.Run(tc.name, func(t *testing.T) {
			for _, l := range runChild(t, tc, "TestProof", caseEnv) {
				var p, q int
				if _, err := fmt.Sscanf(l, tallyMark+" proxies=%d properties=%d", &p, &q); err == nil {
					n, proxies, properties = n+1, proxies+p, properties+q
				}
			}
		})
	}
	t.Logf("%d cases proven: %d proxies, %d properties checked", n, proxies, properties)
}

// runChild runs one test of this binary again in a process whose
// environment holds the case's rendered istiod's feature flags (and none
// of the parent's own Istio variables), with envName set to the case's
// name, and logs the child's lines, which it returns. The child's
// failure fails t.
func runChild(t *testing.T, tc testCase, test, envName string) []string {
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
	var lines []string
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(strings.TrimLeft(l, " "), "--- ") || strings.HasPrefix(l, "    ") {
			l = childLine.ReplaceAllString(strings.TrimSpace(l), "")
			t.Log(l)
			lines = append(lines, l)
		}
	}
	if err != nil {
		t.Errorf("%s for %s failed (%v); the lines above are its findings", test, tc.name, err)
	}
	return lines
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
	// proxies is the number of proxies checked, tally the properties.
	proxies int
	tally   tally
}

// prove runs the three steps over one rendered case.
func prove(t *testing.T, b *bundle) findings {
	var f findings
	t0 := time.Now()
	w := newWorld(t, b)
	ds := istiods(t, w)
	if len(ds) == 0 {
		if !b.spec.IsRemote() {
			t.Fatalf("%s renders no istiod and is not a remote cluster", b.name)
		}
		// A remote cluster's pods are injected and configured by the
		// primary's istiod; its own render is proven to lead there.
		f.inject = checkRemote(t, w)
		msgs := analyze(t, w, clusterObjects(t, w, nil), "")
		w.tally.add("analyzers: every message known, none an error")
		f.notes = append(f.notes, messageLines(msgs)...)
		f.notes = append(f.notes, "remote cluster: no istiod runs here; the primary's istiod injects and configures its proxies")
		f.analyze = analyzerFindings(b.spec, msgs)
		f.proxies, f.tally = w.proxies, w.tally
		return f
	}
	f.inject = deployGateways(t, w, ds)
	pods := admitAll(t, w, newAdmission(t, w, ds))
	f.notes = append(f.notes, injectionSummary(pods)...)
	f.inject = append(f.inject, checkInjection(w, pods)...)
	f.inject = append(f.inject, checkGatewayWorkloads(t, w)...)
	t1 := time.Now()
	msgs := analyze(t, w, clusterObjects(t, w, pods), mainIstiod(ds, b.spec).meshYAML)
	w.tally.add("analyzers: every message known, none an error")
	f.notes = append(f.notes, messageLines(msgs)...)
	f.analyze = analyzerFindings(b.spec, msgs)
	t2 := time.Now()
	f.configgen = proveConfigGen(t, w, ds, pods)
	t3 := time.Now()
	f.notes = append(f.notes, fmt.Sprintf("timing: inject %v, analyze %v, configgen %v",
		t1.Sub(t0).Round(time.Millisecond), t2.Sub(t1).Round(time.Millisecond), t3.Sub(t2).Round(time.Millisecond)))
	f.proxies, f.tally = w.proxies, w.tally
	return f
}

// proveCase is one case's proof, in the child process TestProof starts
// with the rendered istiod's feature flags in its environment. Findings
// that knownDefects lists are logged; every other finding fails t.
func proveCase(t *testing.T, name string) {
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
	var counts []string
	for _, k := range sortedKeys(f.tally) {
		counts = append(counts, fmt.Sprintf("%s %d", k, f.tally[k]))
	}
	t.Logf("checked: %s", strings.Join(counts, "; "))
	t.Logf("%s proxies=%d properties=%d", tallyMark, f.proxies, f.tally.total())
	t.Logf("proof took %v", time.Since(start).Round(time.Millisecond))
}

// tallyMark starts the line a child writes with its counts, which
// TestProof adds up.
const tallyMark = "proof-tally"
