package render

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// parallel calls f for 0..n-1, at most one call per CPU at a time, and
// returns the results in index order. With several failures it returns the
// error of the lowest index, so results and errors never depend on
// scheduling.
func parallel[T any](n int, f func(i int) (T, error)) ([]T, error) {
	return parallelOrder(indexes(n), f)
}

// indexes returns 0..n-1 in order.
func indexes(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// parallelOrder is parallel, taking the calls in the given order, a
// permutation of 0..n-1. Starting the longest work first keeps every CPU
// busy to the end instead of leaving one long call to finish alone. The
// calling goroutine is one of the workers and takes the first call itself,
// so that call starts at once rather than when the scheduler gets to a new
// goroutine.
func parallelOrder[T any](order []int, f func(i int) (T, error)) ([]T, error) {
	n := len(order)
	results := make([]T, n)
	errs := make([]error, n)
	var next atomic.Int64
	work := func() {
		for {
			k := int(next.Add(1)) - 1
			if k >= n {
				return
			}
			i := order[k]
			results[i], errs[i] = f(i)
		}
	}
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) - 1 {
		wg.Go(work)
	}
	work()
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return results, nil
}
