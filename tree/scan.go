package tree

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// state is what a directory holds, as far as the tree is concerned.
type state struct {
	// owned maps the path of every file carrying the Marker to its content.
	owned map[string][]byte
	// temps are leftover temporary files of an interrupted Write: named
	// as Write names them and starting with the Marker.
	temps []string
}

// scan reads the owned files under root. Folders starting with a dot are
// skipped, symbolic links are never followed, and only .yaml files and
// files named like Write's temporary files are opened.
func scan(root *os.Root) (*state, error) {
	st := &state{owned: map[string][]byte{}}
	err := fs.WalkDir(root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		switch {
		case d.IsDir():
			if p != "." && strings.HasPrefix(name, ".") {
				return fs.SkipDir
			}
			return nil
		case !d.Type().IsRegular():
			return nil
		case isTempName(name):
			_, owned, err := readOwned(root, p, false)
			if owned {
				st.temps = append(st.temps, p)
			}
			return err
		case !strings.HasSuffix(name, ".yaml"):
			return nil
		}
		data, owned, err := readOwned(root, p, true)
		if err != nil {
			return err
		}
		if owned {
			st.owned[p] = data
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", root.Name(), err)
	}
	return st, nil
}

// readOwned reports whether a file starts with the Marker line and, when
// it does and whole is set, returns its content. It reads no more than
// the first line otherwise.
func readOwned(root *os.Root, p string, whole bool) ([]byte, bool, error) {
	f, err := root.Open(p)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	head := make([]byte, len(Marker)+1)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, false, err
	}
	if !isMarker(head[:n]) {
		return nil, false, nil
	}
	if !whole {
		return nil, true, nil
	}
	rest, err := io.ReadAll(f)
	if err != nil {
		return nil, false, err
	}
	return append(head[:n], rest...), true, nil
}

// isMarker reports whether data starts with the Marker line.
func isMarker(data []byte) bool {
	return bytes.HasPrefix(data, []byte(Marker+"\n"))
}

// checkPath explains why p cannot be written: a folder on the way that is
// not a real folder, or a target that is not a regular file. It returns ""
// when the folders are real or missing and the target is a regular file or
// missing.
func checkPath(root *os.Root, p string) (string, error) {
	parts := strings.Split(p, "/")
	for i := 1; i < len(parts); i++ {
		sub := strings.Join(parts[:i], "/")
		info, err := root.Lstat(sub)
		if errors.Is(err, fs.ErrNotExist) {
			return "", nil
		}
		if err != nil {
			return "", err
		}
		if !info.IsDir() {
			return fmt.Sprintf("%s is %s, not a folder", sub, describeMode(info.Mode())), nil
		}
	}
	info, err := root.Lstat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if !info.Mode().IsRegular() {
		return fmt.Sprintf("%s is %s", p, describeMode(info.Mode())), nil
	}
	return "", nil
}

// describeMode names a file type for error messages.
func describeMode(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsDir():
		return "a folder"
	case m.IsRegular():
		return "a file"
	default:
		return "a special file"
	}
}
