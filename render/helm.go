package render

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/engine"
	"helm.sh/helm/v3/pkg/releaseutil"

	"github.com/istio-render/istio-render/charts"
)

// capabilities pins what charts see of the cluster: the Kubernetes version
// from the spec and Helm's built-in list of API versions. Nothing is
// discovered.
func capabilities(kubeVersion string) (*chartutil.Capabilities, error) {
	kv, err := chartutil.ParseKubeVersion(kubeVersion)
	if err != nil {
		return nil, fmt.Errorf("spec.kubernetesVersion: %w", err)
	}
	return &chartutil.Capabilities{
		KubeVersion: *kv,
		APIVersions: chartutil.DefaultVersionSet,
	}, nil
}

// renderRelease renders one release into parsed objects, namespaced objects
// carrying their namespace. NOTES.txt, partials and empty documents are
// dropped. The base chart's CRDs come from the precomputed bundle when the
// chart is the one it was made from (see crds.go).
func renderRelease(rel Release) (rendered, error) {
	key, err := memoKey(rel)
	if err != nil {
		return rendered{}, err
	}
	v, err := rel.loaded.Remember(key, func() (any, error) { return renderChart(rel, true) })
	if err != nil {
		return rendered{}, err
	}
	r := v.(rendered)
	return rendered{resources: slices.Clone(r.resources), warnings: slices.Clone(r.warnings)}, nil
}

// rendered is what one release renders: its objects and the warnings its
// NOTES.txt prints (istiod's name deprecated values there).
type rendered struct {
	resources []Resource
	warnings  []string
}

// memoKey identifies everything a release's output depends on besides the
// chart itself: the version it is labelled with, the release name and
// namespace, the Kubernetes version and the values.
func memoKey(rel Release) (string, error) {
	data, err := json.Marshal(struct {
		Version, Name, Namespace, Kube string
		Values                         map[string]any
	}{rel.Chart.Metadata.Version, rel.Name, rel.Namespace, rel.Capabilities.KubeVersion.Version, rel.Values})
	if err != nil {
		return "", fmt.Errorf("%s: encoding values: %w", rel.Component, err)
	}
	sum := sha256.Sum256(data)
	return string(sum[:]), nil
}

// renderChart renders a release's chart into objects and notes' warnings.
// With shortcuts, the base chart's CRDs come from the precomputed bundle
// (crds.go) and documents are made canonical the short way
// (canonical.go); without, the chart's own template and the reference
// conversion run. Both give the same bytes.
func renderChart(rel Release, shortcuts bool) (rendered, error) {
	c := rel.Chart
	// Helm's own schema check is skipped: it may fetch remote schemas. The
	// merged values are checked offline against the chart's schema instead.
	top, err := chartutil.ToRenderValuesWithSchemaValidation(c, rel.Values, chartutil.ReleaseOptions{
		Name:      rel.Name,
		Namespace: rel.Namespace,
		Revision:  1,
		IsInstall: true,
	}, rel.Capabilities, true)
	if err != nil {
		return rendered{}, fmt.Errorf("%s: merging values: %w", rel.Component, err)
	}
	values, _ := top["Values"].(chartutil.Values)
	if err := rel.loaded.Validate(values); err != nil {
		return rendered{}, fmt.Errorf("%s: %w", rel.Component, err)
	}
	if rel.ChartName == charts.Base && shortcuts {
		if probe := probeChart(c); probe != nil {
			c = probe
		}
	}
	files, err := engine.Engine{}.Render(c, top)
	if err != nil {
		return rendered{}, fmt.Errorf("%s: rendering chart %s: %w", rel.Component, rel.ChartName, cleanTemplateError(err))
	}
	names := make([]string, 0, len(files))
	for n := range files {
		if strings.HasSuffix(n, ".yaml") || strings.HasSuffix(n, ".yml") || strings.HasSuffix(n, ".json") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	type document struct{ file, text string }
	var docs []document
	for _, n := range names {
		for _, d := range splitDocuments(files[n]) {
			docs = append(docs, document{n, d})
		}
	}
	// Parsing and re-serializing a large document (istiod's injector
	// templates) takes as long as rendering the chart, so documents are
	// converted in parallel, largest first; the order stays the chart's.
	bySize := indexes(len(docs))
	slices.SortStableFunc(bySize, func(a, b int) int { return len(docs[b].text) - len(docs[a].text) })
	converted, err := parallelOrder(bySize, func(i int) ([]Resource, error) {
		return documentResources(rel, docs[i].file, docs[i].text, shortcuts)
	})
	if err != nil {
		return rendered{}, err
	}
	var out rendered
	for _, rs := range converted {
		out.resources = append(out.resources, rs...)
	}
	for n, text := range files {
		if path.Base(n) != "NOTES.txt" {
			continue
		}
		for _, line := range strings.Split(text, "\n") {
			if w, ok := strings.CutPrefix(strings.TrimSpace(line), "WARNING: "); ok {
				out.warnings = append(out.warnings, w)
			}
		}
	}
	sort.Strings(out.warnings)
	return out, nil
}

// documentResources turns one rendered document into resources: the
// precomputed CRDs for the CRD probe, nothing for an empty document, else
// the object with its release namespace.
func documentResources(rel Release, file, doc string, shortcuts bool) ([]Resource, error) {
	if p, ok := parseProbe(doc); ok {
		return spliceCRDs(rel.Component, p)
	}
	obj, err := parseObject(doc, shortcuts)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", rel.Component, path.Base(file), err)
	}
	if obj.fields == nil {
		return nil, nil
	}
	setNamespace(obj.fields, rel.Namespace)
	data, err := obj.encode(len(doc))
	if err != nil {
		return nil, fmt.Errorf("%s: encoding %v: %w", rel.Component, obj.fields["kind"], err)
	}
	return []Resource{resourceOf(rel.Component, obj.fields, data)}, nil
}

// splitDocuments splits a template's output into YAML documents in order,
// as Helm does. Helm's separator pattern is slow on long indented text, so
// output with no "---" at the start of a line, which is most of it, is one
// document without running the pattern.
func splitDocuments(out string) []string {
	if !strings.HasPrefix(strings.TrimSpace(out), "---") && !strings.Contains(out, "\n---") {
		if doc := strings.TrimSpace(out); doc != "" {
			return []string{doc}
		}
		return nil
	}
	docs := releaseutil.SplitManifests(out)
	keys := make([]string, 0, len(docs))
	for k := range docs {
		keys = append(keys, k)
	}
	sort.Sort(releaseutil.BySplitManifestsOrder(keys))
	list := make([]string, len(keys))
	for i, k := range keys {
		list[i] = docs[k]
	}
	return list
}

// withVersion gives the embedded charts, whose Chart.yaml versions are
// placeholders, the rendered Istio version, as Istio's release build does.
// The shared chart is not modified.
func withVersion(c *chart.Chart, src charts.Source, version string) *chart.Chart {
	if !src.Embedded() {
		return c
	}
	cp := *c
	md := *c.Metadata
	md.Version, md.AppVersion = version, version
	cp.Metadata = &md
	return &cp
}

// parseObject parses one rendered YAML document, the short way or the
// reference way; nil fields for an empty one.
func parseObject(doc string, short bool) (parsed, error) {
	if strings.TrimSpace(doc) == "" {
		return parsed{}, nil
	}
	obj, err := parseCanonical([]byte(doc), short)
	if err != nil {
		return parsed{}, fmt.Errorf("parsing rendered YAML: %w", err)
	}
	if len(obj.fields) == 0 {
		return parsed{}, nil
	}
	if _, ok := obj.fields["kind"].(string); !ok {
		return parsed{}, fmt.Errorf("rendered a document without a kind")
	}
	return obj, nil
}

// setNamespace gives a namespaced object its release namespace when the
// chart left it out.
func setNamespace(obj map[string]any, ns string) {
	kind, _ := obj["kind"].(string)
	if clusterScoped[kind] {
		return
	}
	md, ok := obj["metadata"].(map[string]any)
	if !ok {
		md = map[string]any{}
		obj["metadata"] = md
	}
	if s, _ := md["namespace"].(string); s == "" {
		md["namespace"] = ns
	}
}

// cleanTemplateError keeps Helm's message but drops its long template
// call-chain prefix.
func cleanTemplateError(err error) error {
	msg := err.Error()
	if i := strings.LastIndex(msg, "error calling fail: "); i >= 0 {
		return fmt.Errorf("%s", strings.TrimSpace(msg[i+len("error calling fail: "):]))
	}
	return err
}
