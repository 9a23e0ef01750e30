package render_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/istio-render/istio-render/charts"
	"github.com/istio-render/istio-render/internal/testcharts"
	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
	"github.com/istio-render/istio-render/tree"
)

// placement is where each object of a render goes: its component and the
// file the tree writer gives it.
func placement(m *render.Manifest) map[string]string {
	out := map[string]string{}
	for _, r := range m.Resources {
		out[r.ID()] = r.Component + " " + tree.FilePath(r)
	}
	return out
}

func load(t *testing.T, spec string) *mesh.Resolved {
	t.Helper()
	m, _, err := mesh.Load([]byte(header + spec))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestCacheKeepsComponents renders two specs whose istiod releases share a
// name, chart and values, once as the main control plane and once as a
// canary, through one cache: each render must file its objects under its
// own component, as a render without a cache does.
func TestCacheKeepsComponents(t *testing.T) {
	main := load(t, "spec:\n  profile: minimal\n  revision: 1-31-1\n")
	canary := load(t, "spec:\n  profile: minimal\n  canary:\n    revision: 1-31-1\n")
	cache := render.NewCache(16)
	for _, order := range [][]*mesh.Resolved{{main, canary}, {canary, main}} {
		for _, m := range order {
			want, err := render.Render(context.Background(), m, render.Options{})
			if err != nil {
				t.Fatal(err)
			}
			got, err := render.Render(context.Background(), m, render.Options{Cache: cache})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(placement(want), placement(got)); diff != "" {
				t.Errorf("revision %q, canary %v: components through the cache (-uncached +cached):\n%s", m.Spec.Revision, m.Spec.Canary, diff)
			}
			if !bytes.Equal(want.Bytes(), got.Bytes()) {
				t.Errorf("revision %q: bytes through the cache differ", m.Spec.Revision)
			}
		}
	}
	if cache.Len() == 0 {
		t.Error("the cache remembered nothing")
	}
}

// TestCachedBytesBelongToTheCaller edits every byte a cached render
// returns; a later render through the same cache is unaffected.
func TestCachedBytesBelongToTheCaller(t *testing.T) {
	m := load(t, "spec:\n  profile: default\n")
	cache := render.NewCache(16)
	want, err := render.Render(context.Background(), m, render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		got, err := render.Render(context.Background(), m, render.Options{Cache: cache})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(want.Bytes(), got.Bytes()) {
			t.Fatal("a render through the cache differs from one without")
		}
		for _, r := range got.Resources {
			for i := range r.YAML {
				r.YAML[i] = 'x'
			}
		}
	}
}

// TestCacheSizeZeroRemembersNothing: size 0 turns the cache off.
func TestCacheSizeZeroRemembersNothing(t *testing.T) {
	if c := render.NewCache(0); c != nil || c.Len() != 0 {
		t.Errorf("NewCache(0) = %v, want nil", c)
	}
	m := load(t, "spec:\n  profile: minimal\n")
	cache := render.NewCache(1)
	if _, err := render.Render(context.Background(), m, render.Options{Cache: cache}); err != nil {
		t.Fatal(err)
	}
	if cache.Len() != 1 {
		t.Errorf("a cache of size 1 holds %d releases", cache.Len())
	}
}

// TestSourceFromOutsideTheModule renders from chart sources built the ways
// a Go importer builds them: a folder of .tgz files, and an fs.FS; both
// give the embedded charts' bytes. A source without a needed chart is an
// error, not a panic.
func TestSourceFromOutsideTheModule(t *testing.T) {
	m := load(t, "spec:\n  profile: default\n")
	want, err := render.Render(context.Background(), m, render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := testcharts.Write(t, testcharts.Folders)
	fromFS, err := charts.FromFS(os.DirFS(dir), ".", "")
	if err != nil {
		t.Fatal(err)
	}
	got, err := render.Render(context.Background(), m, render.Options{Charts: fromFS})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want.Bytes(), got.Bytes()) {
		t.Error("charts from an fs.FS render differently from the embedded ones")
	}
	if err := os.RemoveAll(dir + "/gateway"); err != nil {
		t.Fatal(err)
	}
	partial, err := charts.FromPaths(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := render.Render(context.Background(), m, render.Options{Charts: partial}); err == nil {
		t.Error("a source without the gateway chart renders the default profile")
	}
	var none *charts.Source
	if _, err := render.Render(context.Background(), m, render.Options{Charts: none}); err != nil {
		t.Errorf("a nil source means the embedded charts: %v", err)
	}
}

// TestChartErrorNamesTheFieldAtFault: a chart that rejects the user's raw
// values names that field; a chart that fails whatever the values names
// none, though raw values were set.
func TestChartErrorNamesTheFieldAtFault(t *testing.T) {
	m := load(t, "spec:\n  profile: default\n  values:\n    gateway:\n      podAnnotations: {a: b}\n  gateways:\n  - name: istio-ingressgateway\n    values:\n      service: {type: 42}\n")
	_, err := render.Render(context.Background(), m, render.Options{})
	var ce *render.ChartError
	if !errors.As(err, &ce) || ce.Field != "spec.gateways[0].values" || ce.Component != "gateway/istio-ingressgateway" || ce.Chart != charts.Gateway {
		t.Fatalf("raw values the chart rejects: %v (%#v)", err, ce)
	}

	dir := testcharts.Write(t, testcharts.Folders)
	broken := filepath.Join(dir, "gateway", "templates", "broken.yaml")
	if err := os.WriteFile(broken, []byte(`{{ fail "this chart is broken" }}`), 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := charts.FromPaths(dir)
	if err != nil {
		t.Fatal(err)
	}
	m = load(t, "spec:\n  profile: default\n  gateways:\n  - name: istio-ingressgateway\n    values:\n      podAnnotations: {a: b}\n")
	_, err = render.Render(context.Background(), m, render.Options{Charts: src})
	if !errors.As(err, &ce) || ce.Field != "" || !strings.Contains(ce.Error(), "this chart is broken") {
		t.Fatalf("a chart that fails whatever the values: %v (%#v)", err, ce)
	}
}
