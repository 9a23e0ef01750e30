package tree

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"time"
)

// DriftKind says how a file differs from the tree.
type DriftKind int

// Kinds of drift.
const (
	// Edited is an owned file whose content differs from the tree's.
	Edited DriftKind = iota + 1
	// Missing is a file of the tree that the directory lacks.
	Missing
	// Stray is an owned file the tree no longer has.
	Stray
	// Foreign is a path of the tree taken by a file without the Marker, a
	// folder or a symbolic link, which Write refuses to replace.
	Foreign
)

// String returns edited, missing, stray or foreign.
func (k DriftKind) String() string {
	switch k {
	case Edited:
		return "edited"
	case Missing:
		return "missing"
	case Stray:
		return "stray"
	case Foreign:
		return "foreign"
	}
	return fmt.Sprintf("DriftKind(%d)", int(k))
}

// Drift is one file in which a directory differs from a tree.
type Drift struct {
	// Path is slash-separated and relative to the directory.
	Path string
	// Kind says how the file differs.
	Kind DriftKind
	// Reason explains a Foreign path; empty otherwise.
	Reason string
}

// String returns "kind path" and the reason, if any.
func (d Drift) String() string {
	if d.Reason != "" {
		return fmt.Sprintf("%s %s (%s)", d.Kind, d.Path, d.Reason)
	}
	return fmt.Sprintf("%s %s", d.Kind, d.Path)
}

// Check compares a directory with a tree without changing anything. It
// returns every file that differs, sorted by path; none means the directory
// holds exactly the tree (files without the Marker aside). A directory that
// does not exist lacks every file. Like Write, Check follows no symbolic
// link on the way to dir or at dir, and it waits for a Write to dir to
// finish.
func Check(dir string, t *Tree) ([]Drift, error) { return check(dir, t, lockWait) }

// check is Check, waiting up to wait for a Write to the folder to finish.
func check(dir string, t *Tree, wait time.Duration) ([]Drift, error) {
	if dir == "" {
		return nil, errors.New("checking a tree: no folder given")
	}
	out, err := openOutput(dir, false, shared, wait)
	if errors.Is(err, fs.ErrNotExist) {
		missing := make([]Drift, len(t.Files))
		for i, f := range t.Files {
			missing[i] = Drift{Path: f.Path, Kind: Missing}
		}
		return missing, nil
	}
	if err != nil {
		return nil, fmt.Errorf("checking %s: %w", dir, err)
	}
	defer out.close()
	p, err := newPlan(out.root, t)
	if err != nil {
		return nil, err
	}
	return p.drift, nil
}

// plan is what it takes to turn a directory into a tree.
type plan struct {
	// drift lists every difference, sorted by path.
	drift []Drift
	// writes are the files to create or replace, in path order.
	writes []File
	// removes are the owned files the tree no longer has.
	removes []string
	// unchanged counts the owned files that already match.
	unchanged int
	// temps are leftover temporary files to remove.
	temps []string
}

// newPlan compares the directory under root with t.
func newPlan(root *os.Root, t *Tree) (*plan, error) {
	st, err := scan(root)
	if err != nil {
		return nil, err
	}
	p := &plan{temps: st.temps}
	for _, f := range t.Files {
		have, owned := st.owned[f.Path]
		switch {
		case owned && bytes.Equal(have, f.Data):
			p.unchanged++
			continue
		case owned:
			p.drift = append(p.drift, Drift{Path: f.Path, Kind: Edited})
		default:
			if reason, err := foreign(root, f.Path); err != nil {
				return nil, err
			} else if reason != "" {
				p.drift = append(p.drift, Drift{Path: f.Path, Kind: Foreign, Reason: reason})
				continue
			}
			p.drift = append(p.drift, Drift{Path: f.Path, Kind: Missing})
		}
		p.writes = append(p.writes, f)
	}
	for path := range st.owned {
		if _, ok := t.Lookup(path); !ok {
			p.removes = append(p.removes, path)
			p.drift = append(p.drift, Drift{Path: path, Kind: Stray})
		}
	}
	sort.Strings(p.removes)
	sort.Slice(p.drift, func(i, j int) bool { return p.drift[i].Path < p.drift[j].Path })
	return p, nil
}

// foreign explains why a path the tree writes and the directory does not
// own cannot be written: something is there that is not the tree's. It
// returns "" when the path is free.
func foreign(root *os.Root, p string) (string, error) {
	reason, err := checkPath(root, p)
	if err != nil {
		return "", fmt.Errorf("checking %s: %w", p, err)
	}
	if reason != "" {
		return reason, nil
	}
	if _, err := root.Lstat(p); err == nil {
		return "a file without the istio-render header", nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("checking %s: %w", p, err)
	}
	return "", nil
}
