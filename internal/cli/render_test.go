package cli_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"

	"github.com/istio-render/istio-render/compare"
	"github.com/istio-render/istio-render/tree"
)

// TestRenderTreeMatchesStream renders the production profile to a folder
// and checks that its kustomization lists exactly its files and that
// kustomize builds exactly the stream's objects, in order.
func TestRenderTreeMatchesStream(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "deploy")
	r := expectExit(t, 0, "render", "--profile", "production", "-o", dir)
	if r.stdout != "" {
		t.Errorf("render -o printed on stdout: %q", r.stdout)
	}
	for _, want := range []string{`Rendered IstioMesh "production" (profile production`, "istiod ", "gateway/istio-ingressgateway", "CustomResourceDefinition", "Wrote " + dir} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("summary lacks %q:\n%s", want, r.stderr)
		}
	}

	files := snapshotDir(t, dir)
	var k struct {
		Resources   []string          `json:"resources"`
		SortOptions map[string]string `json:"sortOptions"`
	}
	if err := yaml.Unmarshal([]byte(files[tree.KustomizationFile]), &k); err != nil {
		t.Fatal(err)
	}
	var onDisk []string
	for p, data := range files {
		if !strings.HasPrefix(data, tree.Marker+"\n") {
			t.Errorf("%s lacks the marker line", p)
		}
		if p != tree.KustomizationFile {
			onDisk = append(onDisk, p)
		}
	}
	listed := append([]string(nil), k.Resources...)
	sort.Strings(listed)
	sort.Strings(onDisk)
	if diff := cmp.Diff(onDisk, listed); diff != "" {
		t.Errorf("kustomization resources vs files on disk (-disk +listed):\n%s", diff)
	}
	if k.SortOptions["order"] != "fifo" {
		t.Errorf("sortOptions = %v, want order fifo", k.SortOptions)
	}

	stream := expectExit(t, 0, "render", "--profile", "production", "-q")
	if stream.stderr != "" {
		t.Errorf("render -q printed on stderr: %q", stream.stderr)
	}
	built, err := tree.Build(dir)
	if err != nil {
		t.Fatal(err)
	}
	want, err := compare.Decode([]byte(stream.stdout))
	if err != nil {
		t.Fatal(err)
	}
	got, err := compare.Decode(built)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("kustomize build gives %d objects, the stream %d", len(got), len(want))
	}
	for i := range want {
		if kw, kg := compare.KeyOf(want[i]), compare.KeyOf(got[i]); kw != kg {
			t.Errorf("object %d: kustomize build gives %s, the stream %s", i, kg, kw)
		}
	}
	rep, err := compare.Objects(want, got)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Equal() {
		var b strings.Builder
		_ = rep.Write(&b, compare.Format{Brief: true})
		t.Errorf("kustomize build differs from the stream:\n%s", b.String())
	}
}

// TestCheckAndRepair edits a fresh tree in one way per case, checks that
// --check reports it, and that a re-render repairs it and keeps foreign
// files.
func TestCheckAndRepair(t *testing.T) {
	fresh := filepath.Join(t.TempDir(), "fresh")
	expectExit(t, 0, "render", "--profile", "minimal", "-q", "-o", fresh)
	if r := expectExit(t, 0, "render", "--profile", "minimal", "-o", fresh, "--check"); !strings.Contains(r.stderr, "is up to date") {
		t.Errorf("--check on a fresh tree: stderr %q", r.stderr)
	}
	const deployment = "istiod/deployment-istiod.yaml"
	tests := []struct {
		reason string
		change func(t *testing.T, dir string)
		// want are the lines --check prints; none means it passes.
		want []string
	}{{
		reason: "an edited file",
		change: func(t *testing.T, dir string) {
			p := filepath.Join(dir, deployment)
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			writeTestFile(t, p, string(data)+"# tuned by hand\n")
		},
		want: []string{"edited   " + deployment},
	}, {
		reason: "a missing file",
		change: func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, "namespaces", "namespace-istio-system.yaml")); err != nil {
				t.Fatal(err)
			}
		},
		want: []string{"missing  namespaces/namespace-istio-system.yaml"},
	}, {
		reason: "a stray owned file",
		change: func(t *testing.T, dir string) {
			writeTestFile(t, filepath.Join(dir, "gateways", "old", "service-old.yaml"), tree.Marker+"\nkind: Service\n")
		},
		want: []string{"stray    gateways/old/service-old.yaml"},
	}, {
		reason: "foreign files only",
		change: func(t *testing.T, dir string) {},
	}}
	for _, tc := range tests {
		t.Run(tc.reason, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "deploy")
			copyTestDir(t, fresh, dir)
			writeTestFile(t, filepath.Join(dir, "README.md"), "ours\n")
			writeTestFile(t, filepath.Join(dir, "istiod", "patch.yaml"), "kind: ConfigMap\n")
			tc.change(t, dir)
			before := snapshotDir(t, dir)

			code := 0
			if len(tc.want) > 0 {
				code = 1
			}
			r := expectExit(t, code, "render", "--profile", "minimal", "-o", dir, "--check")
			var got []string
			if out := strings.TrimSpace(r.stdout); out != "" {
				got = strings.Split(out, "\n")
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("--check output (-want +got):\n%s", diff)
			}
			if code == 1 && !strings.Contains(r.stderr, "differs from the render") {
				t.Errorf("--check stderr = %q", r.stderr)
			}
			if diff := cmp.Diff(before, snapshotDir(t, dir)); diff != "" {
				t.Errorf("--check changed the folder (-before +after):\n%s", diff)
			}

			expectExit(t, 0, "render", "--profile", "minimal", "-q", "-o", dir)
			after := snapshotDir(t, dir)
			want := snapshotDir(t, fresh)
			want["README.md"] = "ours\n"
			want["istiod/patch.yaml"] = "kind: ConfigMap\n"
			if diff := cmp.Diff(want, after); diff != "" {
				t.Errorf("after re-render (-want +got):\n%s", diff)
			}
			if _, err := os.Stat(filepath.Join(dir, "gateways")); !os.IsNotExist(err) {
				t.Errorf("the emptied gateways folder survived (%v)", err)
			}
		})
	}
}

// TestFailedRenderLeavesTreeIntact renders specs that fail, before and
// during rendering, over an existing tree.
func TestFailedRenderLeavesTreeIntact(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "deploy")
	expectExit(t, 0, "render", "--profile", "minimal", "-q", "-o", dir)
	before := snapshotDir(t, dir)
	specs := t.TempDir()
	tests := []struct {
		reason, spec, want string
	}{
		{"an invalid field", specHead + "spec:\n  mesh: {mtls: SOMETIMES}\n", "spec.mesh.mtls"},
		{"a version outside the charts' line", specHead + "spec:\n  version: 1.20.0\n", "spec.version"},
		{"a chart that fails to render", specHead + "spec:\n  values:\n    istiod: {global: {proxy: broken}}\n", "the istiod chart rejects these values"},
	}
	for i, tc := range tests {
		t.Run(tc.reason, func(t *testing.T) {
			file := filepath.Join(specs, "spec"+string(rune('a'+i))+".yaml")
			writeTestFile(t, file, tc.spec)
			r := expectExit(t, 1, "render", "-f", file, "-o", dir)
			if !strings.Contains(r.stderr, tc.want) {
				t.Errorf("stderr = %q, want it to mention %q", r.stderr, tc.want)
			}
			if diff := cmp.Diff(before, snapshotDir(t, dir)); diff != "" {
				t.Errorf("a failed render changed the folder (-before +after):\n%s", diff)
			}
		})
	}
}

func TestRenderRefusesForeignFileInTheWay(t *testing.T) {
	dir := t.TempDir()
	writeTestFile(t, filepath.Join(dir, tree.KustomizationFile), "resources: [mine.yaml]\n")
	r := expectExit(t, 1, "render", "--profile", "minimal", "-o", dir)
	if !strings.Contains(r.stderr, "kustomization.yaml: a file without the istio-render header") {
		t.Errorf("stderr = %q", r.stderr)
	}
	if got := snapshotDir(t, dir); len(got) != 1 {
		t.Errorf("the folder holds %d files after a refused render, want 1", len(got))
	}
}

func TestRenderStreamAndUsage(t *testing.T) {
	tests := []struct {
		reason string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"a stream with a summary", []string{"render", "--profile", "minimal"}, 0, "---\napiVersion:", `Rendered IstioMesh "minimal"`},
		{"-o - prints the stream", []string{"render", "--profile", "minimal", "-o", "-", "-q"}, 0, "kind: Deployment", ""},
		{"--check needs a folder", []string{"render", "--profile", "minimal", "--check"}, 2, "", "--check needs -o DIR"},
		{"spec and profile together", []string{"render", "--profile", "minimal", "-f", "x.yaml"}, 2, "", "not both"},
		{"an unknown flag", []string{"render", "--colour"}, 2, "", "unknown flag"},
		{"a stray argument", []string{"render", "mesh.yaml"}, 2, "", "unknown command"},
	}
	for _, tc := range tests {
		t.Run(tc.reason, func(t *testing.T) {
			r := expectExit(t, tc.code, tc.args...)
			if !strings.Contains(r.stdout, tc.stdout) || tc.stdout == "" && r.stdout != "" {
				t.Errorf("stdout = %.200q, want it to contain %q", r.stdout, tc.stdout)
			}
			if !strings.Contains(r.stderr, tc.stderr) || tc.stderr == "" && r.stderr != "" {
				t.Errorf("stderr = %q, want it to contain %q", r.stderr, tc.stderr)
			}
		})
	}
}
