package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/istio-render/istio-render/internal/vulndb"
)

// database is the database govulncheck reads.
type database struct {
	url  string // govulncheck -db
	name string // what it is, for the report

	snapshot *vulndb.Snapshot // nil for the online database
	tempDir  string           // the built folder, removed by close
}

// describe says which database this is and, for a snapshot, how much
// older than now it is.
func (db *database) describe(now time.Time) string {
	if db.snapshot == nil {
		return db.name + " (its date is printed below as \"DB updated\")"
	}
	date := db.snapshot.Date()
	age := "from today"
	if days := int(now.Sub(date).Hours() / 24); days > 0 {
		age = fmt.Sprintf("%d days older than today (%s): advisories published since are not checked", days, now.UTC().Format(time.DateOnly))
	}
	return fmt.Sprintf("%s, %d entries, snapshot of %s, %s", db.name, db.snapshot.Len(), date.Format("2006-01-02 15:04 MST"), age)
}

// short names the database and, for a snapshot, its date.
func (db *database) short() string {
	if db.snapshot == nil {
		return db.name
	}
	return db.name + " of " + db.snapshot.Date().Format(time.DateOnly)
}

// close removes the built folder, if any.
func (db *database) close() {
	if db.tempDir != "" {
		os.RemoveAll(db.tempDir)
	}
}

// openDatabase returns the online database when it answers, and otherwise
// the newest snapshot, built into a temporary folder. Every archive given
// must read whole: a broken one is an error even where another would do.
func openDatabase(ctx context.Context, opts options, stdout io.Writer) (*database, error) {
	if opts.online != "" {
		err := probe(ctx, opts.online, opts.probeTimeout)
		if err == nil {
			return &database{url: opts.online, name: "the online database " + opts.online}, nil
		}
		if len(opts.archives) == 0 {
			return nil, fmt.Errorf("the online database cannot be reached: %w", err)
		}
		fmt.Fprintf(stdout, "vulncheck: the online database cannot be reached (%v); using the newest local snapshot\n", err)
	}
	if len(opts.archives) == 0 {
		return nil, errors.New("no snapshot given")
	}
	var (
		newest *vulndb.Snapshot
		from   string
	)
	for _, a := range opts.archives {
		s, err := readArchive(a)
		if err != nil {
			return nil, err
		}
		if newest == nil || s.Date().After(newest.Date()) {
			newest, from = s, a
		}
	}
	tmp, err := os.MkdirTemp("", "vulndb-")
	if err != nil {
		return nil, fmt.Errorf("creating the database folder: %w", err)
	}
	dir := filepath.Join(tmp, "db")
	if err := newest.WriteDir(dir); err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("building the database from %s: %w", strconv.Quote(from), err)
	}
	return &database{
		url:      (&url.URL{Scheme: "file", Path: filepath.ToSlash(dir)}).String(),
		name:     "the local snapshot " + from,
		snapshot: newest,
		tempDir:  tmp,
	}, nil
}

// readArchive reads the snapshot in the archive file name.
func readArchive(name string) (*vulndb.Snapshot, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	defer f.Close()
	s, err := vulndb.ReadArchive(f)
	if err != nil {
		return nil, fmt.Errorf("snapshot %s: %w", strconv.Quote(name), err)
	}
	return s, nil
}
