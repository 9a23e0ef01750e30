package charts

import (
	"fmt"
	"sync"

	"github.com/istio-render/istio-render/internal/embedded"
	"github.com/istio-render/istio-render/internal/helmchart"
)

// EmbeddedModule and EmbeddedVersion identify where the embedded charts come
// from; EmbeddedLine is their Istio release line.
const (
	EmbeddedModule  = "istio.io/istio"
	EmbeddedVersion = "v0.0.0-20260827124520-eed52ebb66ad"
	EmbeddedLine    = "1.31"
)

// embeddedSource is the one source over the charts built into the binary.
// The charts are constant data: each is parsed at most once per process,
// on first use (see internal/embedded), and never changes.
var embeddedSource = sync.OnceValue(func() *Source {
	s := &Source{
		desc:        fmt.Sprintf("embedded %s@%s (Istio %s)", EmbeddedModule, EmbeddedVersion, EmbeddedLine),
		line:        EmbeddedLine,
		placeholder: true,
		load:        map[string]func() (*Chart, error){},
	}
	for name, dir := range embedded.Dirs() {
		s.load[name] = once(func() (*helmchart.Chart, error) { return embedded.Load(name) }, dir, true)
	}
	return s
})

// Embedded returns the charts built into the binary from istio.io/istio.
// Every call returns the same source.
func Embedded() *Source { return embeddedSource() }
