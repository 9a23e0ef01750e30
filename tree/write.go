package tree

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"
	"time"
)

// Result says what Write changed.
type Result struct {
	// Written are the files created or replaced, sorted.
	Written []string
	// Removed are the owned files deleted because the tree no longer has
	// them, sorted.
	Removed []string
	// Unchanged counts the files that already matched.
	Unchanged int
}

// Write makes dir hold the tree: it creates dir if needed, replaces owned
// files whose content differs, creates missing ones and removes owned files
// the tree no longer has. Files without the Marker are left alone; Write
// fails, before changing anything, when one (or a folder or a symbolic
// link) sits where the tree needs a file, and when a symbolic link is on
// the way to dir or at dir. It waits for another Write to dir to finish.
// See the package documentation for the output folder, what Write removes,
// and what a failure or a crash leaves behind.
func Write(dir string, t *Tree) (*Result, error) { return write(dir, t, lockWait) }

// write is Write, waiting up to wait for another Write to the folder.
func write(dir string, t *Tree, wait time.Duration) (*Result, error) {
	if dir == "" {
		return nil, errors.New("writing a tree: no folder given")
	}
	out, err := openOutput(dir, true, exclusive, wait)
	if err != nil {
		return nil, fmt.Errorf("writing %s: %w", dir, err)
	}
	defer out.close()
	root := out.root
	p, err := newPlan(root, t)
	if err != nil {
		return nil, err
	}
	var blocked []string
	for _, d := range p.drift {
		if d.Kind == Foreign {
			blocked = append(blocked, fmt.Sprintf("%s: %s", d.Path, d.Reason))
		}
	}
	if len(blocked) > 0 {
		return nil, fmt.Errorf("refusing to write %s: files istio-render does not own are in the way (move them or restore their header):\n  %s",
			dir, strings.Join(blocked, "\n  "))
	}
	w := &writer{root: root, synced: map[string]bool{}}
	if err := w.stage(p.writes); err != nil {
		w.abort()
		return nil, fmt.Errorf("writing %s: %w (nothing was changed)", dir, err)
	}
	if err := w.commit(); err != nil {
		w.abort()
		return nil, fmt.Errorf("writing %s: %w (some files were updated; run again to finish)", dir, err)
	}
	removed, err := w.remove(append(p.removes, p.temps...))
	if err != nil {
		return nil, fmt.Errorf("cleaning up %s: %w", dir, err)
	}
	if err := w.syncDirs(); err != nil {
		return nil, fmt.Errorf("syncing %s: %w", dir, err)
	}
	res := &Result{Unchanged: p.unchanged, Removed: removed}
	for _, f := range p.writes {
		res.Written = append(res.Written, f.Path)
	}
	return res, nil
}

// writer carries one Write through staging, commit and clean-up.
type writer struct {
	root *os.Root
	// staged pairs each temporary file with its target, in commit order.
	staged []staged
	// created are the folders staging created, parents first.
	created []string
	// synced are the folders whose entries changed and need a sync.
	synced map[string]bool
}

type staged struct{ temp, target string }

// stage writes every file to a synced temporary file beside its target,
// the kustomization last so that it is renamed last.
func (w *writer) stage(files []File) error {
	files = append([]File(nil), files...)
	sort.SliceStable(files, func(i, j int) bool {
		return files[i].Path != KustomizationFile && files[j].Path == KustomizationFile
	})
	for _, f := range files {
		if err := w.mkdirs(path.Dir(f.Path)); err != nil {
			return err
		}
		temp, err := w.writeTemp(f)
		if err != nil {
			return err
		}
		w.staged = append(w.staged, staged{temp: temp, target: f.Path})
	}
	return nil
}

// mkdirs creates the missing folders of dir one by one, remembering them.
func (w *writer) mkdirs(dir string) error {
	if dir == "." {
		return nil
	}
	parts := strings.Split(dir, "/")
	for i := range parts {
		sub := strings.Join(parts[:i+1], "/")
		err := w.root.Mkdir(filepath.FromSlash(sub), 0o755)
		switch {
		case err == nil:
			w.created = append(w.created, sub)
			w.synced[path.Dir(sub)] = true
		case errors.Is(err, fs.ErrExist):
			info, lerr := w.root.Lstat(filepath.FromSlash(sub))
			if lerr != nil {
				return lerr
			}
			if !info.IsDir() {
				return fmt.Errorf("%s is %s, not a folder", sub, describeMode(info.Mode()))
			}
		default:
			return err
		}
	}
	return nil
}

// writeTemp writes f to a new temporary file in f's folder and syncs it.
// O_EXCL makes the create fail rather than follow anything already there.
func (w *writer) writeTemp(f File) (string, error) {
	temp, err := tempName(f.Path)
	if err != nil {
		return "", err
	}
	fh, err := w.root.OpenFile(filepath.FromSlash(temp), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return "", err
	}
	_, err = fh.Write(f.Data)
	if err == nil {
		err = fh.Sync()
	}
	if cerr := fh.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = w.root.Remove(filepath.FromSlash(temp))
		return "", err
	}
	return temp, nil
}

// commit renames every staged file over its target. A rename replaces a
// directory entry and never follows a symbolic link at the target.
func (w *writer) commit() error {
	for len(w.staged) > 0 {
		s := w.staged[0]
		if err := w.root.Rename(filepath.FromSlash(s.temp), filepath.FromSlash(s.target)); err != nil {
			return err
		}
		w.synced[path.Dir(s.target)] = true
		w.staged = w.staged[1:]
	}
	return nil
}

// abort removes the temporary files not yet renamed and the folders staging
// created that are still empty.
func (w *writer) abort() {
	for _, s := range w.staged {
		_ = w.root.Remove(filepath.FromSlash(s.temp))
	}
	w.staged = nil
	for i := len(w.created) - 1; i >= 0; i-- {
		_ = w.root.Remove(filepath.FromSlash(w.created[i]))
	}
}

// remove deletes files and then the folders they leave empty, deepest
// first, as far as removableFolder allows. It returns the removed files
// that were not temporary files.
func (w *writer) remove(paths []string) ([]string, error) {
	var removed []string
	dirs := map[string]bool{}
	for _, p := range paths {
		if err := w.root.Remove(filepath.FromSlash(p)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return removed, err
		}
		w.synced[path.Dir(p)] = true
		if !strings.HasSuffix(p, tempSuffix) {
			removed = append(removed, p)
		}
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	// Deepest first, so a parent is tried after its children.
	order := make([]string, 0, len(dirs))
	for d := range dirs {
		order = append(order, d)
	}
	sort.Slice(order, func(i, j int) bool {
		if ci, cj := strings.Count(order[i], "/"), strings.Count(order[j], "/"); ci != cj {
			return ci > cj
		}
		return order[i] < order[j]
	})
	for _, d := range order {
		if !removableFolder(d) {
			continue
		}
		// Removing a folder that is not empty fails, and leaves it.
		if err := w.root.Remove(filepath.FromSlash(d)); err == nil {
			w.synced[path.Dir(d)] = true
		}
	}
	sort.Strings(removed)
	return removed, nil
}

// removableFolder reports whether Write may remove the folder d (relative
// to the output folder, never ".") once its removals have emptied it: only
// a folder the layout can make, every name in its path one that segment
// leaves unchanged. A folder of the user's, named otherwise, stays even
// when an owned file in it goes.
func removableFolder(d string) bool {
	for _, name := range strings.Split(d, "/") {
		if !isSegment(name) {
			return false
		}
	}
	return true
}

// syncDirs makes the renames and removals durable.
func (w *writer) syncDirs() error {
	for _, d := range slices.Sorted(maps.Keys(w.synced)) {
		f, err := w.root.Open(filepath.FromSlash(d))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		err = f.Sync()
		f.Close()
		if err != nil && !errors.Is(err, syscall.EINVAL) {
			return err
		}
	}
	return nil
}
