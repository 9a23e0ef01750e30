package conformance_test

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/releaseutil"

	"github.com/istio-render/istio-render/internal/embedded"
	"github.com/istio-render/istio-render/internal/testcharts"
	"github.com/istio-render/istio-render/render"
)

// helmCharts loads the embedded charts with Helm's own loader, from
// folders written once per test, so that Helm gets them as a user who
// pinned the release's charts would. A release of the 1.30 line
// (testcharts.Istio130Ref) gets its chart from that line's module.
type helmCharts struct {
	dir string
	// istio130 is the 1.30 module's folder, downloaded on first use.
	istio130 func() (string, error)
}

// newHelmCharts writes the charts for the test t and its subtests.
func newHelmCharts(t testing.TB) *helmCharts {
	work := t.TempDir()
	return &helmCharts{
		dir:      testcharts.Write(t, testcharts.Folders),
		istio130: sync.OnceValues(func() (string, error) { return testcharts.DownloadIstio130(work) }),
	}
}

// chart returns a release's chart as Helm loads it, with the Chart.yaml
// version render renders it as.
func (h *helmCharts) chart(t testing.TB, rel render.Release) *chart.Chart {
	t.Helper()
	dir := filepath.Join(h.dir, rel.Chart)
	switch rel.Charts {
	case "":
	case testcharts.Istio130Ref:
		mod, err := h.istio130()
		if err != nil {
			t.Fatal(err)
		}
		dir = filepath.Join(mod, "manifests", embedded.Dirs()[rel.Chart])
	default:
		t.Fatalf("release %s names charts %q, which the parity test does not know", rel.Name, rel.Charts)
	}
	c, err := loader.Load(dir)
	if err != nil {
		t.Fatalf("loading chart %s with Helm: %v", rel.Chart, err)
	}
	c.Metadata.Version, c.Metadata.AppVersion = rel.ChartVersion, rel.ChartVersion
	return c
}

// helmTemplate renders a release with Helm's own install action in the
// mode `helm template --include-crds` uses: a client-only dry run that
// replaces any release of the same name, with the Kubernetes version
// pinned to the one render uses. It returns every object of the manifest
// and of the hooks.
func helmTemplate(c *chart.Chart, rel render.Release) ([]map[string]any, error) {
	cfg := &action.Configuration{Log: func(string, ...any) {}}
	install := action.NewInstall(cfg)
	install.DryRun = true
	install.ClientOnly = true
	install.Replace = true
	install.IncludeCRDs = true
	install.ReleaseName = rel.Name
	install.Namespace = rel.Namespace
	kv, err := chartutil.ParseKubeVersion(rel.KubeVersion)
	if err != nil {
		return nil, err
	}
	install.KubeVersion = kv
	out, err := install.Run(c, rel.Values)
	if err != nil {
		return nil, fmt.Errorf("helm install --dry-run of %s (chart %s): %w", rel.Name, rel.Chart, err)
	}
	manifests := []string{out.Manifest}
	for _, h := range out.Hooks {
		manifests = append(manifests, h.Manifest)
	}
	var objs []map[string]any
	for _, m := range manifests {
		docs := releaseutil.SplitManifests(m)
		keys := make([]string, 0, len(docs))
		for k := range docs {
			keys = append(keys, k)
		}
		sort.Sort(releaseutil.BySplitManifestsOrder(keys))
		for _, k := range keys {
			if strings.TrimSpace(docs[k]) == "" {
				continue
			}
			obj, err := parseObject([]byte(docs[k]))
			if err != nil {
				return nil, fmt.Errorf("helm output of %s: %w", rel.Name, err)
			}
			if obj != nil {
				objs = append(objs, obj)
			}
		}
	}
	return objs, nil
}
