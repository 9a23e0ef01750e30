package vulndb

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestWriteDir(t *testing.T) {
	text := osv("GO-2022-1059", zeroTime, module("golang.org/x/text", "introduced:0", "fixed:0.3.8"))
	// One entry, two blocks for the same module: one bound (the later fix)
	// where both are fixed, none where one is not.
	redis := osv("GO-2025-3540", "2025-03-20T00:00:00Z",
		module("github.com/redis/go-redis/v9", "introduced:9.5.0", "fixed:9.5.5"),
		module("github.com/redis/go-redis/v9", "introduced:9.7.0", "fixed:9.7.3"),
		module("github.com/redis/go-redis", "introduced:6.15.0", "fixed:6.15.9"),
		module("github.com/redis/go-redis", "introduced:7.0.0"),
	)
	stdlib := osv("GO-2026-6179", zeroTime, module("stdlib", "introduced:0", "fixed:1.25.13", "introduced:1.26.0-0", "fixed:1.26.6"))
	data := archive(t,
		file{name: "osv/", typ: '5'},
		file{name: "osv/GO-2026-6179.json", body: stdlib, modTime: snapshotTime},
		file{name: "osv/GO-2022-1059.json", body: text, modTime: snapshotTime},
		file{name: "osv/GO-2025-3540.json", body: redis, modTime: snapshotTime},
	)
	s, err := ReadArchive(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "db")
	if err := s.WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"index/db.json": `{"modified":"2025-03-20T00:00:00Z"}`,
		"index/modules.json": `[` +
			`{"path":"github.com/redis/go-redis","vulns":[{"id":"GO-2025-3540","modified":"2025-03-20T00:00:00Z"}]},` +
			`{"path":"github.com/redis/go-redis/v9","vulns":[{"id":"GO-2025-3540","modified":"2025-03-20T00:00:00Z","fixed":"9.7.3"}]},` +
			`{"path":"golang.org/x/text","vulns":[{"id":"GO-2022-1059","modified":"2025-03-20T00:00:00Z","fixed":"0.3.8"}]},` +
			`{"path":"stdlib","vulns":[{"id":"GO-2026-6179","modified":"2025-03-20T00:00:00Z","fixed":"1.26.6"}]}` +
			`]`,
		"ID/GO-2022-1059.json": text,
		"ID/GO-2025-3540.json": redis,
		"ID/GO-2026-6179.json": stdlib,
	}
	if diff := cmp.Diff(want, readTree(t, dir)); diff != "" {
		t.Errorf("WriteDir() files mismatch (-want +got):\n%s", diff)
	}
}

func TestWriteDirDeterministic(t *testing.T) {
	var files []file
	for _, id := range []string{"GO-2024-0003", "GO-2021-0001", "GO-2023-0002"} {
		files = append(files, file{name: id + ".json", body: osv(id, zeroTime,
			module("example.com/b", "introduced:0", "fixed:1.0.0"), module("example.com/a", "introduced:0")), modTime: snapshotTime})
	}
	var trees []map[string]string
	for _, order := range [][]int{{0, 1, 2}, {2, 1, 0}} {
		s, err := ReadArchive(bytes.NewReader(archive(t, files[order[0]], files[order[1]], files[order[2]])))
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		if err := s.WriteDir(dir); err != nil {
			t.Fatal(err)
		}
		trees = append(trees, readTree(t, dir))
	}
	if diff := cmp.Diff(trees[0], trees[1]); diff != "" {
		t.Errorf("WriteDir() depends on the archive's order (-first +second):\n%s", diff)
	}
	const modules = `[{"path":"example.com/a","vulns":[` +
		`{"id":"GO-2021-0001","modified":"2026-08-21T20:38:00Z"},` +
		`{"id":"GO-2023-0002","modified":"2026-08-21T20:38:00Z"},` +
		`{"id":"GO-2024-0003","modified":"2026-08-21T20:38:00Z"}]},` +
		`{"path":"example.com/b","vulns":[` +
		`{"id":"GO-2021-0001","modified":"2026-08-21T20:38:00Z","fixed":"1.0.0"},` +
		`{"id":"GO-2023-0002","modified":"2026-08-21T20:38:00Z","fixed":"1.0.0"},` +
		`{"id":"GO-2024-0003","modified":"2026-08-21T20:38:00Z","fixed":"1.0.0"}]}]`
	if diff := cmp.Diff(modules, trees[0]["index/modules.json"]); diff != "" {
		t.Errorf("index/modules.json mismatch (-want +got):\n%s", diff)
	}
}

func TestWriteDirNotEmpty(t *testing.T) {
	s, err := ReadArchive(bytes.NewReader(archive(t, file{name: "GO-2021-0001.json", body: osv("GO-2021-0001", zeroTime)})))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "stale.json"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteDir(dir); err == nil {
		t.Error("WriteDir(a folder with a file) succeeded, want an error")
	}
}

// readTree returns the regular files under dir by slash-separated path.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}
