package vulndb

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"time"
)

// entry is what the indexes need of one OSV entry, and the entry's bytes.
type entry struct {
	id       string
	modified time.Time
	affected []affected
	raw      []byte
}

// affected is one module an entry affects, with the version below which
// every affected version lies ("" where there is no such bound).
type affected struct {
	module string
	fixed  string
}

// osvEntry is the part of the OSV schema the indexes are made of.
type osvEntry struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Affected []struct {
		Package struct {
			Name string `json:"name"`
		} `json:"package"`
		Ranges []osvRange `json:"ranges"`
	} `json:"affected"`
}

// osvRange is an OSV range: events that introduce and fix a vulnerability.
type osvRange struct {
	Type   string `json:"type"`
	Events []struct {
		Introduced string `json:"introduced"`
		Fixed      string `json:"fixed"`
	} `json:"events"`
}

// idPattern is the form of a Go vulnerability id, GO-YYYY-NNNN. An id
// names a file of the database, so nothing else is accepted.
var idPattern = regexp.MustCompile(`^GO-[0-9]{4}-[0-9]{4,}$`)

// errEmptyModule is returned for an affected package without a module path.
var errEmptyModule = errors.New("affected package without a name")

// parseEntry reads the OSV entry in the file named name (a path within
// the archive).
func parseEntry(name string, data []byte) (entry, error) {
	var o osvEntry
	if err := json.Unmarshal(data, &o); err != nil {
		return entry{}, fmt.Errorf("%s: not an OSV entry: %w", strconv.Quote(name), err)
	}
	if !idPattern.MatchString(o.ID) {
		return entry{}, fmt.Errorf("%s: id %s is not of the form GO-YYYY-NNNN", strconv.Quote(name), strconv.Quote(o.ID))
	}
	if path.Base(name) != o.ID+".json" {
		return entry{}, fmt.Errorf("%s: holds entry %s: an entry's file is named for its id", strconv.Quote(name), o.ID)
	}
	e := entry{id: o.ID, modified: o.Modified, raw: bytes.Clone(data)}
	for i, a := range o.Affected {
		if a.Package.Name == "" {
			return entry{}, fmt.Errorf("%s: affected[%d].package.name: %w", strconv.Quote(name), i, errEmptyModule)
		}
		fixed, err := fixBound(a.Ranges)
		if err != nil {
			return entry{}, fmt.Errorf("%s: affected[%d].%w", strconv.Quote(name), i, err)
		}
		e.affected = append(e.affected, affected{module: a.Package.Name, fixed: fixed})
	}
	return e, nil
}
