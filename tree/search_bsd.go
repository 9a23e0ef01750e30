//go:build darwin || freebsd || netbsd || openbsd

package tree

import "golang.org/x/sys/unix"

// searchFlag opens a folder on the way to the output folder. Without
// Linux's O_PATH that takes read permission, which a path lookup does not
// need: a folder that may only be searched is an error here.
const searchFlag = unix.O_RDONLY
