package render

import (
	"runtime"
	"sync"
)

// parallel calls f for 0..n-1, at most one call per CPU at a time, and
// returns the results in index order. With several failures it returns the
// error of the lowest index, so results and errors never depend on
// scheduling.
func parallel[T any](n int, f func(i int) (T, error)) ([]T, error) {
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	return parallelOrder(order, f)
}

// parallelOrder is parallel, starting the calls in the given order, a
// permutation of 0..n-1. Starting the longest work first keeps every CPU
// busy to the end instead of leaving one long call to finish alone.
func parallelOrder[T any](order []int, f func(i int) (T, error)) ([]T, error) {
	n := len(order)
	results := make([]T, n)
	errs := make([]error, n)
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for _, i := range order {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			results[i], errs[i] = f(i)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return results, nil
}
