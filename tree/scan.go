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

// tempSuffix ends the name of every temporary file Write creates, so one
// left behind by a crash is recognized and removed by the next Write.
const tempSuffix = ".istio-render-tmp"

// state is what a directory holds, as far as the tree is concerned.
type state struct {
	// owned maps the path of every file carrying the Marker to its content.
	owned map[string][]byte
	// temps are leftover temporary files of an interrupted Write.
	temps []string
}

// scan reads the owned files under root. Folders starting with a dot are
// skipped, symbolic links are never followed, and only .yaml files are
// opened.
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
		case strings.HasSuffix(name, tempSuffix):
			st.temps = append(st.temps, p)
			return nil
		case !strings.HasSuffix(name, ".yaml"):
			return nil
		}
		data, owned, err := readOwned(root, p)
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

// readOwned reads a file if it starts with the Marker line, and only its
// first line otherwise.
func readOwned(root *os.Root, p string) ([]byte, bool, error) {
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
