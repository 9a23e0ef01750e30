// Package vulndb builds a local copy of the Go vulnerability database from
// an archive of its OSV entries, laid out as govulncheck reads it with
// -db file:///DIR.
//
// The public database (vuln.go.dev) is generated from the entries in the
// data/osv folder of its source repository. This package reads such a
// folder from an xz-compressed tar archive ([ReadArchive]) and writes the
// three endpoints a local database needs ([Snapshot.WriteDir]):
//
//   - index/db.json: {"modified": time}, the snapshot's [Snapshot.Date];
//   - index/modules.json: every affected module path, sorted, each with the
//     ids of the entries that affect it, their modified time and, where one
//     bounds every affected version, the version that fixes them;
//   - ID/<id>.json: each entry's bytes as the archive holds them.
//
// The same archive always gives the same bytes. The indexes only let
// govulncheck choose which entries to read: it matches versions against
// the entries' own ranges, so a "fixed" version is written only where no
// affected version can lie above it.
package vulndb

import (
	"slices"
	"strings"
	"time"
)

// Snapshot is a set of OSV entries read from an archive.
type Snapshot struct {
	entries []entry // sorted by id
	date    time.Time
}

// Len returns the number of entries.
func (s *Snapshot) Len() int { return len(s.entries) }

// Date returns the time of the snapshot: the latest modified time of its
// entries or, where every entry carries the zero time (the files of the
// database's source repository do: the public database sets their times
// from its commit history), the latest modification time of the archive's
// entry files.
func (s *Snapshot) Date() time.Time { return s.date }

// newSnapshot sorts entries by id and dates the snapshot; fileTime is the
// latest modification time of the files the entries came from.
func newSnapshot(entries []entry, fileTime time.Time) *Snapshot {
	slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.id, b.id) })
	var date time.Time
	for _, e := range entries {
		if e.modified.After(date) {
			date = e.modified
		}
	}
	if date.IsZero() {
		date = fileTime
	}
	return &Snapshot{entries: entries, date: date.UTC()}
}
