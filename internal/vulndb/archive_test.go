package vulndb

import (
	"archive/tar"
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ulikunitz/xz"
)

// file is one member of a test archive.
type file struct {
	name    string
	body    string
	typ     byte // tar.TypeReg when zero
	modTime time.Time
}

// archive returns an xz-compressed tar archive of files.
func archive(t *testing.T, files ...file) []byte {
	t.Helper()
	var tarBuf bytes.Buffer
	tw := tar.NewWriter(&tarBuf)
	for _, f := range files {
		h := &tar.Header{Name: f.name, Typeflag: f.typ, Mode: 0o644, Size: int64(len(f.body)), ModTime: f.modTime}
		switch f.typ {
		case 0:
			h.Typeflag = tar.TypeReg
		case tar.TypeDir:
			h.Mode, h.Size = 0o755, 0
		case tar.TypeSymlink:
			h.Linkname, h.Size = f.body, 0
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if h.Size > 0 {
			if _, err := tw.Write([]byte(f.body)); err != nil {
				t.Fatal(err)
			}
		}
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
	return out.Bytes()
}

// osv returns a minimal OSV entry: id, modified time and, per module, its
// range events as introduced/fixed pairs.
func osv(id, modified string, affected ...string) string {
	var b strings.Builder
	b.WriteString(`{"schema_version":"1.3.1","id":"` + id + `","modified":"` + modified + `","affected":[`)
	for i, a := range affected {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(a)
	}
	b.WriteString("]}")
	return b.String()
}

// module returns an OSV affected block for path with one SEMVER range of
// events, each "introduced:V" or "fixed:V".
func module(path string, events ...string) string {
	var ev []string
	for _, e := range events {
		kind, v, _ := strings.Cut(e, ":")
		ev = append(ev, `{"`+kind+`":"`+v+`"}`)
	}
	return `{"package":{"name":"` + path + `","ecosystem":"Go"},"ranges":[{"type":"SEMVER","events":[` + strings.Join(ev, ",") + `]}]}`
}

const zeroTime = "0001-01-01T00:00:00Z"

var snapshotTime = time.Date(2026, 8, 21, 20, 38, 0, 0, time.UTC)

func TestReadArchiveErrors(t *testing.T) {
	good := osv("GO-2022-1059", zeroTime, module("golang.org/x/text", "introduced:0", "fixed:0.3.8"))
	valid := archive(t, file{name: "osv/GO-2022-1059.json", body: good})
	tests := []struct {
		name string
		data []byte
		want string // in the error
	}{{
		name: "not xz",
		data: []byte("osv/GO-2022-1059.json"),
		want: "reading xz",
	}, {
		name: "truncated",
		data: valid[:len(valid)-8],
		want: "reading",
	}, {
		name: "a byte changed",
		data: flip(valid, len(valid)/2),
		want: "reading",
	}, {
		name: "no entries",
		data: archive(t, file{name: "osv/", typ: tar.TypeDir}, file{name: "osv/README.md", body: "# none"}),
		want: ErrNoEntries.Error(),
	}, {
		name: "not JSON",
		data: archive(t, file{name: "osv/GO-2022-1059.json", body: "{"}),
		want: `"osv/GO-2022-1059.json": not an OSV entry`,
	}, {
		name: "file not named for its id",
		data: archive(t, file{name: "osv/GO-2022-1060.json", body: good}),
		want: `"osv/GO-2022-1060.json": holds entry GO-2022-1059`,
	}, {
		name: "id that is a path",
		data: archive(t, file{name: "osv/x.json", body: osv("../../x", zeroTime)}),
		want: `id "../../x" is not of the form GO-YYYY-NNNN`,
	}, {
		name: "id twice",
		data: archive(t, file{name: "a/GO-2022-1059.json", body: good}, file{name: "b/GO-2022-1059.json", body: good}),
		want: `"b/GO-2022-1059.json": entry GO-2022-1059 is also in "a/GO-2022-1059.json"`,
	}, {
		name: "symbolic link",
		data: archive(t, file{name: "osv/GO-2022-1059.json", body: "/etc/passwd", typ: tar.TypeSymlink}),
		want: `"osv/GO-2022-1059.json": not a regular file or folder`,
	}, {
		name: "version that is not semantic",
		data: archive(t, file{name: "GO-2022-1059.json", body: osv("GO-2022-1059", zeroTime, module("m", "introduced:0", "fixed:1.x"))}),
		want: `affected[0].ranges[0]: events[1]: version "1.x" is not semantic`,
	}, {
		name: "module without a path",
		data: archive(t, file{name: "GO-2022-1059.json", body: osv("GO-2022-1059", zeroTime, module("", "introduced:0"))}),
		want: "affected[0].package.name: affected package without a name",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ReadArchive(bytes.NewReader(tt.data))
			if err == nil {
				t.Fatalf("ReadArchive() = %d entries, want an error containing %q", s.Len(), tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ReadArchive() error = %q, want it to contain %q", err, tt.want)
			}
		})
	}
	if _, err := ReadArchive(bytes.NewReader(archive(t))); !errors.Is(err, ErrNoEntries) {
		t.Errorf("ReadArchive(empty archive) error = %v, want ErrNoEntries", err)
	}
}

// flip returns data with the byte at i inverted.
func flip(data []byte, i int) []byte {
	out := bytes.Clone(data)
	out[i] ^= 0xff
	return out
}

func TestReadArchiveDate(t *testing.T) {
	later := snapshotTime.Add(time.Hour)
	tests := []struct {
		name  string
		files []file
		want  time.Time
	}{{
		name: "zero modified times: the latest entry file's time",
		files: []file{
			{name: "osv/GO-2020-0001.json", body: osv("GO-2020-0001", zeroTime), modTime: snapshotTime},
			{name: "osv/GO-2020-0002.json", body: osv("GO-2020-0002", zeroTime), modTime: snapshotTime.Add(-time.Hour)},
			{name: "osv/README.md", body: "not an entry", modTime: later},
		},
		want: snapshotTime,
	}, {
		name: "modified times: the latest of them",
		files: []file{
			{name: "GO-2020-0001.json", body: osv("GO-2020-0001", "2025-01-02T03:04:05Z"), modTime: later},
			{name: "GO-2020-0002.json", body: osv("GO-2020-0002", "2024-01-02T03:04:05Z"), modTime: later},
		},
		want: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ReadArchive(bytes.NewReader(archive(t, tt.files...)))
			if err != nil {
				t.Fatal(err)
			}
			if got := s.Date(); !got.Equal(tt.want) {
				t.Errorf("Date() = %v, want %v", got, tt.want)
			}
		})
	}
}
