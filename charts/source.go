package charts

import (
	"fmt"
	"strings"

	lru "github.com/hashicorp/golang-lru/v2"
	"helm.sh/helm/v3/pkg/chart"
)

// Chart names, as each chart's Chart.yaml names it.
const (
	Base    = "base"
	Istiod  = "istiod"
	Gateway = "gateway"
	CNI     = "cni"
	Ztunnel = "ztunnel"
)

// Names lists every chart a render may need, in install order.
var Names = []string{Base, Istiod, Gateway, CNI, Ztunnel}

// Source hands out loaded charts by name.
type Source interface {
	// Chart returns the named chart. The chart is shared: callers must not
	// modify it.
	Chart(name string) (*Loaded, error)
	// Line is the Istio minor version the charts belong to, such as 1.31,
	// or "" when the charts do not say.
	Line() string
	// Embedded reports whether the charts are the ones built into the
	// binary, whose Chart.yaml versions are placeholders.
	Embedded() bool
	// String describes where the charts come from.
	String() string
}

// Loaded is a chart with its values schema compiled and a bounded memory
// of what was rendered from it.
type Loaded struct {
	// Chart is the Helm chart.
	Chart *chart.Chart
	// schema validates values; nil when the chart has none.
	schema *schema
	// memo keeps recent results computed from the chart.
	memo *lru.Cache[string, any]
}

// MemoSize is how many results Remember keeps per chart.
const MemoSize = 32

// Remember returns the result computed for key from this chart, calling
// compute on first use. Results must be pure functions of the chart and
// the key, and must not be modified by callers. At most MemoSize results
// are kept; the least recently used goes first. Errors are not kept.
func (l *Loaded) Remember(key string, compute func() (any, error)) (any, error) {
	if v, ok := l.memo.Get(key); ok {
		return v, nil
	}
	v, err := compute()
	if err != nil {
		return nil, err
	}
	l.memo.Add(key, v)
	return v, nil
}

// Validate checks coalesced values against the chart's values.schema.json.
func (l *Loaded) Validate(values map[string]any) error {
	if l.schema == nil {
		return nil
	}
	return l.schema.validate(values)
}

// newLoaded compiles a chart's schema.
func newLoaded(c *chart.Chart) (*Loaded, error) {
	memo, err := lru.New[string, any](MemoSize)
	if err != nil {
		return nil, err
	}
	l := &Loaded{Chart: c, memo: memo}
	if len(c.Schema) > 0 {
		s, err := compileSchema(c.Schema)
		if err != nil {
			return nil, fmt.Errorf("chart %s: values.schema.json: %w", c.Name(), err)
		}
		l.schema = s
	}
	return l, nil
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
