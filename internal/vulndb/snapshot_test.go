package vulndb

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// committedArchive is the snapshot make vulncheck falls back to.
const committedArchive = "../../third_party/govulndb/osv.tar.xz"

// TestCommittedArchive reads the committed snapshot whole and checks it
// against its README: every entry parses, and it is dated and counted as
// the README says.
func TestCommittedArchive(t *testing.T) {
	f, err := os.Open(committedArchive)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := ReadArchive(f)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s.Len(), 4291; got != want {
		t.Errorf("Len() = %d, want %d (third_party/govulndb/README.md)", got, want)
	}
	if got, want := s.Date(), time.Date(2026, 8, 21, 20, 38, 0, 0, time.UTC); !got.Truncate(time.Minute).Equal(want) {
		t.Errorf("Date() = %v, want %v (third_party/govulndb/README.md)", got, want)
	}
	dir := t.TempDir()
	if err := s.WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "index", "modules.json"))
	if err != nil {
		t.Fatal(err)
	}
	var modules []moduleMeta
	if err := json.Unmarshal(b, &modules); err != nil {
		t.Fatal(err)
	}
	// The advisory the failing fixture of make vulncheck-proof calls.
	want := []moduleVuln{{ID: "GO-2022-1059", Modified: s.Date(), Fixed: "0.3.8"}}
	var got []moduleVuln
	for _, m := range modules {
		if m.Path != "golang.org/x/text" {
			continue
		}
		for _, v := range m.Vulns {
			if v.ID == "GO-2022-1059" {
				got = append(got, v)
			}
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("golang.org/x/text in index/modules.json (-want +got):\n%s", diff)
	}
	if _, err := os.Stat(filepath.Join(dir, "ID", "GO-2022-1059.json")); err != nil {
		t.Error(err)
	}
}
