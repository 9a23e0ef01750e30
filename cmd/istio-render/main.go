// Command istio-render renders an IstioMesh spec into the Kubernetes YAML
// that installs it. See the README for the spec and the commands.
//
// Two imports tune start-up, each documented with its figures in its
// package: internal/gcpercent collects at 400% unless GOGC is set, and
// internal/prefetch loads the embedded charts while the rest of the
// program initializes.
//
// The heap is left to the kernel's transparent huge page policy. An
// earlier start-up step marked 32 MiB of heap with madvise(MADV_HUGEPAGE)
// where the kernel gives huge pages only on request. Measured side by side
// on a loaded 2-core virtual machine (BenchmarkCold, medians of 6×20
// paired runs of render --profile default), it cut page faults from 5,590
// to 1,850 and CPU time from 50.6 to 47.7 ms, wall time by about 8%
// (130.6 to 120.5 ms), and raised the peak resident set from 46.6 to 50.7
// MiB. Under the kernel's default defrag setting, a fault in marked memory
// that finds no free huge page enters direct reclaim and compaction, and
// the process stalls until it returns; the Go runtime stopped marking its
// heap for that reason (golang/go#61718, golang/go#63334). Three
// milliseconds of CPU and ten of wall time did not pay for a stall of
// unbounded length on a busy host, where kustomize and CI run, nor for
// 4 MiB more memory. Where huge pages are wanted, the system setting "always" gives
// them to the heap with no help from the program, and GODEBUG=disablethp=1
// keeps them off it, as the runtime documents.
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/istio-render/istio-render/internal/cli"
	// Collect less often, from before the imports initialize.
	_ "github.com/istio-render/istio-render/internal/gcpercent"
	// Load the embedded charts while the rest of the program initializes.
	_ "github.com/istio-render/istio-render/internal/prefetch"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Main(ctx, cli.Streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}, os.Args[1:])
	stop()
	os.Exit(code)
}
