package tree

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"

	"github.com/istio-render/istio-render/render"
)

// sample is a small tree of three objects.
func sample(t *testing.T) *Tree {
	t.Helper()
	tr, err := layout([]object{
		obj(t, render.ComponentNamespaces, "v1", "Namespace", "", "shop"),
		obj(t, render.ComponentIstiod, "apps/v1", "Deployment", "istio-system", "istiod"),
		obj(t, render.ComponentPolicy, "security.istio.io/v1", "PeerAuthentication", "shop", "default"),
	})
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// tempDir is t.TempDir with every symbolic link resolved, so that a test
// does not trip over a linked temporary folder (/var on macOS).
func tempDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// snapshot records every file, folder and link under dir.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			out[rel] = "link to " + target
		case d.IsDir():
			out[rel+"/"] = ""
		default:
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			out[rel] = string(data)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// treeSnapshot is what snapshot gives for a folder holding exactly tr.
func treeSnapshot(tr *Tree) map[string]string {
	want := map[string]string{"./": ""}
	for _, f := range tr.Files {
		want[f.Path] = string(f.Data)
		for d := path.Dir(f.Path); d != "."; d = path.Dir(d) {
			want[d+"/"] = ""
		}
	}
	return want
}

func writeFile(t *testing.T, dir, rel, data string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestWriteFreshThenCheck(t *testing.T) {
	dir := filepath.Join(tempDir(t), "out")
	tr := sample(t)
	res, err := Write(dir, tr)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Written) != len(tr.Files) || len(res.Removed) != 0 || res.Unchanged != 0 {
		t.Errorf("Write() = %+v, want %d files written", res, len(tr.Files))
	}
	if diff := cmp.Diff(treeSnapshot(tr), snapshot(t, dir)); diff != "" {
		t.Errorf("directory (-want +got):\n%s", diff)
	}
	drift, err := Check(dir, tr)
	if err != nil || len(drift) != 0 {
		t.Errorf("Check() after Write = %v, %v; want no drift", drift, err)
	}
	res, err = Write(dir, tr)
	if err != nil || len(res.Written) != 0 || res.Unchanged != len(tr.Files) {
		t.Errorf("second Write() = %+v, %v; want everything unchanged", res, err)
	}
}

func TestCheckMissingDirectory(t *testing.T) {
	tr := sample(t)
	drift, err := Check(filepath.Join(tempDir(t), "absent"), tr)
	if err != nil {
		t.Fatal(err)
	}
	if len(drift) != len(tr.Files) {
		t.Fatalf("Check() = %v, want every file missing", drift)
	}
	for _, d := range drift {
		if d.Kind != Missing {
			t.Errorf("%v, want missing", d)
		}
	}
}

func TestDriftAndRepair(t *testing.T) {
	tr := sample(t)
	tests := []struct {
		reason string
		change func(t *testing.T, dir string)
		want   []Drift
		// removed lists what the repairing Write removes.
		removed []string
	}{{
		reason: "an edited file is reported and rewritten",
		change: func(t *testing.T, dir string) {
			writeFile(t, dir, "istiod/deployment-istiod.yaml", Marker+"\nkind: Deployment\n")
		},
		want: []Drift{{Path: "istiod/deployment-istiod.yaml", Kind: Edited}},
	}, {
		reason: "a deleted file is reported missing and written again",
		change: func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, "namespaces", "namespace-shop.yaml")); err != nil {
				t.Fatal(err)
			}
		},
		want: []Drift{{Path: "namespaces/namespace-shop.yaml", Kind: Missing}},
	}, {
		reason: "a stray owned file is reported and removed with its empty folder",
		change: func(t *testing.T, dir string) {
			writeFile(t, dir, "gateways/old/service-old.yaml", Marker+"\nkind: Service\n")
		},
		want:    []Drift{{Path: "gateways/old/service-old.yaml", Kind: Stray}},
		removed: []string{"gateways/old/service-old.yaml"},
	}, {
		reason: "foreign files, hidden folders and leftover temporary files are not drift",
		change: func(t *testing.T, dir string) {
			writeFile(t, dir, "README.md", "notes\n")
			writeFile(t, dir, "istiod/extra.yaml", "kind: ConfigMap\n")
			writeFile(t, dir, ".git/owned-looking.yaml", Marker+"\n")
			writeFile(t, dir, "istiod/.deployment-istiod.yaml.0a1b2c3d4e5f"+tempSuffix, Marker+"\npartial")
			writeFile(t, dir, "istiod/.deployment-istiod.yaml.0a1b2c3d4e5e"+tempSuffix, "not ours")
		},
	}}
	for _, tc := range tests {
		t.Run(tc.reason, func(t *testing.T) {
			dir := tempDir(t)
			if _, err := Write(dir, tr); err != nil {
				t.Fatal(err)
			}
			writeFile(t, dir, "foreign/keep.txt", "mine\n")
			tc.change(t, dir)
			drift, err := Check(dir, tr)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, drift); diff != "" {
				t.Errorf("Check() (-want +got):\n%s", diff)
			}
			before := snapshot(t, dir)
			res, err := Write(dir, tr)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.removed, res.Removed); diff != "" {
				t.Errorf("Write() removed (-want +got):\n%s", diff)
			}
			if drift, err := Check(dir, tr); err != nil || len(drift) != 0 {
				t.Errorf("Check() after repair = %v, %v; want no drift", drift, err)
			}
			after := snapshot(t, dir)
			for p, data := range before {
				if strings.HasSuffix(p, tempSuffix) && strings.HasPrefix(data, Marker+"\n") {
					if _, ok := after[p]; ok {
						t.Errorf("leftover temporary file %s survived", p)
					}
					continue
				}
				if _, owned := tr.Lookup(p); owned || strings.HasPrefix(data, Marker+"\n") && !strings.HasPrefix(p, ".git/") || strings.HasSuffix(p, "/") {
					continue
				}
				if after[p] != data {
					t.Errorf("foreign %s changed: %q -> %q", p, data, after[p])
				}
			}
			if _, ok := after["gateways/"]; ok {
				t.Errorf("empty folder gateways/ left behind")
			}
		})
	}
}

func TestWriteRefusesForeignFilesInTheWay(t *testing.T) {
	tr := sample(t)
	outside := tempDir(t)
	tests := []struct {
		reason string
		setup  func(t *testing.T, dir string)
		want   string
	}{{
		reason: "a file without the marker where the tree writes",
		setup: func(t *testing.T, dir string) {
			writeFile(t, dir, "istiod/deployment-istiod.yaml", "# my own\nkind: Deployment\n")
		},
		want: "istiod/deployment-istiod.yaml: a file without the istio-render header",
	}, {
		reason: "a symbolic link to a folder outside",
		setup: func(t *testing.T, dir string) {
			if err := os.Symlink(outside, filepath.Join(dir, "istiod")); err != nil {
				t.Fatal(err)
			}
		},
		want: "istiod/deployment-istiod.yaml: istiod is a symbolic link, not a folder",
	}, {
		reason: "a symbolic link at a file's path",
		setup: func(t *testing.T, dir string) {
			if err := os.MkdirAll(filepath.Join(dir, "namespaces"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(filepath.Join(outside, "victim.yaml"), filepath.Join(dir, "namespaces", "namespace-shop.yaml")); err != nil {
				t.Fatal(err)
			}
		},
		want: "namespaces/namespace-shop.yaml: namespaces/namespace-shop.yaml is a symbolic link",
	}, {
		reason: "a folder at a file's path",
		setup: func(t *testing.T, dir string) {
			if err := os.MkdirAll(filepath.Join(dir, "kustomization.yaml"), 0o755); err != nil {
				t.Fatal(err)
			}
		},
		want: "kustomization.yaml: kustomization.yaml is a folder",
	}}
	for _, tc := range tests {
		t.Run(tc.reason, func(t *testing.T) {
			dir := tempDir(t)
			tc.setup(t, dir)
			before, outsideBefore := snapshot(t, dir), snapshot(t, outside)
			_, err := Write(dir, tr)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Write() error = %v, want it to mention %q", err, tc.want)
			}
			if diff := cmp.Diff(before, snapshot(t, dir)); diff != "" {
				t.Errorf("directory changed (-before +after):\n%s", diff)
			}
			if diff := cmp.Diff(outsideBefore, snapshot(t, outside)); diff != "" {
				t.Errorf("outside changed (-before +after):\n%s", diff)
			}
			drift, err := Check(dir, tr)
			if err != nil {
				t.Fatal(err)
			}
			foreign := 0
			for _, d := range drift {
				if d.Kind == Foreign {
					foreign++
				}
			}
			if foreign == 0 {
				t.Errorf("Check() = %v, want a foreign path", drift)
			}
		})
	}
}

func TestAbortLeavesDirectoryAsItWas(t *testing.T) {
	dir := tempDir(t)
	old := sample(t)
	if _, err := Write(dir, old); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	next, err := layout([]object{obj(t, "gateway/new", "v1", "Service", "edge", "new")})
	if err != nil {
		t.Fatal(err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	w := &writer{root: root, synced: map[string]bool{}}
	if err := w.stage(next.Files); err != nil {
		t.Fatal(err)
	}
	if len(w.staged) != len(next.Files) || len(w.created) != 2 {
		t.Fatalf("stage() staged %d files and created %v, want %d files and 2 folders", len(w.staged), w.created, len(next.Files))
	}
	if last := w.staged[len(w.staged)-1].target; last != KustomizationFile {
		t.Errorf("last staged file is %s, want the kustomization", last)
	}
	w.abort()
	if diff := cmp.Diff(before, snapshot(t, dir)); diff != "" {
		t.Errorf("abort() left changes (-before +after):\n%s", diff)
	}
}

func TestBuildGivesTheObjectsInOrder(t *testing.T) {
	dir := tempDir(t)
	objs := []object{
		obj(t, render.ComponentNamespaces, "v1", "Namespace", "", "shop"),
		obj(t, render.ComponentIstiod, "v1", "ServiceAccount", "istio-system", "istiod"),
		obj(t, render.ComponentIstiod, "apps/v1", "Deployment", "istio-system", "istiod"),
		obj(t, render.ComponentPolicy, "security.istio.io/v1", "PeerAuthentication", "shop", "default"),
	}
	tr, err := layout(objs)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Write(dir, tr); err != nil {
		t.Fatal(err)
	}
	// A foreign file beside the tree is not part of the build.
	writeFile(t, dir, "notes.yaml", "kind: ConfigMap\n")
	out, err := Build(dir)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, o := range objs {
		want = append(want, string(o.yaml))
	}
	got := strings.Split(strings.TrimSpace(string(out)), "\n---\n")
	for i := range got {
		got[i] = normalize(t, got[i])
	}
	for i := range want {
		want[i] = normalize(t, want[i])
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Build() (-want +got):\n%s", diff)
	}
}

// normalize re-serializes a YAML document with sorted keys.
func normalize(t *testing.T, doc string) string {
	t.Helper()
	var v any
	if err := yaml.Unmarshal([]byte(doc), &v); err != nil {
		t.Fatal(err)
	}
	out, err := yaml.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestReadMatchesBuild(t *testing.T) {
	dir := tempDir(t)
	tr, err := layout([]object{
		obj(t, render.ComponentNamespaces, "v1", "Namespace", "", "shop"),
		obj(t, render.ComponentIstiod, "apps/v1", "Deployment", "istio-system", "istiod"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Write(dir, tr); err != nil {
		t.Fatal(err)
	}
	built, err := Build(dir)
	if err != nil {
		t.Fatal(err)
	}
	read, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	split := func(s []byte) []string {
		var out []string
		for _, d := range strings.Split(strings.TrimPrefix(string(s), "---\n"), "\n---\n") {
			out = append(out, normalize(t, d))
		}
		return out
	}
	if diff := cmp.Diff(split(built), split(read)); diff != "" {
		t.Errorf("Read() vs Build() (-build +read):\n%s", diff)
	}

	// An edited kustomization is no longer read directly: kustomize
	// applies the edit.
	k := filepath.Join(dir, KustomizationFile)
	data, err := os.ReadFile(k)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, KustomizationFile, string(data)+"namespace: other\n")
	read, err = Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(read), "namespace: other") {
		t.Errorf("Read() of an edited kustomization ignored the edit:\n%s", read)
	}
}
