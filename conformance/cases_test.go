package conformance_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	utiljson "k8s.io/apimachinery/pkg/util/json"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"

	"github.com/istio-render/istio-render/internal/testcharts"
	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// goldenDir holds the golden cases: <case>/mesh.yaml and <case>/expected.yaml.
const goldenDir = "../golden/testdata"

// packagedCases render from charts packaged the way `helm pull` delivers
// them, as the golden test renders them.
var packagedCases = map[string]bool{"charts-dir": true}

// revisionCases name chart folders in spec.revisions, resolved as the
// golden test resolves them: testcharts.Istio130Ref is the 1.30 line.
var revisionCases = map[string]bool{"revisions-two-lines": true}

// goldenCase is one golden case.
type goldenCase struct {
	name string
	dir  string
}

// goldenCases lists every case with both a spec and an expected stream, in
// name order.
func goldenCases(t *testing.T) []goldenCase {
	t.Helper()
	specs, err := filepath.Glob(filepath.Join(goldenDir, "*", "mesh.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var out []goldenCase
	for _, s := range specs {
		dir := filepath.Dir(s)
		if _, err := os.Stat(filepath.Join(dir, "expected.yaml")); err != nil {
			continue
		}
		out = append(out, goldenCase{name: filepath.Base(dir), dir: dir})
	}
	if len(out) == 0 {
		t.Fatalf("no golden cases under %s", goldenDir)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// spec loads the case's mesh.yaml.
func (c goldenCase) spec(t *testing.T) *mesh.Resolved {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(c.dir, "mesh.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := mesh.Load(data)
	if err != nil {
		t.Fatalf("%s: loading spec: %v", c.name, err)
	}
	return m
}

// options are the render options the golden test uses for the case.
func (c goldenCase) options(t *testing.T) render.Options {
	t.Helper()
	var opts render.Options
	if packagedCases[c.name] {
		opts.Charts = testcharts.Packaged(t, testcharts.Archives)
	}
	if revisionCases[c.name] {
		opts.RevisionCharts = testcharts.Resolver(t)
	}
	return opts
}

// expected parses the case's expected.yaml.
func (c goldenCase) expected(t *testing.T) []map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(c.dir, "expected.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	objs, err := parseStream(data)
	if err != nil {
		t.Fatalf("%s: expected.yaml: %v", c.name, err)
	}
	return objs
}

// goldenSample returns the first object of a kind, and of a name unless
// name is "", in the golden cases, scanning them in name order.
func goldenSample(t *testing.T, kind, name string) map[string]any {
	t.Helper()
	return goldenSampleWhere(t, kind, name, nil)
}

// goldenSampleOf is goldenSample for the kind of one API group.
func goldenSampleOf(t *testing.T, group, kind, name string) map[string]any {
	t.Helper()
	return goldenSampleWhere(t, kind, name, func(obj map[string]any) bool { return gvkOf(obj).Group == group })
}

// goldenSampleWhere is goldenSample for the objects keep accepts; nil
// accepts all.
func goldenSampleWhere(t *testing.T, kind, name string, keep func(map[string]any) bool) map[string]any {
	t.Helper()
	for _, c := range goldenCases(t) {
		for _, obj := range c.expected(t) {
			k, _ := obj["kind"].(string)
			md, _ := obj["metadata"].(map[string]any)
			n, _ := md["name"].(string)
			if k == kind && (name == "" || n == name) && (keep == nil || keep(obj)) {
				return obj
			}
		}
	}
	t.Fatalf("no golden case renders a %s named %q", kind, name)
	return nil
}

// parseStream decodes a multi-document YAML stream the way Kubernetes
// clients do: YAML to JSON, integers as int64. Empty documents are skipped.
func parseStream(data []byte) ([]map[string]any, error) {
	r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	var out []map[string]any
	for i := 0; ; i++ {
		doc, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("document %d: %w", i, err)
		}
		obj, err := parseObject(doc)
		if err != nil {
			return nil, fmt.Errorf("document %d: %w", i, err)
		}
		if obj != nil {
			out = append(out, obj)
		}
	}
}

// parseObject decodes one YAML document; nil when it holds no object.
func parseObject(doc []byte) (map[string]any, error) {
	j, err := yaml.YAMLToJSON(doc)
	if err != nil {
		return nil, err
	}
	if t := bytes.TrimSpace(j); len(t) == 0 || string(t) == "null" {
		return nil, nil
	}
	var obj map[string]any
	if err := utiljson.Unmarshal(j, &obj); err != nil {
		return nil, err
	}
	if len(obj) == 0 {
		return nil, nil
	}
	return obj, nil
}

// objectID names an object: group/kind/namespace/name.
func objectID(obj map[string]any) string {
	apiVersion, _ := obj["apiVersion"].(string)
	kind, _ := obj["kind"].(string)
	md, _ := obj["metadata"].(map[string]any)
	ns, _ := md["namespace"].(string)
	name, _ := md["name"].(string)
	group, _, found := strings.Cut(apiVersion, "/")
	if !found {
		group = ""
	}
	return fmt.Sprintf("%s/%s/%s/%s", group, kind, ns, name)
}
