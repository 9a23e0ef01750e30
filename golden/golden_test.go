package golden

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/istio-render/istio-render/internal/testcharts"
	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

var update = flag.Bool("update", false, "rewrite testdata/*/expected.yaml from the current output")

// chartsCases render from charts packaged the way `helm pull` delivers them
// instead of the embedded charts.
var chartsCases = map[string]bool{"charts-dir": true}

// revisionCases name chart folders in spec.revisions, resolved as the
// command line resolves them; testcharts.Istio130Ref is the 1.30 line.
var revisionCases = map[string]bool{"revisions-two-lines": true}

// caseOptions are the render options of a case.
func caseOptions(t *testing.T, name string) render.Options {
	t.Helper()
	var opts render.Options
	if chartsCases[name] {
		opts.Charts = testcharts.Packaged(t, testcharts.Archives)
	}
	if revisionCases[name] {
		opts.RevisionCharts = testcharts.Resolver(t)
	}
	return opts
}

func TestGolden(t *testing.T) {
	for _, dir := range caseDirs(t) {
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			got := renderCase(t, dir, caseOptions(t, name))
			want := filepath.Join(dir, "expected.yaml")
			if *update {
				if err := os.WriteFile(want, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			compareStreams(t, want, got)
		})
	}
}

// TestPinnedChartsMatchEmbedded proves that charts from a folder or from
// .tgz archives render exactly what the embedded charts render.
func TestPinnedChartsMatchEmbedded(t *testing.T) {
	dir := filepath.Join("testdata", "profile-default")
	embedded := renderCase(t, dir, render.Options{})
	for _, form := range []testcharts.Form{testcharts.Archives, testcharts.Folders} {
		t.Run(string(form), func(t *testing.T) {
			got := renderCase(t, dir, render.Options{Charts: testcharts.Packaged(t, form)})
			if !bytes.Equal(embedded, got) {
				t.Errorf("charts from %s render differently from the embedded charts:\n%s", form, streamDiff(embedded, got))
			}
		})
	}
}

// TestDeterministic renders every case again, once with GOMAXPROCS=1, and
// requires identical bytes.
func TestDeterministic(t *testing.T) {
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	for _, dir := range caseDirs(t) {
		name := filepath.Base(dir)
		if chartsCases[name] {
			continue
		}
		t.Run(name, func(t *testing.T) {
			opts := caseOptions(t, name)
			a := renderCase(t, dir, opts)
			runtime.GOMAXPROCS(prev)
			b := renderCase(t, dir, opts)
			runtime.GOMAXPROCS(1)
			if !bytes.Equal(a, b) {
				t.Errorf("two renders differ:\n%s", streamDiff(a, b))
			}
		})
	}
}

func caseDirs(t *testing.T) []string {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join("testdata", "*", "mesh.yaml"))
	for i, d := range dirs {
		dirs[i] = filepath.Dir(d)
	}
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	return dirs
}

func renderCase(t *testing.T, dir string, opts render.Options) []byte {
	t.Helper()
	return renderManifest(t, dir, opts).Bytes()
}

// renderManifest loads and renders a case's spec.
func renderManifest(t *testing.T, dir string, opts render.Options) *render.Manifest {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "mesh.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := mesh.Load(data)
	if err != nil {
		t.Fatalf("loading spec: %v", err)
	}
	out, err := render.Render(context.Background(), m, opts)
	if err != nil {
		t.Fatalf("rendering: %v", err)
	}
	return out
}

// compareStreams fails with a per-document diff when got differs from the
// golden file.
func compareStreams(t *testing.T, wantFile string, got []byte) {
	t.Helper()
	want, err := os.ReadFile(wantFile)
	if err != nil {
		t.Fatalf("%v (run go test ./golden -update to create it)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("output differs from %s (-want +got); run go test ./golden -update and review the diff:\n%s", wantFile, streamDiff(want, got))
	}
}

// streamDiff diffs two YAML streams document by document, keyed by each
// document's first lines, so a change reads as a change to one object.
func streamDiff(a, b []byte) string {
	da, db := documents(a), documents(b)
	return cmp.Diff(da, db)
}

// documents splits a stream into documents keyed by kind, namespace and name.
func documents(stream []byte) map[string]string {
	out := map[string]string{}
	for i, doc := range strings.Split(string(stream), "\n---\n") {
		key := docKey(doc)
		if key == "" {
			key = "document " + string(rune('0'+i%10))
		}
		out[key] = doc
	}
	return out
}

func docKey(doc string) string {
	var kind, name, ns string
	for _, line := range strings.Split(doc, "\n") {
		switch {
		case strings.HasPrefix(line, "kind: "):
			kind = strings.TrimPrefix(line, "kind: ")
		case strings.HasPrefix(line, "  name: ") && name == "":
			name = strings.TrimPrefix(line, "  name: ")
		case strings.HasPrefix(line, "  namespace: ") && ns == "":
			ns = strings.TrimPrefix(line, "  namespace: ")
		}
	}
	return kind + " " + ns + "/" + name
}
