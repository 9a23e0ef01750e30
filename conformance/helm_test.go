package conformance_test

import (
	"fmt"
	"sort"
	"strings"

	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/releaseutil"

	"github.com/istio-render/istio-render/render"
)

// helmTemplate renders a release with Helm's own install action in the
// mode `helm template --include-crds` uses: a client-only dry run that
// replaces any release of the same name, with the Kubernetes version
// pinned to the one render uses. It returns every object of the manifest
// and of the hooks.
func helmTemplate(rel render.Release) ([]map[string]any, error) {
	cfg := &action.Configuration{Log: func(string, ...any) {}}
	install := action.NewInstall(cfg)
	install.DryRun = true
	install.ClientOnly = true
	install.Replace = true
	install.IncludeCRDs = true
	install.ReleaseName = rel.Name
	install.Namespace = rel.Namespace
	kv := rel.Capabilities.KubeVersion
	install.KubeVersion = &kv
	out, err := install.Run(rel.Chart, rel.Values)
	if err != nil {
		return nil, fmt.Errorf("helm install --dry-run of %s (chart %s): %w", rel.Name, rel.ChartName, err)
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
