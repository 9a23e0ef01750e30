//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package tree

import (
	"os"
	"time"
)

// lockFolder does nothing where flock(2) is missing: concurrent Writes to
// one folder are not kept apart there (see the package documentation).
func lockFolder(*os.File, lockMode, time.Duration) error { return nil }
