//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package tree

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// openFolder checks each folder on the way to dir with Lstat, creating the
// missing ones when create is set, and refuses a symbolic link or anything
// else that is not a plain folder. Without openat this is a check before
// use: a folder replaced by a link between the check and the open is not
// caught, except at dir itself (see the package documentation).
func openFolder(dir string, create bool) (*os.File, error) {
	clean := filepath.Clean(dir)
	prefix := filepath.VolumeName(clean)
	rest := clean[len(prefix):]
	if len(rest) > 0 && os.IsPathSeparator(rest[0]) {
		prefix += string(filepath.Separator)
		rest = rest[1:]
	}
	var parts []string
	if rest != "." && rest != "" {
		parts = strings.Split(rest, string(filepath.Separator))
	}
	for i := range parts {
		spelled := prefix + filepath.Join(parts[:i+1]...)
		info, err := os.Lstat(spelled)
		if errors.Is(err, fs.ErrNotExist) && create {
			if err := os.Mkdir(spelled, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
				return nil, err
			}
			info, err = os.Lstat(spelled)
		}
		if err != nil {
			return nil, err
		}
		switch {
		case info.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(spelled)
			if err != nil {
				return nil, err
			}
			return nil, newLinkError(spelled, target, parts[i+1:])
		case info.Mode().IsRegular():
			return nil, fmt.Errorf("%s is a file, not a folder", spelled)
		case !info.IsDir() || info.Mode()&fs.ModeIrregular != 0:
			return nil, fmt.Errorf("%s is a special file or mount point, not a folder", spelled)
		}
	}
	f, err := os.Open(clean)
	if err != nil {
		return nil, err
	}
	opened, err := f.Stat()
	if err == nil {
		var checked fs.FileInfo
		if checked, err = os.Lstat(clean); err == nil && !os.SameFile(opened, checked) {
			err = errors.New("a folder on the path was replaced while it was being opened; try again")
		}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
