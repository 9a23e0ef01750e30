package charts

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/istio-render/istio-render/internal/helmchart"
)

// Chart names, as each chart's Chart.yaml names it.
const (
	Base    = "base"
	Istiod  = "istiod"
	Gateway = "gateway"
	CNI     = "cni"
	Ztunnel = "ztunnel"
)

// Names lists every chart a render may need, in install order. Each call
// returns a new slice.
func Names() []string { return []string{Base, Istiod, Gateway, CNI, Ztunnel} }

// placeholderVersion is the Chart.yaml version of Istio's charts in its
// source tree; its release build replaces it with the Istio version.
const placeholderVersion = "1.0.0"

// Source hands out loaded charts by name. Make one with [Embedded],
// [FromPaths] or [FromFS]; it is safe for concurrent use.
type Source struct {
	desc string
	line string
	// placeholder is set when the charts' Chart.yaml versions are Istio's
	// source-tree placeholder: a render labels them with the Istio version
	// it renders, as Istio's release build does.
	placeholder bool
	load        map[string]func() (*Chart, error)
}

// Chart returns the named chart, loading it on first use. The chart is
// shared and never changes.
func (s *Source) Chart(name string) (*Chart, error) {
	if s == nil {
		return nil, fmt.Errorf("no chart named %q: the chart source is nil", name)
	}
	load, ok := s.load[name]
	if !ok {
		return nil, fmt.Errorf("no chart named %q in %s", name, s.desc)
	}
	return load()
}

// Names lists the charts the source holds, sorted.
func (s *Source) Names() []string {
	if s == nil {
		return nil
	}
	return slices.Sorted(maps.Keys(s.load))
}

// Line is the Istio minor version the charts belong to, such as 1.31, or
// "" when the charts do not say: charts of Istio's source tree, whose
// Chart.yaml versions are placeholders, say it only through the tree's
// VERSION file (see [FromPaths]).
func (s *Source) Line() string {
	if s == nil {
		return ""
	}
	return s.line
}

// Placeholder reports whether the charts' Chart.yaml versions are Istio's
// source-tree placeholder, which a render replaces with the Istio version it
// renders; release charts carry their own version.
func (s *Source) Placeholder() bool { return s != nil && s.placeholder }

// String describes where the charts come from.
func (s *Source) String() string {
	if s == nil {
		return "no charts"
	}
	return s.desc
}

// once makes a loader that runs load at most once and remembers its result.
func once(load func() (*helmchart.Chart, error), what string, placeholder bool) func() (*Chart, error) {
	return sync.OnceValues(func() (*Chart, error) {
		h, err := load()
		if err != nil {
			return nil, fmt.Errorf("loading chart %s: %w", what, err)
		}
		return newChart(h, placeholder)
	})
}

// MinorLine cuts a version such as 1.30.2 or v1.30.2 to its minor line,
// 1.30; "" when it has no minor part.
func MinorLine(v string) string {
	parts := strings.SplitN(strings.TrimPrefix(v, "v"), ".", 3)
	if len(parts) < 2 {
		return ""
	}
	return parts[0] + "." + parts[1]
}
