package tree

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// lockWait bounds how long Write and Check wait for another Write to the
// same folder to finish.
const lockWait = 30 * time.Second

// lockMode says whether an output folder is opened to write or to read.
type lockMode int

const (
	// shared lets other readers in and keeps writers out.
	shared lockMode = iota + 1
	// exclusive keeps everyone else out.
	exclusive
)

// output is an output folder opened for one Write or Check.
type output struct {
	// root confines every access to the folder.
	root *os.Root
	// dir is the folder as reached without following a link. It holds
	// the lock until close.
	dir *os.File
}

// openOutput opens dir without following a symbolic link at dir or at any
// folder on its way, creating the missing folders when create is set, and
// locks it in mode, waiting up to wait for a writer to finish. An output
// folder that does not exist is an error that matches fs.ErrNotExist.
//
// The os.Root it returns is checked to be the very folder reached without
// links, so a path changed after the walk is an error, not a way around it.
func openOutput(dir string, create bool, mode lockMode, wait time.Duration) (*output, error) {
	f, err := openFolder(dir, create)
	if err != nil {
		return nil, err
	}
	if err := lockFolder(f, mode, wait); err != nil {
		f.Close()
		return nil, err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		f.Close()
		return nil, err
	}
	if err := sameFolder(f, root); err != nil {
		root.Close()
		f.Close()
		return nil, err
	}
	return &output{root: root, dir: f}, nil
}

// close releases the lock and the folder.
func (o *output) close() {
	o.root.Close()
	o.dir.Close()
}

// sameFolder checks that root is the folder f, opened without links.
func sameFolder(f *os.File, root *os.Root) error {
	want, err := f.Stat()
	if err != nil {
		return err
	}
	got, err := root.Stat(".")
	if err != nil {
		return err
	}
	if !os.SameFile(want, got) {
		return errors.New("a folder on the path was replaced while it was being opened; try again")
	}
	return nil
}

// linkError is an output path with a symbolic link on it.
type linkError struct {
	// path is the link, spelled as in the output path.
	path string
	// target is what the link holds.
	target string
	// real is the output folder with every link resolved, or "" when the
	// link leads nowhere.
	real string
}

// newLinkError describes the link at path, on the way to the folders rest
// beneath it.
func newLinkError(path, target string, rest []string) *linkError {
	e := &linkError{path: path, target: target}
	if real, err := filepath.EvalSymlinks(path); err == nil {
		if abs, err := filepath.Abs(real); err == nil {
			e.real = filepath.Join(append([]string{abs}, rest...)...)
		}
	}
	return e
}

func (e *linkError) Error() string {
	msg := fmt.Sprintf("%s is a symbolic link to %q, and istio-render follows no link on the way to its output folder", e.path, e.target)
	if e.real == "" {
		return msg + "; the link leads nowhere"
	}
	return msg + fmt.Sprintf("; if you mean the folder it leads to, give its real path %q", e.real)
}

// busyError is an output folder that another Write kept locked.
type busyError struct {
	waited time.Duration
}

func (e *busyError) Error() string {
	return fmt.Sprintf("another istio-render is writing this folder; gave up after waiting %s", e.waited)
}
