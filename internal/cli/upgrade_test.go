package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/istio-render/istio-render/internal/testcharts"
)

// TestUpgradePlanFrom130 plans 1.30 -> 1.31 for a spec beside its 1.30
// charts, writes the steps to another folder, renders each and reads
// each step's diff per revision.
func TestUpgradePlanFrom130(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "mesh")
	writeTestFile(t, filepath.Join(dir, "mesh.yaml"), specHead+`spec:
  profile: default
  revision: 1-30-4
  version: 1.30.4
  revisionTags: [default, prod-stable]
  namespaces:
  - {name: payments, injection: prod-stable}
  - {name: catalog, injection: prod-canary}
  - {name: legacy, injection: enabled}
`)
	if err := os.Symlink(testcharts.Istio130Charts(t), filepath.Join(dir, "charts-1.30")); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(root, "plan")
	r := runCLI(t, "", "upgrade", "plan", "-f", filepath.Join(dir, "mesh.yaml"), "--to", "1.31.0",
		"--from-charts", filepath.Join(dir, "charts-1.30"), "--canary-tag", "prod-canary", "-o", out)
	if r.code != 1 || !strings.Contains(r.stderr, `"prod-canary" is neither`) {
		t.Fatalf("a namespace on a tag the spec lacks must be refused first: exit %d\n%s", r.code, r.stderr)
	}
	spec, err := os.ReadFile(filepath.Join(dir, "mesh.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, filepath.Join(dir, "mesh.yaml"), strings.Replace(string(spec), "  - {name: catalog, injection: prod-canary}\n", "", 1))
	r = expectExit(t, 0, "upgrade", "plan", "-f", filepath.Join(dir, "mesh.yaml"), "--to", "1.31.0",
		"--from-charts", filepath.Join(dir, "charts-1.30"), "--canary-tag", "prod-canary", "-o", out)
	steps := []string{
		filepath.Join(dir, "mesh.yaml"),
		filepath.Join(out, "1-revisions.yaml"),
		filepath.Join(out, "2-add-1-31-0.yaml"),
		filepath.Join(out, "3-canary-1-31-0.yaml"),
		filepath.Join(out, "4-move-1-31-0.yaml"),
		filepath.Join(out, "5-remove-1-30-4.yaml"),
	}
	for _, s := range steps[1:] {
		if !strings.Contains(r.stderr, "review: istio-render diff ") || !strings.Contains(r.stderr, s) {
			t.Errorf("stderr does not name %s:\n%s", s, r.stderr)
		}
		data, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), "charts-1.30") && !strings.Contains(string(data), "charts: ../mesh/charts-1.30") {
			t.Errorf("%s names the 1.30 charts relative to another folder:\n%s", s, data)
		}
	}
	var got []string
	for i := 1; i < len(steps); i++ {
		args := []string{"diff", "--brief", steps[i-1], steps[i]}
		if i == 1 {
			// The spec before the plan renders 1.30 from --charts.
			args = append(args, "--old-charts", filepath.Join(dir, "charts-1.30"))
		}
		d := expectExit(t, 0, args...)
		lines := strings.Split(d.stdout, "\n")
		got = append(got, "step "+filepath.Base(steps[i]))
		for _, l := range lines[2:] {
			if l == "" {
				break
			}
			got = append(got, l)
		}
	}
	want := []string{
		"step 1-revisions.yaml",
		"No differences",
		"step 2-add-1-31-0.yaml",
		"Revisions:",
		"  1-30-4 (Istio 1.30.4): objects 1 changed",
		"  1-31-0 (Istio 1.31.0): added; objects 17 added",
		"step 3-canary-1-31-0.yaml",
		"Revisions:",
		"  1-30-4 (Istio 1.30.4): no object changes",
		"  1-31-0 (Istio 1.31.0): objects 2 added, 1 changed; tags +prod-canary",
		"step 4-move-1-31-0.yaml",
		"Revisions:",
		"  1-30-4 (Istio 1.30.4): objects 1 changed; tags -default -prod-stable; namespaces -legacy -payments",
		"  1-31-0 (Istio 1.31.0): objects 7 changed; tags +default +prod-stable; namespaces +legacy +payments",
		"step 5-remove-1-30-4.yaml",
		"Revisions:",
		"  1-30-4 (Istio 1.30.4): removed; objects 17 removed",
		"  1-31-0 (Istio 1.31.0): no object changes",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("step diffs (-want +got):\n%s", diff)
	}
}

func TestUpgradePlanUsage(t *testing.T) {
	expectExit(t, 2, "upgrade", "plan", "--to", "1.31.1")
	expectExit(t, 2, "upgrade", "plan", "-f", "mesh.yaml")
	dir := t.TempDir()
	spec := filepath.Join(dir, "mesh.yaml")
	writeTestFile(t, spec, specHead+"spec:\n  profile: minimal\n")
	r := expectExit(t, 1, "upgrade", "plan", "-f", spec, "--to", "1.33.0")
	if !strings.Contains(r.stderr, "1.33.0 is more than one minor version after 1.31.0: upgrade to 1.32 first") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	r = expectExit(t, 0, "upgrade", "plan", "-f", spec, "--to", "1.31.2")
	if n := strings.Count(r.stdout, "# Step "); n != 4 || !strings.HasPrefix(r.stdout, "# Step 1 of 4: Write the control plane as spec.revisions and spec.tags.\n") {
		t.Errorf("stdout has %d steps:\n%s", n, r.stdout)
	}
}

// TestUpgradePlanReplacesAnEarlierPlan: a plan written into the folder of
// an earlier one leaves only its own steps, and the files that are not
// steps; -o at a file is an error that says -o takes a folder.
func TestUpgradePlanReplacesAnEarlierPlan(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "mesh.yaml")
	writeTestFile(t, spec, specHead+"spec:\n  profile: minimal\n")
	out := filepath.Join(dir, "upgrade")
	expectExit(t, 0, "upgrade", "plan", "-f", spec, "--to", "1.31.1", "-o", out)
	writeTestFile(t, filepath.Join(out, "notes.txt"), "mine\n")
	writeTestFile(t, filepath.Join(out, "9-mine.yaml"), "kind: Mine\n")
	r := expectExit(t, 0, "upgrade", "plan", "-f", spec, "--to", "1.31.2", "-o", out)
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	want := []string{"1-revisions.yaml", "2-add-1-31-2.yaml", "3-canary-1-31-2.yaml", "4-default-1-31-2.yaml", "9-mine.yaml", "notes.txt"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("files (-want +got):\n%s\n%s", diff, r.stderr)
	}
	if !strings.Contains(r.stderr, "removed "+filepath.Join(out, "2-add-1-31-1.yaml")+", a step of an earlier plan") {
		t.Errorf("stderr does not name the removed step:\n%s", r.stderr)
	}

	r = expectExit(t, 1, "upgrade", "plan", "-f", spec, "--to", "1.31.2", "-o", filepath.Join(out, "notes.txt"))
	if want := "-o " + filepath.Join(out, "notes.txt") + ": not a folder; upgrade plan writes a file per step into a folder"; !strings.Contains(r.stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
	}
}
