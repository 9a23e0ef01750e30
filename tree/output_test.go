package tree

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func symlink(t *testing.T, target, name string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, name); err != nil {
		t.Fatal(err)
	}
}

// TestOutputFollowsNoLink gives Write and Check an output folder that is,
// or lies beneath, a symbolic link, as an absolute and as a relative path.
// Both must refuse, name the link and where it points, and leave the
// folder the link points to, which holds a tree with a stray file, as it
// was.
func TestOutputFollowsNoLink(t *testing.T) {
	tr := sample(t)
	tests := []struct {
		reason string
		// setup makes links under base, some pointing into outside, and
		// returns the output path relative to base, the component that is
		// a link (relative to base), what the link holds, and the real path
		// Write should suggest instead ("" when the link leads nowhere).
		setup func(t *testing.T, base, outside string) (out, link, target, real string)
	}{{
		reason: "the output folder is a link to a folder",
		setup: func(t *testing.T, base, outside string) (string, string, string, string) {
			target := filepath.Join(outside, "istio")
			symlink(t, target, filepath.Join(base, "deploy"))
			return "deploy", "deploy", target, target
		},
	}, {
		reason: "the output folder is a link to nothing",
		setup: func(t *testing.T, base, outside string) (string, string, string, string) {
			target := filepath.Join(outside, "absent")
			symlink(t, target, filepath.Join(base, "deploy"))
			return "deploy", "deploy", target, ""
		},
	}, {
		reason: "the output folder's parent is a link",
		setup: func(t *testing.T, base, outside string) (string, string, string, string) {
			symlink(t, outside, filepath.Join(base, "deploy"))
			return filepath.Join("deploy", "istio"), "deploy", outside, filepath.Join(outside, "istio")
		},
	}, {
		reason: "the output folder does not exist yet, beneath a link",
		setup: func(t *testing.T, base, outside string) (string, string, string, string) {
			symlink(t, outside, filepath.Join(base, "repo", "deploy"))
			return filepath.Join("repo", "deploy", "new", "istio"), filepath.Join("repo", "deploy"), outside, filepath.Join(outside, "new", "istio")
		},
	}, {
		reason: "a relative link that stays inside the base folder is refused too",
		setup: func(t *testing.T, base, outside string) (string, string, string, string) {
			if err := os.MkdirAll(filepath.Join(base, "real"), 0o755); err != nil {
				t.Fatal(err)
			}
			symlink(t, "real", filepath.Join(base, "alias"))
			return filepath.Join("alias", "istio"), "alias", "real", filepath.Join(base, "real", "istio")
		},
	}}
	for _, tc := range tests {
		for _, relative := range []bool{false, true} {
			name := tc.reason + "/absolute"
			if relative {
				name = tc.reason + "/relative"
			}
			t.Run(name, func(t *testing.T) {
				base, outside := tempDir(t), tempDir(t)
				// The folder the links point to holds a tree with a stray
				// owned file that a write through the link would remove.
				if _, err := Write(filepath.Join(outside, "istio"), tr); err != nil {
					t.Fatal(err)
				}
				writeFile(t, filepath.Join(outside, "istio"), "gateways/old/service-old.yaml", Marker+"\nkind: Service\n")
				out, link, target, real := tc.setup(t, base, outside)
				if relative {
					t.Chdir(base)
				} else {
					out, link = filepath.Join(base, out), filepath.Join(base, link)
				}
				wantMsg := []string{link + " is a symbolic link to " + strconv.Quote(target)}
				if real != "" {
					wantMsg = append(wantMsg, "give its real path "+strconv.Quote(real))
				}
				before, outsideBefore := snapshot(t, base), snapshot(t, outside)

				_, werr := Write(out, tr)
				drift, cerr := Check(out, tr)
				for _, c := range []struct {
					call string
					err  error
				}{{"Write", werr}, {"Check", cerr}} {
					if c.err == nil {
						t.Errorf("%s(%s) succeeded, want it to refuse the link", c.call, out)
						continue
					}
					for _, want := range wantMsg {
						if !strings.Contains(c.err.Error(), want) {
							t.Errorf("%s(%s) error = %v\nwant it to say %s", c.call, out, c.err, want)
						}
					}
				}
				if drift != nil {
					t.Errorf("Check(%s) = %v, want no drift with the error", out, drift)
				}
				if diff := cmp.Diff(before, snapshot(t, base)); diff != "" {
					t.Errorf("base folder changed (-before +after):\n%s", diff)
				}
				if diff := cmp.Diff(outsideBefore, snapshot(t, outside)); diff != "" {
					t.Errorf("folder behind the link changed (-before +after):\n%s", diff)
				}
			})
		}
	}
}

// TestOutputBeneathAFile refuses an output path through a regular file,
// naming it.
func TestOutputBeneathAFile(t *testing.T) {
	base := tempDir(t)
	writeFile(t, base, "deploy", "not a folder\n")
	out := filepath.Join(base, "deploy", "istio")
	want := filepath.Join(base, "deploy") + " is a file, not a folder"
	if _, err := Write(out, sample(t)); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Write() error = %v, want it to say %s", err, want)
	}
	if _, err := Check(out, sample(t)); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Check() error = %v, want it to say %s", err, want)
	}
}

// TestOutputEmptyPath refuses an empty path rather than taking it for the
// working directory.
func TestOutputEmptyPath(t *testing.T) {
	t.Chdir(tempDir(t))
	if _, err := Write("", sample(t)); err == nil || err.Error() != "writing a tree: no folder given" {
		t.Errorf("Write(\"\") error = %v, want no folder given", err)
	}
	if _, err := Check("", sample(t)); err == nil || err.Error() != "checking a tree: no folder given" {
		t.Errorf("Check(\"\") error = %v, want no folder given", err)
	}
	if diff := cmp.Diff(map[string]string{"./": ""}, snapshot(t, ".")); diff != "" {
		t.Errorf("working directory changed (-want +got):\n%s", diff)
	}
}

// TestOutputRelativePaths writes through relative paths that need no link:
// the working directory, a path with a parent step, a new nested folder.
func TestOutputRelativePaths(t *testing.T) {
	tr := sample(t)
	for _, out := range []string{".", "deploy", filepath.Join("a", "b", "istio"), filepath.Join("..", "sibling", "istio")} {
		t.Run(out, func(t *testing.T) {
			base := tempDir(t)
			work := filepath.Join(base, "work")
			if err := os.MkdirAll(work, 0o755); err != nil {
				t.Fatal(err)
			}
			t.Chdir(work)
			if _, err := Write(out, tr); err != nil {
				t.Fatal(err)
			}
			if drift, err := Check(out, tr); err != nil || len(drift) != 0 {
				t.Errorf("Check(%s) = %v, %v; want no drift", out, drift, err)
			}
			if diff := cmp.Diff(treeSnapshot(tr), snapshot(t, filepath.Join(work, out))); diff != "" {
				t.Errorf("%s (-want +got):\n%s", out, diff)
			}
		})
	}
}

// TestSameFolder gives sameFolder the folder the walk reached and another
// one, as os.OpenRoot would open had a folder on the path been replaced
// between the walk and it.
func TestSameFolder(t *testing.T) {
	walked, other := tempDir(t), tempDir(t)
	f, err := openFolder(walked, false)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tests := []struct {
		reason string
		root   string
		want   string
	}{
		{"the folder walked", walked, ""},
		{"another folder", other, "a folder on the path was replaced while it was being opened; try again"},
	}
	for _, tc := range tests {
		t.Run(tc.reason, func(t *testing.T) {
			root, err := os.OpenRoot(tc.root)
			if err != nil {
				t.Fatal(err)
			}
			defer root.Close()
			got := ""
			if err := sameFolder(f, root); err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Errorf("sameFolder() = %q, want %q", got, tc.want)
			}
		})
	}
}
