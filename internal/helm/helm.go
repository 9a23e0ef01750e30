// Package helm is half of istio-render's seam to Helm: rendering a chart
// with Helm's template engine, splitting the output into documents, and
// writing charts to disk. The other half, package helmchart, loads charts;
// it is separate because Helm's engine imports Kubernetes' client
// libraries, whose initialization takes tens of milliseconds, and loading
// the embedded charts must not wait for it (see internal/prefetch). No
// other package imports helm.sh/helm: moving to another Helm major version
// changes these two packages only.
//
// Nothing here reaches a cluster or the network: the engine has no client
// (the charts' lookup returns nothing), the capabilities are pinned from
// the Kubernetes version given, and values schemas are not checked here
// (Helm's check may fetch remote schemas; see package charts).
package helm

import (
	"fmt"
	"sort"

	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/engine"
	"helm.sh/helm/v3/pkg/releaseutil"

	"github.com/istio-render/istio-render/internal/helmchart"
)

// Release is what a chart sees of the release it renders.
type Release struct {
	// Name and Namespace of the release.
	Name, Namespace string
	// KubeVersion is the cluster version the chart sees
	// (.Capabilities.KubeVersion), such as 1.36.0.
	KubeVersion string
	// Upgrade renders as an upgrade of an installed release
	// (.Release.IsUpgrade) instead of a first install.
	Upgrade bool
}

// Output is what one render of a chart gives.
type Output struct {
	// Files maps each template's path to its rendered text.
	Files map[string]string
	// Values are the values the templates saw: the chart's defaults with
	// the given values coalesced over them.
	Values map[string]any
}

// CheckKubeVersion reports whether v is a Kubernetes version Helm accepts.
func CheckKubeVersion(v string) error {
	_, err := chartutil.ParseKubeVersion(v)
	return err
}

// Render renders the chart for a release with the given values, coalesced
// over the chart's defaults as `helm template` does. check is called with
// the coalesced values before any template runs; an error from it is
// returned as it is.
func Render(c *helmchart.Chart, rel Release, values map[string]any, check func(map[string]any) error) (Output, error) {
	kv, err := chartutil.ParseKubeVersion(rel.KubeVersion)
	if err != nil {
		return Output{}, fmt.Errorf("kubernetes version: %w", err)
	}
	caps := &chartutil.Capabilities{KubeVersion: *kv, APIVersions: chartutil.DefaultVersionSet}
	// Helm's own schema check is skipped: it may fetch remote schemas.
	top, err := chartutil.ToRenderValuesWithSchemaValidation(c.Helm(), values, chartutil.ReleaseOptions{
		Name:      rel.Name,
		Namespace: rel.Namespace,
		Revision:  revision(rel.Upgrade),
		IsInstall: !rel.Upgrade,
		IsUpgrade: rel.Upgrade,
	}, caps, true)
	if err != nil {
		return Output{}, fmt.Errorf("merging values: %w", err)
	}
	merged, _ := top["Values"].(chartutil.Values)
	if check != nil {
		if err := check(merged); err != nil {
			return Output{}, err
		}
	}
	files, err := engine.Engine{}.Render(c.Helm(), top)
	if err != nil {
		return Output{}, err
	}
	return Output{Files: files, Values: merged}, nil
}

// revision is the release revision Helm gives a first install (1) or an
// upgrade (2).
func revision(upgrade bool) int {
	if upgrade {
		return 2
	}
	return 1
}

// SplitManifests splits one template's output into its YAML documents in
// order, as Helm does.
func SplitManifests(out string) []string {
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

// Format is how Save writes a chart.
type Format int

// Chart formats.
const (
	// Archive is a .tgz file, as `helm pull` downloads it.
	Archive Format = iota + 1
	// Folder is an unpacked chart folder.
	Folder
)

// Save writes the chart into dir in the given format.
func Save(c *helmchart.Chart, dir string, f Format) error {
	switch f {
	case Archive:
		_, err := chartutil.Save(c.Helm(), dir)
		return err
	case Folder:
		return chartutil.SaveDir(c.Helm(), dir)
	}
	return fmt.Errorf("unknown chart format %d", f)
}
