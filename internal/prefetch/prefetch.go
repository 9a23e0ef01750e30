// Package prefetch loads the embedded charts in the background while the
// rest of the istio-render binary initializes.
//
// A cold render spends its first 40-odd milliseconds initializing the
// packages Helm's engine imports, on one core; the other core idles. This
// package depends only on internal/embedded, so Go initializes it as soon as
// Helm's chart loader is ready, well before the packages that follow, and
// its init starts loading the charts every render needs. The loads go
// through internal/embedded, which loads each chart once per process: a
// render that finds a chart loaded uses it, one that arrives first waits
// for the same load. Nothing else changes; the output is the same bytes.
//
// Only the istio-render command imports this package, for its side effect.
package prefetch

import (
	"os"
	"strings"

	"github.com/istio-render/istio-render/internal/embedded"
)

// ahead are the charts loaded ahead, in order: istiod's, the longest to
// render, first; then base, which every spec renders; then the gateway
// chart, which most specs render.
var ahead = []string{"istiod", "base", "gateway"}

func init() {
	if Wanted(os.Args[1:]) {
		go func() {
			for _, name := range ahead {
				_, _ = embedded.Load(name)
			}
		}()
	}
}

// quiet are the commands that never render the embedded charts.
var quiet = map[string]bool{
	"version": true, "help": true, "completion": true, "profiles": true,
	"schema": true, "init": true, "__complete": true,
}

// Wanted reports whether a command line renders with the embedded charts,
// so loading them ahead pays: not for commands that render nothing, not for
// help, and not when --charts names other charts.
func Wanted(args []string) bool {
	if len(args) > 0 && quiet[args[0]] {
		return false
	}
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "-h" || a == "--help" || a == "--charts" || strings.HasPrefix(a, "--charts=") {
			return false
		}
	}
	return true
}
