package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/istio-render/istio-render/internal/cli"
	"github.com/istio-render/istio-render/internal/testcharts"
	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// printedRelease is a document of the values command's output, decoded as
// a reader of it would.
type printedRelease struct {
	Chart struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	} `json:"chart"`
	Release     string         `json:"release"`
	Namespace   string         `json:"namespace"`
	KubeVersion string         `json:"kubeVersion"`
	Values      map[string]any `json:"values"`
}

// decodeReleases decodes the values command's output strictly: a field
// the documented shape does not have is an error.
func decodeReleases(t *testing.T, out string) []printedRelease {
	t.Helper()
	var rels []printedRelease
	for _, doc := range strings.Split(out, "---\n") {
		var r printedRelease
		if err := sigsyaml.UnmarshalStrict([]byte(doc), &r); err != nil {
			t.Fatalf("decoding %.300s: %v", doc, err)
		}
		rels = append(rels, r)
	}
	return rels
}

// asPrinted is a render.Release as the output must give it: the values
// through JSON, as YAML readers (Helm among them) decode numbers.
func asPrinted(t *testing.T, r render.Release) printedRelease {
	t.Helper()
	var p printedRelease
	p.Chart.Name, p.Chart.Version = r.Chart, r.ChartVersion
	p.Release, p.Namespace, p.KubeVersion = r.Name, r.Namespace, r.KubeVersion
	b, err := json.Marshal(r.Values)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &p.Values); err != nil {
		t.Fatal(err)
	}
	if p.Values == nil {
		p.Values = map[string]any{}
	}
	return p
}

// TestValuesGolden prints the releases of every golden spec and requires
// exactly what render.Releases holds: the same releases in the same order,
// and the same values.
func TestValuesGolden(t *testing.T) {
	specs, err := filepath.Glob(filepath.Join("..", "..", "golden", "testdata", "*", "mesh.yaml"))
	if err != nil || len(specs) < 10 {
		t.Fatalf("want the golden specs, found %d (%v)", len(specs), err)
	}
	for _, spec := range specs {
		name := filepath.Base(filepath.Dir(spec))
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			args := []string{"values", "-f", spec}
			opts := render.Options{}
			switch name {
			case "charts-dir":
				dir := testcharts.Write(t, testcharts.Archives)
				args = append(args, "--charts", dir)
				opts.Charts = testcharts.Packaged(t, testcharts.Archives)
			case "revisions-two-lines":
				args[2] = filepath.Join(twoLinesDir(t), "mesh.yaml")
				opts.RevisionCharts = testcharts.Resolver(t)
			}
			r := expectExit(t, cli.ExitOK, args...)
			data, err := os.ReadFile(spec)
			if err != nil {
				t.Fatal(err)
			}
			m, _, err := mesh.Load(data)
			if err != nil {
				t.Fatal(err)
			}
			rels, err := render.Releases(m, opts)
			if err != nil {
				t.Fatal(err)
			}
			var want []printedRelease
			for _, rel := range rels {
				want = append(want, asPrinted(t, rel))
			}
			if diff := cmp.Diff(want, decodeReleases(t, r.stdout)); diff != "" {
				t.Errorf("values output (-render.Releases +printed):\n%s", diff)
			}
		})
	}
}

func TestValues(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "mesh.yaml")
	writeTestFile(t, spec, specHead+"spec:\n  profile: default\n  values:\n    istiod:\n      pilot: {env: {A: \"1\"}}\n")
	invalid := filepath.Join(dir, "invalid.yaml")
	writeTestFile(t, invalid, invalidSpec)
	broken := filepath.Join(dir, "broken.yaml")
	writeTestFile(t, broken, specHead+"spec:\n  profile: minimal\n  values:\n    istiod:\n      pilot: {env: \"not a map\"}\n")

	t.Run("stream", func(t *testing.T) {
		rels := decodeReleases(t, expectExit(t, cli.ExitOK, "values", "-f", spec).stdout)
		var names []string
		for _, r := range rels {
			names = append(names, r.Chart.Name+"/"+r.Release+"@"+r.Namespace)
		}
		want := []string{"base/istio-base@istio-system", "istiod/istiod@istio-system", "gateway/istio-ingressgateway@istio-system"}
		if diff := cmp.Diff(want, names); diff != "" {
			t.Errorf("releases in order (-want +got):\n%s", diff)
		}
		env, _ := rels[1].Values["pilot"].(map[string]any)["env"].(map[string]any)
		if env["A"] != "1" {
			t.Errorf("istiod's raw values are not in its values: pilot.env = %v", env)
		}
	})

	t.Run("one release", func(t *testing.T) {
		rels := decodeReleases(t, expectExit(t, cli.ExitOK, "values", "--profile", "default", "--release", "istiod").stdout)
		if len(rels) != 1 || rels[0].Release != "istiod" {
			t.Errorf("--release istiod printed %d releases: %+v", len(rels), rels)
		}
	})

	t.Run("folder", func(t *testing.T) {
		out := filepath.Join(dir, "helm")
		writeTestFile(t, filepath.Join(out, "mine.txt"), "not ours")
		r := expectExit(t, cli.ExitOK, "values", "-f", spec, "-o", out)
		if want := "Wrote " + out + ": 3 values files and README.md\n"; r.stderr != want || r.stdout != "" {
			t.Errorf("stdout %q, stderr %q; want no stdout and stderr %q", r.stdout, r.stderr, want)
		}
		stream := decodeReleases(t, expectExit(t, cli.ExitOK, "values", "-f", spec).stdout)
		files := snapshotDir(t, out)
		if files["mine.txt"] != "not ours" {
			t.Error("-o changed a file it did not write")
		}
		for _, rel := range stream {
			name := rel.Release + "-values.yaml"
			var got map[string]any
			if err := sigsyaml.Unmarshal([]byte(files[name]), &got); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if diff := cmp.Diff(rel.Values, got); diff != "" {
				t.Errorf("%s is not the release's values (-stream +file):\n%s", name, diff)
			}
			cmd := "helm upgrade --install " + rel.Release + " istio/" + rel.Chart.Name + " --version " + rel.Chart.Version +
				" --namespace " + rel.Namespace + " --values " + name + "\n"
			if !strings.Contains(files["README.md"], cmd) {
				t.Errorf("README.md does not hold %q:\n%s", cmd, files["README.md"])
			}
		}
		if len(files) != len(stream)+2 {
			t.Errorf("the folder holds %d files besides mine.txt, want a values file per release and README.md", len(files)-1)
		}
	})

	tests := []struct {
		name    string
		args    []string
		code    int
		wantErr string
	}{{
		name:    "unknown release",
		args:    []string{"values", "--profile", "minimal", "--release", "istio-ingressgateway"},
		code:    cli.ExitUsage,
		wantErr: "Error: --release \"istio-ingressgateway\": the spec renders no such release; its releases are istio-base, istiod\n",
	}, {
		name:    "invalid spec",
		args:    []string{"values", "-f", invalid},
		code:    cli.ExitFailure,
		wantErr: "spec.mesh.mtls: unsupported value \"STRCT\"",
	}, {
		name:    "a spec that does not render",
		args:    []string{"values", "-f", broken},
		code:    cli.ExitFailure,
		wantErr: "spec.values.istiod",
	}, {
		name:    "no spec",
		args:    []string{"values"},
		code:    cli.ExitUsage,
		wantErr: "Error: give a spec with -f FILE or a profile with --profile NAME\n",
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := expectExit(t, tc.code, tc.args...)
			if !strings.Contains(r.stderr, tc.wantErr) {
				t.Errorf("stderr does not contain %q:\n%s", tc.wantErr, r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("printed on a failure:\n%.300s", r.stdout)
			}
		})
	}
}
