// Command istio-render renders an IstioMesh spec into the Kubernetes YAML
// that installs it. See the README for the spec and the commands.
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/istio-render/istio-render/internal/cli"
	// Collect less often, from before the imports initialize.
	_ "github.com/istio-render/istio-render/internal/gcpercent"
	// Back the heap with huge pages, so that fresh memory faults less.
	_ "github.com/istio-render/istio-render/internal/hugeheap"
	// Load the embedded charts while the rest of the program initializes.
	_ "github.com/istio-render/istio-render/internal/prefetch"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Main(ctx, cli.Streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}, os.Args[1:])
	stop()
	os.Exit(code)
}
