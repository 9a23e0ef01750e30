//go:build linux || darwin || freebsd || netbsd || openbsd

package tree

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestLockKeepsWritersApart holds an output folder's lock as a Write or a
// Check would and tries to write and check it meanwhile, with a short
// wait: a writer keeps everyone out, a checker only writers. Whoever is
// kept out gives up with a clear error and changes nothing.
func TestLockKeepsWritersApart(t *testing.T) {
	const wait = 20 * time.Millisecond
	tests := []struct {
		reason string
		held   lockMode
		// checkable says whether Check gets in while the lock is held.
		checkable bool
	}{
		{"a writer keeps writers and checkers out", exclusive, false},
		{"a checker keeps writers out and lets checkers in", shared, true},
	}
	for _, tc := range tests {
		t.Run(tc.reason, func(t *testing.T) {
			dir := filepath.Join(tempDir(t), "out")
			old, next := variants(t)[0], variants(t)[2]
			if _, err := Write(dir, old); err != nil {
				t.Fatal(err)
			}
			held, err := openOutput(dir, false, tc.held, 0)
			if err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, dir)

			_, err = write(dir, next, wait)
			var busy *busyError
			if !errors.As(err, &busy) {
				t.Errorf("write() while locked: error %v, want another istio-render writing", err)
			} else if want := "writing " + dir + ": another istio-render is writing this folder; gave up after waiting 20ms"; err.Error() != want {
				t.Errorf("write() while locked: error %q, want %q", err, want)
			}
			if diff := cmp.Diff(before, snapshot(t, dir)); diff != "" {
				t.Errorf("write() while locked changed the folder (-before +after):\n%s", diff)
			}
			drift, err := check(dir, old, wait)
			switch {
			case tc.checkable && (err != nil || len(drift) != 0):
				t.Errorf("check() while locked = %v, %v; want no drift", drift, err)
			case !tc.checkable && !errors.As(err, &busy):
				t.Errorf("check() while locked: error %v, want another istio-render writing", err)
			}

			// A writer that waits long enough gets in once the lock goes.
			done := make(chan error, 1)
			go func() {
				_, err := write(dir, next, lockWait)
				done <- err
			}()
			held.close()
			if err := <-done; err != nil {
				t.Fatalf("write() after the lock was released: %v", err)
			}
			if diff := cmp.Diff(treeSnapshot(next), snapshot(t, dir)); diff != "" {
				t.Errorf("after the lock was released (-want +got):\n%s", diff)
			}
		})
	}
}
