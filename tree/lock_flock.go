//go:build linux || darwin || freebsd || netbsd || openbsd

package tree

import (
	"errors"
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// lockFolder takes flock(2) on the output folder's own descriptor, so
// that no lock file enters the folder: exclusive to write, shared to read.
// It polls for up to wait while another holder keeps it, then gives up.
// The lock goes with the descriptor, when the process ends too.
//
// A file system that cannot lock a folder (ENOLCK, EOPNOTSUPP; NFS refuses
// an exclusive flock on a descriptor not open for writing, and a folder
// cannot be) is used without the lock.
func lockFolder(f *os.File, mode lockMode, wait time.Duration) error {
	how := unix.LOCK_SH
	if mode == exclusive {
		how = unix.LOCK_EX
	}
	fd := int(f.Fd())
	deadline := time.Now().Add(wait)
	delay := time.Millisecond
	for {
		err := unix.Flock(fd, how|unix.LOCK_NB)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, unix.EINTR):
			continue
		case errors.Is(err, unix.ENOLCK), errors.Is(err, unix.EOPNOTSUPP), errors.Is(err, unix.EBADF):
			return nil
		case !errors.Is(err, unix.EWOULDBLOCK):
			return fmt.Errorf("locking the folder: %w", err)
		}
		left := time.Until(deadline)
		if left <= 0 {
			return &busyError{waited: wait}
		}
		time.Sleep(min(delay, left))
		delay = min(2*delay, 50*time.Millisecond)
	}
}
