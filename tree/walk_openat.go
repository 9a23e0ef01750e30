//go:build linux || darwin || freebsd || netbsd || openbsd

package tree

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// openFolder opens dir one folder at a time, each relative to the one
// before and with O_NOFOLLOW, so that no symbolic link is followed: an
// absolute dir from /, a relative one from the working directory. With
// create set, a missing folder is made with mkdirat in the folder already
// open, which never creates through a link either.
func openFolder(dir string, create bool) (*os.File, error) {
	clean := filepath.Clean(dir)
	start, rest := ".", clean
	if filepath.IsAbs(clean) {
		start, rest = "/", clean[1:]
	}
	var parts []string
	if rest != "." && rest != "" {
		parts = strings.Split(rest, "/")
	}
	flags := unix.O_DIRECTORY | unix.O_CLOEXEC | searchFlag
	if len(parts) == 0 {
		flags = unix.O_DIRECTORY | unix.O_CLOEXEC | unix.O_RDONLY
	}
	fd, err := openat(unix.AT_FDCWD, start, flags)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: start, Err: err}
	}
	for i, name := range parts {
		spelled := filepath.Join(parts[:i+1]...)
		if start == "/" {
			spelled = "/" + spelled
		}
		next, err := openStep(fd, name, spelled, create, i == len(parts)-1)
		unix.Close(fd)
		if err != nil {
			if le := (*linkError)(nil); errors.As(err, &le) {
				return nil, newLinkError(le.path, le.target, parts[i+1:])
			}
			return nil, err
		}
		fd = next
	}
	return os.NewFile(uintptr(fd), clean), nil
}

// openStep opens the folder name in the folder parent without following a
// link, making it first if create is set and it is missing. The last
// folder is opened for reading, so that it can be locked; the ones before
// only to look up the next.
func openStep(parent int, name, spelled string, create, last bool) (int, error) {
	flags := unix.O_DIRECTORY | unix.O_NOFOLLOW | unix.O_CLOEXEC | searchFlag
	if last {
		flags = unix.O_DIRECTORY | unix.O_NOFOLLOW | unix.O_CLOEXEC | unix.O_RDONLY
	}
	fd, err := openat(parent, name, flags)
	if errors.Is(err, unix.ENOENT) && create {
		if err := unix.Mkdirat(parent, name, 0o755); err != nil && !errors.Is(err, unix.EEXIST) {
			return -1, &fs.PathError{Op: "mkdir", Path: spelled, Err: err}
		}
		fd, err = openat(parent, name, flags)
	}
	if err == nil {
		return fd, nil
	}
	// Say why: a link, something that is not a folder, or the error.
	var st unix.Stat_t
	if serr := unix.Fstatat(parent, name, &st, unix.AT_SYMLINK_NOFOLLOW); serr == nil {
		switch st.Mode & unix.S_IFMT {
		case unix.S_IFLNK:
			target, rerr := readlinkat(parent, name)
			if rerr != nil {
				return -1, &fs.PathError{Op: "readlink", Path: spelled, Err: rerr}
			}
			return -1, &linkError{path: spelled, target: target}
		case unix.S_IFREG:
			return -1, fmt.Errorf("%s is a file, not a folder", spelled)
		case unix.S_IFDIR:
		default:
			return -1, fmt.Errorf("%s is a special file, not a folder", spelled)
		}
	}
	return -1, &fs.PathError{Op: "open", Path: spelled, Err: err}
}

// openat is unix.Openat, retried when a signal interrupts it.
func openat(dirfd int, name string, flags int) (int, error) {
	for {
		fd, err := unix.Openat(dirfd, name, flags, 0)
		if !errors.Is(err, unix.EINTR) {
			return fd, err
		}
	}
}

// readlinkat returns what the link name in the folder dirfd holds.
func readlinkat(dirfd int, name string) (string, error) {
	for size := 256; ; size *= 2 {
		buf := make([]byte, size)
		n, err := unix.Readlinkat(dirfd, name, buf)
		if err != nil {
			return "", err
		}
		if n < size {
			return string(buf[:n]), nil
		}
	}
}
