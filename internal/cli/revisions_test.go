package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/istio-render/istio-render/internal/testcharts"
)

// twoLinesDir lays out the golden two-line spec as a user has it: the
// spec, and beside it the 1.30 charts in the folder the spec names.
func twoLinesDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "mesh")
	spec, err := os.ReadFile(filepath.Join("..", "..", "golden", "testdata", "revisions-two-lines", "mesh.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, filepath.Join(dir, "mesh.yaml"), string(spec))
	if err := os.Symlink(testcharts.Istio130Charts(t), filepath.Join(dir, testcharts.Istio130Ref)); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestRevisionChartsBesideTheSpec renders chart folders relative to the
// spec file, not to the working folder, exactly as the golden case.
func TestRevisionChartsBesideTheSpec(t *testing.T) {
	dir := twoLinesDir(t)
	got := expectExit(t, 0, "render", "-f", filepath.Join(dir, "mesh.yaml"))
	want, err := os.ReadFile(filepath.Join("..", "..", "golden", "testdata", "revisions-two-lines", "expected.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if got.stdout != string(want) {
		t.Error("render -f differs from the golden case revisions-two-lines")
	}
	if !strings.Contains(got.stderr, `(profile default, Istio 1.30.4 (1-30-4), 1.31.0 (1-31-0))`) {
		t.Errorf("summary does not name each revision's version:\n%s", got.stderr)
	}
	v := expectExit(t, 0, "validate", "-f", filepath.Join(dir, "mesh.yaml"))
	if !strings.Contains(v.stdout, "valid (profile default, Istio 1.30.4 (1-30-4), 1.31.0 (1-31-0)") {
		t.Errorf("validate:\n%s", v.stdout)
	}
}

// TestValidateRefusesBrokenUpgrades shows validate refusing each broken
// upgrade with its field path.
func TestValidateRefusesBrokenUpgrades(t *testing.T) {
	dir := twoLinesDir(t)
	spec, err := os.ReadFile(filepath.Join(dir, "mesh.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, old, new, want string
	}{{
		name: "a skip of two minors",
		old:  "version: 1.31.0", new: "version: 1.32.0",
		want: "error: spec.revisions[1].version: 1.32.0 is 2 minor versions after 1.30.4",
	}, {
		name: "a tag that points nowhere",
		old:  "prod-canary: 1-31-0", new: "prod-canary: 1-32-0",
		want: `error: spec.tags[prod-canary]: "1-32-0" points at no revision of spec.revisions (they are "1-30-4", "1-31-0")`,
	}, {
		name: "a namespace on a missing revision",
		old:  "injection: prod-canary", new: "injection: 1-29-0",
		want: `error: spec.namespaces[1].injection: "1-29-0" is neither enabled, disabled, ambient, nor a revision of spec.revisions or a tag of spec.tags`,
	}, {
		name: "charts that are not there",
		old:  "charts: charts-1.30", new: "charts: charts-1.29",
		want: `error: spec.revisions[0].charts: "charts-1.29": charts: stat `,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			broken := strings.Replace(string(spec), tt.old, tt.new, 1)
			if broken == string(spec) {
				t.Fatalf("%q is not in the spec", tt.old)
			}
			file := filepath.Join(dir, "broken.yaml")
			writeTestFile(t, file, broken)
			r := expectExit(t, 1, "validate", "-f", file)
			if !strings.Contains(r.stdout, tt.want) {
				t.Errorf("validate output lacks %q:\n%s", tt.want, r.stdout)
			}
		})
	}
}

// TestDiffNamesWhatMovesPerRevision diffs a tag move: one line per
// revision says which tags and namespaces move.
func TestDiffNamesWhatMovesPerRevision(t *testing.T) {
	dir := twoLinesDir(t)
	before := filepath.Join(dir, "mesh.yaml")
	spec, err := os.ReadFile(before)
	if err != nil {
		t.Fatal(err)
	}
	after := filepath.Join(dir, "moved.yaml")
	writeTestFile(t, after, strings.Replace(string(spec), "prod-stable: 1-30-4", "prod-stable: 1-31-0", 1))
	r := expectExit(t, 0, "diff", "--brief", before, after)
	want := []string{
		"Revisions:",
		"  1-30-4 (Istio 1.30.4): objects 1 changed; tags -prod-stable; namespaces -payments",
		"  1-31-0 (Istio 1.31.0): objects 4 changed; tags +prod-stable; namespaces +payments",
		"",
	}
	got := strings.Split(r.stdout, "\n")[2:6]
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("revision lines (-want +got):\n%s\n%s", diff, r.stdout)
	}
	md := expectExit(t, 0, "diff", "--brief", "--markdown", before, after)
	if !strings.Contains(md.stdout, "**Revisions**\n\n- 1-30-4 (Istio 1.30.4): objects 1 changed; tags -prod-stable; namespaces -payments\n") {
		t.Errorf("markdown lacks the revision lines:\n%s", md.stdout)
	}
	same := expectExit(t, 0, "diff", "--brief", before, before)
	if !strings.Contains(same.stdout, "Revisions:\n  1-30-4 (Istio 1.30.4): no object changes\n  1-31-0 (Istio 1.31.0): no object changes\n") {
		t.Errorf("an unchanged two-revision mesh:\n%s", same.stdout)
	}
}

// TestDiffOfOneRevisionSaysNothingPerRevision keeps diffs of a mesh with
// one control plane as they were.
func TestDiffOfOneRevisionSaysNothingPerRevision(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.yaml"), filepath.Join(dir, "b.yaml")
	writeTestFile(t, a, specHead+"spec:\n  profile: minimal\n")
	writeTestFile(t, b, specHead+"spec:\n  profile: minimal\n  namespaces: [{name: shop, injection: enabled}]\n")
	if r := expectExit(t, 0, "diff", a, b); strings.Contains(r.stdout, "Revisions") {
		t.Errorf("a one-revision diff has revision lines:\n%s", r.stdout)
	}
}
