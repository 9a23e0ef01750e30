// Command istio-render renders an IstioMesh spec into the Kubernetes YAML
// that installs it. See the README for the spec and the commands.
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/istio-render/istio-render/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Main(ctx, cli.Streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}, os.Args[1:])
	stop()
	os.Exit(code)
}
