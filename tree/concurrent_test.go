//go:build linux || darwin || freebsd || netbsd || openbsd

package tree

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/istio-render/istio-render/render"
)

// variants are three trees that share some folders and files and differ in
// others, so that writing one over another replaces, creates and removes
// files and folders.
func variants(t *testing.T) []*Tree {
	t.Helper()
	ns := obj(t, render.ComponentNamespaces, "v1", "Namespace", "", "shop")
	istiod := obj(t, render.ComponentIstiod, "apps/v1", "Deployment", "istio-system", "istiod")
	policy := obj(t, render.ComponentPolicy, "security.istio.io/v1", "PeerAuthentication", "shop", "default")
	edge := obj(t, "gateway/edge", "v1", "Service", "edge", "edge")
	other := obj(t, "gateway/other", "v1", "Service", "other", "other")
	var out []*Tree
	for _, objs := range [][]object{{ns, istiod, policy}, {ns, istiod, policy, edge}, {ns, other}} {
		tr, err := layout(objs)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, tr)
	}
	return out
}

// TestConcurrentWrites runs several Writes into one folder at once. Each
// must succeed, and the folder must end up holding exactly one of the
// trees written: no temporary file, no stray file, no empty folder left.
func TestConcurrentWrites(t *testing.T) {
	trees := variants(t)
	tests := []struct {
		reason  string
		writers int
		// distinct writes different trees; otherwise all write the first.
		distinct bool
	}{
		{"two writers of one tree", 2, false},
		{"eight writers of one tree", 8, false},
		{"eight writers of three trees", 8, true},
	}
	for _, tc := range tests {
		t.Run(tc.reason, func(t *testing.T) {
			dir := filepath.Join(tempDir(t), "out")
			var wg sync.WaitGroup
			errs := make([]error, tc.writers)
			for i := range tc.writers {
				tr := trees[0]
				if tc.distinct {
					tr = trees[i%len(trees)]
				}
				wg.Go(func() { _, errs[i] = Write(dir, tr) })
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Errorf("writer %d: %v", i, err)
				}
			}
			got := snapshot(t, dir)
			for _, tr := range trees {
				if cmp.Equal(treeSnapshot(tr), got) {
					return
				}
			}
			t.Errorf("the folder holds none of the trees written (-first tree +got):\n%s", cmp.Diff(treeSnapshot(trees[0]), got))
		})
	}
}

// TestConcurrentWriteAndCheck checks a folder while other goroutines write
// trees into it. Every Check must see a finished Write: it must report
// exactly what it reports for one of the trees written, never a mixture
// and never an error.
func TestConcurrentWriteAndCheck(t *testing.T) {
	trees := variants(t)
	checked := trees[0]
	// expected[i] is what Check reports for checked over trees[i].
	expected := make([][]Drift, len(trees))
	for i, tr := range trees {
		dir := tempDir(t)
		if _, err := Write(dir, tr); err != nil {
			t.Fatal(err)
		}
		drift, err := Check(dir, checked)
		if err != nil {
			t.Fatal(err)
		}
		expected[i] = drift
	}
	dir := tempDir(t)
	if _, err := Write(dir, trees[1]); err != nil {
		t.Fatal(err)
	}
	const writers, checkers, rounds = 3, 3, 10
	var wg sync.WaitGroup
	werrs := make([]error, writers)
	for i := range writers {
		wg.Go(func() {
			for r := range rounds {
				if _, err := Write(dir, trees[(i+r)%len(trees)]); err != nil {
					werrs[i] = err
					return
				}
			}
		})
	}
	cerrs := make([]error, checkers)
	for i := range checkers {
		wg.Go(func() {
			for range rounds {
				drift, err := Check(dir, checked)
				if err != nil {
					cerrs[i] = err
					return
				}
				if !matchesOne(drift, expected) {
					cerrs[i] = fmt.Errorf("Check() = %v, which no finished Write gives", drift)
					return
				}
			}
		})
	}
	wg.Wait()
	for i, err := range werrs {
		if err != nil {
			t.Errorf("writer %d: %v", i, err)
		}
	}
	for i, err := range cerrs {
		if err != nil {
			t.Errorf("checker %d: %v", i, err)
		}
	}
}

func matchesOne(drift []Drift, expected [][]Drift) bool {
	for _, e := range expected {
		if cmp.Equal(e, drift) {
			return true
		}
	}
	return false
}
