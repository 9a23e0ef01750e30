package golden

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/istio-render/istio-render/charts"
	"github.com/istio-render/istio-render/internal/testcharts"
	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// TestConcurrentRenders renders every golden spec from many goroutines at
// once, with GOMAXPROCS=1 and with the default, some sharing one chart
// source (and its remembered renders) and some with a fresh one, and
// requires each result to equal its golden file byte for byte. Run it
// under -race (make race).
func TestConcurrentRenders(t *testing.T) {
	type job struct {
		name string
		spec *mesh.Resolved
		want []byte
		// resolve finds the chart folders the spec names; one resolver
		// serves every round.
		resolve charts.Resolver
	}
	var jobs []job
	for _, dir := range caseDirs(t) {
		if chartsCases[filepath.Base(dir)] {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, "mesh.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		m, _, err := mesh.Load(data)
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(dir, "expected.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		var resolve charts.Resolver
		if revisionCases[filepath.Base(dir)] {
			resolve = testcharts.Resolver(t)
		}
		jobs = append(jobs, job{filepath.Base(dir), m, want, resolve})
	}
	// Rounds 0 and 2 share one cache, so round 2 renders from what the
	// others remembered; round 1 remembers nothing.
	shared := render.NewCache(64)
	for _, procs := range []int{1, runtime.NumCPU()} {
		prev := runtime.GOMAXPROCS(procs)
		var wg sync.WaitGroup
		for round := range 3 {
			for _, j := range jobs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					cache := shared
					if round == 1 {
						cache = nil
					}
					out, err := render.Render(context.Background(), j.spec, render.Options{Cache: cache, RevisionCharts: j.resolve})
					if err != nil {
						t.Errorf("%s: %v", j.name, err)
						return
					}
					if !bytes.Equal(out.Bytes(), j.want) {
						t.Errorf("%s (GOMAXPROCS=%d, round %d) differs from its golden file", j.name, procs, round)
					}
				}()
			}
		}
		wg.Wait()
		runtime.GOMAXPROCS(prev)
	}
}
