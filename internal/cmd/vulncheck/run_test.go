package main

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ulikunitz/xz"
)

var (
	// now is the time snapshot ages are measured from.
	now = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	// older and newer date the two test snapshots.
	older = time.Date(2026, 8, 21, 20, 38, 0, 0, time.UTC)
	newer = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
)

// writeArchive writes an xz tar archive of one OSV entry, id, whose file
// is dated modTime, and returns its path.
func writeArchive(t *testing.T, id string, modTime time.Time) string {
	t.Helper()
	body := `{"id":"` + id + `","modified":"0001-01-01T00:00:00Z","affected":[{"package":{"name":"golang.org/x/text"},` +
		`"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"0.3.8"}]}]}]}`
	var tarBuf bytes.Buffer
	tw := tar.NewWriter(&tarBuf)
	h := &tar.Header{Name: "osv/" + id + ".json", Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(body)), ModTime: modTime}
	if err := tw.WriteHeader(h); err != nil {
		t.Fatal(err)
	}
	if _, err := tw.Write([]byte(body)); err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	xw, err := xz.NewWriter(&out)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := xw.Write(tarBuf.Bytes()); err != nil {
		t.Fatal(err)
	}
	if err := xw.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), id+".tar.xz")
	if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// fakeGovulncheck writes a stand-in for govulncheck that records its
// arguments in dir/args and the files of the database it is given in
// dir/db, then exits with code.
func fakeGovulncheck(t *testing.T, dir string, code int) string {
	t.Helper()
	script := fmt.Sprintf(`#!/bin/sh
printf '%%s\n' "$@" > %[1]s/args
while [ $# -gt 0 ]; do
  if [ "$1" = -db ]; then db=$2; fi
  shift
done
case "$db" in
  file://*) (cd "${db#file://}" && find . -type f | sort) > %[1]s/db ;;
  *) echo "$db" > %[1]s/db ;;
esac
echo "fake govulncheck: exit %[2]d"
exit %[2]d
`, dir, code)
	path := filepath.Join(dir, "govulncheck")
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// server returns the URL of a loopback database that answers status.
func server(t *testing.T, status int) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/index/db.json.gz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// closedServer returns the URL of a loopback address nothing listens on.
func closedServer(t *testing.T) string {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	return srv.URL
}

func TestRun(t *testing.T) {
	oldArchive := writeArchive(t, "GO-2022-1059", older)
	newArchive := writeArchive(t, "GO-2026-0001", newer)
	corrupt := filepath.Join(t.TempDir(), "corrupt.tar.xz")
	b, err := os.ReadFile(oldArchive)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(corrupt, b[:len(b)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "missing.tar.xz")

	tests := []struct {
		name     string
		args     []string // after -govulncheck
		code     int      // the fake govulncheck's exit status
		noBinary bool     // give a govulncheck that does not exist
		want     int
		wantOut  []string // in stdout
		wantDB   string   // in the database listing the fake saw; "" when it must not run
	}{{
		name:    "no called vulnerability",
		args:    []string{"-online=", "-archive", oldArchive},
		want:    0,
		wantOut: []string{"database: the local snapshot " + oldArchive + ", 1 entries, snapshot of 2026-08-21 20:38 UTC, 101 days older than today (2026-12-01): advisories published since are not checked", "fake govulncheck: exit 0", "vulncheck: ok: the code calls no vulnerability known to the local snapshot " + oldArchive + " of 2026-08-21\n"},
		wantDB:  "./ID/GO-2022-1059.json\n./index/db.json\n./index/modules.json\n",
	}, {
		name:    "called vulnerability",
		args:    []string{"-online=", "-archive", oldArchive},
		code:    3,
		want:    3,
		wantOut: []string{"vulncheck: FAIL: the code calls a vulnerability known to the local snapshot " + oldArchive + " of 2026-08-21 (listed above; govulncheck exit 3)"},
		wantDB:  "./ID/GO-2022-1059.json",
	}, {
		name:    "govulncheck fails",
		args:    []string{"-online=", "-archive", oldArchive},
		code:    1,
		want:    1,
		wantOut: []string{"vulncheck: FAIL: govulncheck did not complete (exit status 1)"},
		wantDB:  "./index/modules.json",
	}, {
		name:    "govulncheck refuses its arguments",
		args:    []string{"-online=", "-archive", oldArchive},
		code:    2,
		want:    1,
		wantOut: []string{"vulncheck: FAIL: govulncheck did not complete (exit status 2)"},
		wantDB:  "./index/modules.json",
	}, {
		name:     "no govulncheck",
		args:     []string{"-online=", "-archive", oldArchive},
		noBinary: true,
		want:     1,
		wantOut:  []string{"vulncheck: FAIL: cannot run govulncheck"},
	}, {
		name:    "missing snapshot",
		args:    []string{"-online=", "-archive", missing},
		want:    1,
		wantOut: []string{"vulncheck: FAIL: no vulnerability database, so no check: snapshot: open " + missing},
	}, {
		name:    "corrupt snapshot",
		args:    []string{"-online=", "-archive", corrupt},
		want:    1,
		wantOut: []string{"vulncheck: FAIL: no vulnerability database, so no check: snapshot \"" + corrupt + "\""},
	}, {
		name:    "a corrupt snapshot beside a good one",
		args:    []string{"-online=", "-archive", oldArchive, "-archive", corrupt},
		want:    1,
		wantOut: []string{"vulncheck: FAIL: no vulnerability database"},
	}, {
		name:    "the newest of two snapshots",
		args:    []string{"-online=", "-archive", oldArchive, "-archive", newArchive},
		want:    0,
		wantOut: []string{"database: the local snapshot " + newArchive + ", 1 entries, snapshot of 2026-11-30 12:00 UTC, from today"},
		wantDB:  "./ID/GO-2026-0001.json",
	}, {
		name:    "online database answers",
		args:    []string{"-online", server(t, http.StatusOK), "-archive", missing},
		want:    0,
		wantOut: []string{"database: the online database http://127.0.0.1:", "vulncheck: ok: the code calls no vulnerability known to the online database http://127.0.0.1:"},
		wantDB:  "http://127.0.0.1:",
	}, {
		name:    "online database refuses",
		args:    []string{"-online", server(t, http.StatusNotFound), "-archive", oldArchive},
		want:    0,
		wantOut: []string{"404 Not Found); using the newest local snapshot", "database: the local snapshot " + oldArchive},
		wantDB:  "./ID/GO-2022-1059.json",
	}, {
		name:    "online database unreachable",
		args:    []string{"-online", closedServer(t), "-archive", oldArchive},
		want:    0,
		wantOut: []string{"connection refused); using the newest local snapshot"},
		wantDB:  "./ID/GO-2022-1059.json",
	}, {
		name:    "online database unreachable, no snapshot",
		args:    []string{"-online", closedServer(t)},
		want:    1,
		wantOut: []string{"vulncheck: FAIL: no vulnerability database, so no check: the online database cannot be reached"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			bin := fakeGovulncheck(t, dir, tt.code)
			if tt.noBinary {
				bin = filepath.Join(dir, "absent")
			}
			var stdout, stderr bytes.Buffer
			args := append([]string{"-govulncheck", bin}, tt.args...)
			got := run(context.Background(), append(args, "./..."), &stdout, &stderr, now)
			if got != tt.want {
				t.Errorf("run() = %d, want %d\nstdout:\n%s\nstderr:\n%s", got, tt.want, &stdout, &stderr)
			}
			for _, w := range tt.wantOut {
				if !strings.Contains(stdout.String(), w) {
					t.Errorf("stdout lacks %q:\n%s", w, &stdout)
				}
			}
			db, err := os.ReadFile(filepath.Join(dir, "db"))
			switch {
			case tt.wantDB == "" && err == nil:
				t.Errorf("govulncheck ran, on %s; want it not run", db)
			case tt.wantDB != "" && err != nil:
				t.Errorf("govulncheck did not run: %v", err)
			case !strings.Contains(string(db), tt.wantDB):
				t.Errorf("govulncheck read a database of\n%s\nwant one with %q", db, tt.wantDB)
			}
		})
	}
}

// TestRunArguments checks what govulncheck is given, and that the built
// database is gone once the run ends.
func TestRunArguments(t *testing.T) {
	dir := t.TempDir()
	bin := fakeGovulncheck(t, dir, 0)
	var stdout, stderr bytes.Buffer
	args := []string{"-govulncheck", bin, "-online=", "-archive", writeArchive(t, "GO-2022-1059", older), "-C", "testdata/x", "./a", "./b/..."}
	if got := run(context.Background(), args, &stdout, &stderr, now); got != 0 {
		t.Fatalf("run() = %d, want 0\n%s%s", got, &stdout, &stderr)
	}
	b, err := os.ReadFile(filepath.Join(dir, "args"))
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(got) != 8 || got[0] != "-db" || !strings.HasPrefix(got[1], "file:///") ||
		strings.Join(got[2:], " ") != "-show version -C testdata/x ./a ./b/..." {
		t.Fatalf("govulncheck arguments = %q, want -db file:///… -show version -C testdata/x ./a ./b/...", got)
	}
	if _, err := os.Stat(strings.TrimPrefix(got[1], "file://")); !os.IsNotExist(err) {
		t.Errorf("the database folder %s is left behind (stat: %v)", got[1], err)
	}
}

func TestRunUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"no govulncheck", []string{"-archive", "a.tar.xz"}},
		{"no database", []string{"-govulncheck", "/bin/true", "-online="}},
		{"unknown flag", []string{"-govulncheck", "/bin/true", "-db", "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if got := run(context.Background(), tt.args, &stdout, &stderr, now); got != exitUsage {
				t.Errorf("run(%q) = %d, want %d\n%s%s", tt.args, got, exitUsage, &stdout, &stderr)
			}
		})
	}
}
