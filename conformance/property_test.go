package conformance_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/istio-render/istio-render/internal/testcharts"
	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// The property: every spec validation accepts renders, deterministically,
// and (with the conformance tag, apiserver_property_test.go) every object
// it renders is accepted by a real API server. Specs come from the
// generator (specgen_test.go).

var (
	propertySeed  = flag.Uint64("property-seed", defaultPropertySeed, "seed of the generated specs")
	propertyCount = flag.Int("property-count", 0, "how many specs to generate; 0: 40 offline, 300 against the API server")
	propertyOnly  = flag.Int("property-spec", -1, "generate only this spec of the seed (its index), to reproduce a failure")
)

// defaultPropertySeed is the seed of every CI run, so that a run is
// reproducible; -property-seed explores others.
const defaultPropertySeed = 20260901

// otherLineVersion is the version the generator gives a revision rendered
// from the 1.30 charts (testcharts.Istio130Ref).
const otherLineVersion = "1.30.4"

// propertyConfig is what the generator may use: the 1.30 charts, the
// Kubernetes versions whose objects the API server under test (1.36)
// serves without warnings (from 1.31, the oldest the Gateway API's CEL
// rules compile on), and Gateway API releases from v1.1.0 (the oldest the
// module proxy serves of those Istio reads) to a patch release newer than
// the one render embeds (v1.7.0 needs a newer Go to download).
var propertyConfig = genConfig{
	otherLineRef:      testcharts.Istio130Ref,
	otherLineVersion:  otherLineVersion,
	kubeMinors:        [2]int{31, 36},
	gatewayAPIPresent: []string{"v1.1.0", "v1.3.0", "v1.5.1", mesh.DefaultGatewayAPIVersion, "v1.6.3"},
}

// propertySpecs are the indexes of the specs a run generates.
func propertySpecs(defaultCount int) []int {
	if *propertyOnly >= 0 {
		return []int{*propertyOnly}
	}
	n := *propertyCount
	if n <= 0 {
		n = defaultCount
	}
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// generated is one generated spec as written, and loaded.
type generated struct {
	index int
	yaml  []byte
	spec  *mesh.Resolved
}

// discards counts the specs validation refused, by the field of their
// first problem with list indexes removed, and keeps the first spec and
// error of each reason as an example.
type discards map[string]*discard

// discard is one reason to refuse specs.
type discard struct {
	count   int
	example int
	err     string
}

// add records why spec i was refused.
func (dc discards) add(i int, err error) {
	reason := err.Error()
	var ve *mesh.ValidationError
	var ce *render.ChartError
	switch {
	case errors.As(err, &ve) && len(ve.Errors) > 0:
		reason = indexes.ReplaceAllString(ve.Errors[0].Field, "[]")
	case errors.As(err, &ce):
		reason = indexes.ReplaceAllString(ce.Field, "[]") + " (chart)"
	}
	if dc[reason] == nil {
		msg := err.Error()
		if len(msg) > 400 {
			msg = msg[:400] + "..."
		}
		dc[reason] = &discard{example: i, err: msg}
	}
	dc[reason].count++
}

var indexes = regexp.MustCompile(`\[[^\]]*\]`)

// total is the number of refused specs.
func (dc discards) total() int {
	n := 0
	for _, v := range dc {
		n += v.count
	}
	return n
}

// String lists the reasons, most frequent first.
func (dc discards) String() string {
	keys := slices.SortedFunc(maps.Keys(dc), func(a, b string) int {
		if dc[a].count != dc[b].count {
			return dc[b].count - dc[a].count
		}
		return strings.Compare(a, b)
	})
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "\n  %4d %s (e.g. spec %d: %s)", dc[k].count, k, dc[k].example, dc[k].err)
	}
	return b.String()
}

// generate writes and loads spec i of the seed; ok is false when
// validation refused it (recorded in dc).
func generate(t testing.TB, g *gen, seed uint64, i int, dc discards) (generated, bool) {
	t.Helper()
	m := g.spec(seed, i)
	data, err := specYAML(m)
	if err != nil {
		t.Fatalf("%s: writing it: %v", describe(seed, i), err)
	}
	loaded, _, err := mesh.Load(data)
	if err != nil {
		dc.add(i, err)
		return generated{}, false
	}
	return generated{index: i, yaml: data, spec: loaded}, true
}

// renderFailure is a property failure: a spec, what went wrong, and the
// object it went wrong with, if any.
type renderFailure struct {
	seed   uint64
	spec   generated
	what   string
	object []byte
}

// String says how to reproduce the failure and shows the spec.
func (f renderFailure) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\nreproduce: -property-seed %d -property-spec %d, or render the spec below\n--- spec\n%s",
		describe(f.seed, f.spec.index), f.what, f.seed, f.spec.index, f.spec.yaml)
	if len(f.object) > 0 {
		fmt.Fprintf(&b, "--- object\n%s", f.object)
	}
	return b.String()
}

// renderHook changes a render's result before the property checks it;
// nil changes nothing. Only the tests that show a check fail on broken
// output set one.
type renderHook func(round int, m *render.Manifest)

// renderProblem says what kind of render error a spec validation
// accepted ran into. Every kind is a failure: a check of the rendered
// objects that refuses what mesh.Load accepted is either wrong, or a check
// the spec's validation lacks (and then names the component, not a spec
// field, when no spec field explains it).
func renderProblem(err error) string {
	var ce *render.ChartError
	var ve *mesh.ValidationError
	switch {
	case errors.As(err, &ce):
		return "mesh.Load accepted the spec, but a chart fails to render it"
	case errors.As(err, &ve):
		return "mesh.Load accepted the spec, but the checks on its rendered objects refuse it"
	}
	return "mesh.Load accepted the spec, but it does not render"
}

// renderChecked renders a generated spec twice, each from nothing, and
// returns the first render. A render error, or two renders that differ,
// is a failure.
func renderChecked(ctx context.Context, seed uint64, gs generated, opts render.Options, hook renderHook) (*render.Manifest, *renderFailure) {
	var first []byte
	var out *render.Manifest
	for round := range 2 {
		m, err := render.Render(ctx, gs.spec, opts)
		if err != nil {
			return nil, &renderFailure{seed: seed, spec: gs, what: fmt.Sprintf("%s: %v", renderProblem(err), err)}
		}
		if hook != nil {
			hook(round, m)
		}
		data := m.Bytes()
		if round == 0 {
			first, out = data, m
			continue
		}
		if !bytes.Equal(first, data) {
			return nil, &renderFailure{seed: seed, spec: gs, what: "two renders of the spec differ", object: firstDifference(first, data)}
		}
	}
	return out, nil
}

// firstDifference shows the first line where two renders differ.
func firstDifference(a, b []byte) []byte {
	la, lb := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	for i := 0; i < len(la) && i < len(lb); i++ {
		if !bytes.Equal(la[i], lb[i]) {
			return fmt.Appendf(nil, "line %d:\n- %s\n+ %s\n", i+1, la[i], lb[i])
		}
	}
	return fmt.Appendf(nil, "one render has %d lines, the other %d\n", len(la), len(lb))
}

// offlineResult is what an offline run found.
type offlineResult struct {
	failures []renderFailure
	// refused counts the specs mesh.Load refused, by reason.
	refused  discards
	rendered int
}

// offlineRun generates and renders the specs of a run without an API
// server.
func offlineRun(t *testing.T, seed uint64, specs []int, hook renderHook) offlineResult {
	t.Helper()
	g := newGen(t, propertyConfig)
	opts := render.Options{RevisionCharts: testcharts.Resolver(t)}
	res := offlineResult{refused: discards{}}
	for _, i := range specs {
		gs, ok := generate(t, g, seed, i, res.refused)
		if !ok {
			continue
		}
		if _, f := renderChecked(t.Context(), seed, gs, opts, hook); f != nil {
			res.failures = append(res.failures, *f)
			continue
		}
		res.rendered++
	}
	return res
}

// TestGeneratedSpecsRender is the property without an API server, in
// every go test: generated specs that validation accepts render, twice
// the same.
func TestGeneratedSpecsRender(t *testing.T) {
	seed := *propertySeed
	specs := propertySpecs(40)
	if *propertyOnly >= 0 {
		// Reproducing one spec: show it, whether mesh.Load takes it or not.
		data, err := specYAML(newGen(t, propertyConfig).spec(seed, *propertyOnly))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s:\n%s", describe(seed, *propertyOnly), data)
	}
	start := time.Now()
	res := offlineRun(t, seed, specs, nil)
	t.Logf("seed %d: %d specs generated, %d discarded by mesh.Load, %d rendered twice alike, %d failed, in %s",
		seed, len(specs), res.refused.total(), res.rendered, len(res.failures), time.Since(start).Round(time.Millisecond))
	t.Logf("refused by mesh.Load, by the field of the first problem:%s", res.refused)
	for _, f := range res.failures {
		t.Error(f)
	}
	if *propertyOnly >= 0 {
		// One spec, shown above: mesh.Load may refuse it (the reason is
		// logged); the counts below mean something for a run only.
		return
	}
	if res.rendered == 0 {
		t.Fatal("no generated spec rendered")
	}
	if limit := len(specs) / 5; res.refused.total() > limit {
		t.Errorf("mesh.Load refused %d of %d generated specs, more than %d: the generator has drifted from the rules", res.refused.total(), len(specs), limit)
	}
}

// TestGeneratedSpecsRenderDetectsDifferences proves the offline property
// can fail: when the second render of each spec differs from the first
// (its last object's YAML gains a line), every rendered spec fails, and
// the failure shows the line and how to reproduce it.
func TestGeneratedSpecsRenderDetectsDifferences(t *testing.T) {
	seed := *propertySeed
	specs := []int{0, 1, 2, 3, 4, 5}
	broken := 0
	res := offlineRun(t, seed, specs, func(round int, m *render.Manifest) {
		if round == 1 && len(m.Resources) > 0 {
			last := &m.Resources[len(m.Resources)-1]
			last.YAML = append(slices.Clip(last.YAML), "broken: true\n"...)
			broken++
		}
	})
	if broken == 0 {
		t.Fatal("no spec rendered: nothing was broken")
	}
	if len(res.failures) != broken {
		t.Errorf("%d of %d broken renders failed, want all", len(res.failures), broken)
	}
	for _, f := range res.failures {
		text := f.String()
		for _, want := range []string{"two renders of the spec differ", "+ broken: true", fmt.Sprintf("-property-seed %d -property-spec %d", seed, f.spec.index), "--- spec\n"} {
			if !strings.Contains(text, want) {
				t.Errorf("the failure does not say %q:\n%s", want, text)
			}
		}
	}
}
