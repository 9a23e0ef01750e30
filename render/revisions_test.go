package render_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/istio-render/istio-render/charts"
	"github.com/istio-render/istio-render/internal/testcharts"
	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// twoLines is a 1.30 stable revision from that line's charts beside a
// 1.31 canary from the embedded charts.
const twoLines = `spec:
  profile: minimal
  controlPlane: {replicas: 2}
  cni: {enabled: true}
  revisions:
  - {name: 1-30-4, version: 1.30.4, charts: ` + testcharts.Istio130Ref + `}
  - {name: 1-31-0, version: 1.31.0}
  tags: {default: 1-30-4, prod-canary: 1-31-0}
  gateways:
  - {name: edge, revision: prod-canary}
  - {name: main}
`

// TestRevisionsRenderFromTheirOwnCharts renders two istiods, each from the
// charts of its line, one base from the newest, and the default revision
// the same in base and in the tags.
func TestRevisionsRenderFromTheirOwnCharts(t *testing.T) {
	m, _, err := mesh.Load([]byte(header + twoLines))
	if err != nil {
		t.Fatal(err)
	}
	opts := render.Options{RevisionCharts: testcharts.Resolver(t)}
	rels, err := render.Releases(m, opts)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rels {
		got = append(got, fmt.Sprintf("%s %s-%s charts=%q rev=%v", r.Component, r.Chart, r.ChartVersion, r.Charts, r.Values["revision"]))
	}
	want := []string{
		`base base-1.31.0 charts="" rev=<nil>`,
		`istiod-1-30-4 istiod-1.30.4 charts="charts-1.30" rev=1-30-4`,
		`istiod-1-31-0 istiod-1.31.0 charts="" rev=1-31-0`,
		`cni cni-1.30.4 charts="charts-1.30" rev=1-30-4`,
		`gateway/edge gateway-1.31.0 charts="" rev=prod-canary`,
		`gateway/main gateway-1.30.4 charts="charts-1.30" rev=1-30-4`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("releases (-want +got):\n%s", diff)
	}
	if dr := rels[0].Values["defaultRevision"]; dr != "1-30-4" {
		t.Errorf("base defaultRevision = %v, want 1-30-4, where the tag default points", dr)
	}

	out, err := render.Render(context.Background(), m, opts)
	if err != nil {
		t.Fatal(err)
	}
	injector := map[string]string{}
	for _, r := range out.Resources {
		if r.Kind == "ConfigMap" && strings.HasPrefix(r.Name, "istio-sidecar-injector-") {
			injector[r.Name] = string(r.YAML)
		}
	}
	// The 1.30 injection template quotes the proxy's log level flag with
	// printf; the 1.31 template writes it bare.
	const line130 = `printf "--proxyLogLevel=%s"`
	if !strings.Contains(injector["istio-sidecar-injector-1-30-4"], line130) {
		t.Error("the 1-30-4 injector does not carry the 1.30 chart's template")
	}
	if c := injector["istio-sidecar-injector-1-31-0"]; c == "" || strings.Contains(c, line130) {
		t.Error("the 1-31-0 injector does not carry the 1.31 chart's template")
	}
}

// TestRevisionChartErrors names the field of a revision whose charts
// cannot be had or do not fit its version.
func TestRevisionChartErrors(t *testing.T) {
	failing := func(string) (*charts.Source, error) { return nil, errors.New("no such folder") }
	tests := []struct {
		name, spec string
		opts       render.Options
		want       string
	}{{
		name: "no resolver",
		spec: "spec:\n  revisions:\n  - {name: a, charts: ./charts/1.30}\n",
		want: `spec.revisions[0].charts: "./charts/1.30" cannot be read: this render was given no way to find chart references (the command line finds them relative to the spec file; from Go, set render.Options.RevisionCharts)`,
	}, {
		name: "a resolver that fails",
		spec: "spec:\n  revisions:\n  - {name: a}\n  - {name: b, charts: ./x}\n",
		opts: render.Options{RevisionCharts: failing},
		want: `spec.revisions[1].charts: "./x": no such folder`,
	}, {
		name: "a 1.30 revision from the embedded charts",
		spec: "spec:\n  revisions:\n  - {name: a, version: 1.30.4}\n  - {name: b, version: 1.31.0}\n",
		want: "spec.revisions[0].version: 1.30.4 is outside the embedded charts' Istio 1.31 line; give the revision the charts of Istio 1.30 in spec.revisions[0].charts, as `helm pull istio/<chart> --version 1.30.4` downloads them",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _, err := mesh.Load([]byte(header + "spec:\n  profile: minimal\n" + strings.TrimPrefix(tt.spec, "spec:\n")))
			if err != nil {
				t.Fatal(err)
			}
			_, err = render.Render(context.Background(), m, tt.opts)
			var ve *mesh.ValidationError
			if !errors.As(err, &ve) || len(ve.Errors) != 1 {
				t.Fatalf("Render = %v, want one field error", err)
			}
			if got := ve.Errors[0].Error(); got != tt.want {
				t.Errorf("error:\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestReleaseChartsOfAnotherLine refuses release charts of one line for a
// revision of another.
func TestReleaseChartsOfAnotherLine(t *testing.T) {
	released := testcharts.Packaged(t, testcharts.Folders) // versioned 1.31.0, as a release
	m, _, err := mesh.Load([]byte(header + "spec:\n  profile: minimal\n  revisions:\n  - {name: a, version: 1.30.4, charts: old}\n  - {name: b}\n"))
	if err != nil {
		t.Fatal(err)
	}
	resolve := func(string) (*charts.Source, error) { return released, nil }
	_, err = render.Render(context.Background(), m, render.Options{RevisionCharts: resolve})
	if err == nil || !strings.Contains(err.Error(), "spec.revisions[0].version: 1.30.4 is not of the Istio 1.31 line of its charts") {
		t.Errorf("Render = %v, want the line mismatch of spec.revisions[0]", err)
	}
}

// TestCanaryHoldingTheDefaultTag points base's default validator at the
// canary when the canary holds the tag default, as the tag's webhook
// does; before, base named spec.revision whatever the tags said.
func TestCanaryHoldingTheDefaultTag(t *testing.T) {
	m, _, err := mesh.Load([]byte(header + "spec:\n  profile: minimal\n  revision: 1-31-0\n  canary: {revision: 1-31-1, version: 1.31.1, revisionTags: [default]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	rels, err := render.Releases(m, render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := rels[0].Values["defaultRevision"]; got != "1-31-1" {
		t.Errorf("base defaultRevision = %v, want 1-31-1, the revision the tag default points at", got)
	}
}

// TestRevisionChartsFromArchives renders a revision from .tgz archives, as
// helm pull downloads them, exactly as from the embedded charts.
func TestRevisionChartsFromArchives(t *testing.T) {
	archives := testcharts.Packaged(t, testcharts.Archives)
	called := 0
	resolve := func(ref string) (*charts.Source, error) {
		called++
		if ref != "./charts/1.31.0" {
			return nil, errors.New("unexpected reference " + ref)
		}
		return archives, nil
	}
	var outs [][]byte
	for _, charts := range []string{"", ", charts: ./charts/1.31.0"} {
		m, _, err := mesh.Load([]byte(header + "spec:\n  profile: default\n  revisions:\n  - {name: 1-31-0, version: 1.31.0" + charts + "}\n"))
		if err != nil {
			t.Fatal(err)
		}
		out, err := render.Render(context.Background(), m, render.Options{RevisionCharts: resolve})
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, out.Bytes())
	}
	if called != 1 {
		t.Errorf("the archives were resolved %d times, want once", called)
	}
	if string(outs[0]) != string(outs[1]) {
		t.Error("a revision renders differently from archives of the same charts")
	}
}
