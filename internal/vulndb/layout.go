package vulndb

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"
)

// dbMeta is index/db.json.
type dbMeta struct {
	Modified time.Time `json:"modified"`
}

// moduleMeta is one element of index/modules.json.
type moduleMeta struct {
	Path  string       `json:"path"`
	Vulns []moduleVuln `json:"vulns"`
}

// moduleVuln is one entry that affects a module.
type moduleVuln struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Fixed    string    `json:"fixed,omitempty"`
}

// WriteDir writes the snapshot as a database folder govulncheck reads
// with -db file:///DIR (DIR absolute). DIR is created if it does not
// exist, and must be empty if it does: a database is written whole, never
// over another one.
func (s *Snapshot) WriteDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating the database folder: %w", err)
	}
	if found, err := os.ReadDir(dir); err != nil {
		return fmt.Errorf("reading the database folder: %w", err)
	} else if len(found) > 0 {
		return fmt.Errorf("the database folder %s is not empty", dir)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return fmt.Errorf("opening the database folder: %w", err)
	}
	defer root.Close()
	for _, sub := range []string{"index", "ID"} {
		if err := root.Mkdir(sub, 0o755); err != nil {
			return fmt.Errorf("creating the database folder: %w", err)
		}
	}
	for _, e := range s.entries {
		if err := root.WriteFile("ID/"+e.id+".json", e.raw, 0o644); err != nil {
			return fmt.Errorf("writing entry %s: %w", e.id, err)
		}
	}
	modules, err := json.Marshal(s.modules())
	if err != nil {
		return fmt.Errorf("encoding index/modules.json: %w", err)
	}
	if err := root.WriteFile("index/modules.json", modules, 0o644); err != nil {
		return fmt.Errorf("writing index/modules.json: %w", err)
	}
	db, err := json.Marshal(dbMeta{Modified: s.date})
	if err != nil {
		return fmt.Errorf("encoding index/db.json: %w", err)
	}
	if err := root.WriteFile("index/db.json", db, 0o644); err != nil {
		return fmt.Errorf("writing index/db.json: %w", err)
	}
	return nil
}

// modules returns the modules index: module paths sorted, each entry
// listed once per module, by id. An entry that lists a module twice (for
// different packages or major versions written alike) is bounded by the
// later of its fixes, or by none where either has none. An entry with the
// zero modified time is given the snapshot's date.
func (s *Snapshot) modules() []moduleMeta {
	byPath := map[string]*moduleMeta{}
	for _, e := range s.entries { // sorted by id, so each module's vulns are too
		modified := e.modified
		if modified.IsZero() {
			modified = s.date
		}
		for _, a := range e.affected {
			m := byPath[a.module]
			if m == nil {
				m = &moduleMeta{Path: a.module}
				byPath[a.module] = m
			}
			if n := len(m.Vulns); n > 0 && m.Vulns[n-1].ID == e.id {
				last := &m.Vulns[n-1]
				if a.fixed == "" || (last.Fixed != "" && versionLess(last.Fixed, a.fixed)) {
					last.Fixed = a.fixed
				}
				continue
			}
			m.Vulns = append(m.Vulns, moduleVuln{ID: e.id, Modified: modified.UTC(), Fixed: a.fixed})
		}
	}
	out := make([]moduleMeta, 0, len(byPath))
	for _, m := range byPath {
		out = append(out, *m)
	}
	slices.SortFunc(out, func(a, b moduleMeta) int { return strings.Compare(a.Path, b.Path) })
	return out
}
