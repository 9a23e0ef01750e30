// Package embedded loads the Istio charts built into the binary from the
// istio.io/istio module. The charts are constant data of the binary: each
// is parsed at most once per process, on first use, and never changes, so
// the loads are shared by every chart source over them.
//
// It imports only the manifests and Helm's chart loader, so Go initializes
// it early; internal/prefetch starts the loads from here while the rest of
// the binary initializes.
package embedded

import (
	"fmt"
	"sync"

	"istio.io/istio/manifests"

	"github.com/istio-render/istio-render/internal/helmchart"
)

// Dirs maps the name of each chart istio-render renders to its folder in
// istio.io/istio's manifests.FS. Each call returns a new map.
func Dirs() map[string]string {
	return map[string]string{
		"base":    "charts/base",
		"istiod":  "charts/istio-control/istio-discovery",
		"gateway": "charts/gateway",
		"cni":     "charts/istio-cni",
		"ztunnel": "charts/ztunnel",
	}
}

// loads holds one load-once function per chart.
var loads = sync.OnceValue(func() map[string]func() (*helmchart.Chart, error) {
	out := map[string]func() (*helmchart.Chart, error){}
	for name, dir := range Dirs() {
		out[name] = sync.OnceValues(func() (*helmchart.Chart, error) {
			c, err := helmchart.LoadFS(manifests.FS, dir)
			if err != nil {
				return nil, fmt.Errorf("loading embedded chart %s: %w", dir, err)
			}
			return c, nil
		})
	}
	return out
})

// Load returns the named embedded chart, loading it on first use.
func Load(name string) (*helmchart.Chart, error) {
	load, ok := loads()[name]
	if !ok {
		return nil, fmt.Errorf("no embedded chart named %q", name)
	}
	return load()
}
