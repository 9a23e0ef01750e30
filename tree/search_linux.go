package tree

import "golang.org/x/sys/unix"

// searchFlag opens a folder on the way to the output folder only to look
// up the next one: O_PATH needs no read permission, just as a path lookup
// needs none.
const searchFlag = unix.O_PATH
