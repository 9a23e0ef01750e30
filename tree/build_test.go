package tree

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// writeFolder writes files, keyed by slash-separated path, under dir.
func writeFolder(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for rel, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const configMapA = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}\n"

// refusals are folders (built from "overlay") that refer to something
// remote, one form or field each, and Build's error for each.
var refusals = []struct {
	name  string
	files map[string]string
	want  *RemoteError
}{{
	name: "https resource",
	files: map[string]string{
		"overlay/kustomization.yaml": "resources:\n- a.yaml\n- b.yaml\n- https://127.0.0.1:9/remote.yaml\n",
		"overlay/a.yaml":             configMapA,
		"overlay/b.yaml":             configMapA,
	},
	want: &RemoteError{File: "overlay/kustomization.yaml", Field: "resources[2]", Ref: "https://127.0.0.1:9/remote.yaml"},
}, {
	name:  "http resource, upper-case scheme",
	files: map[string]string{"overlay/kustomization.yaml": "resources:\n- HTTP://127.0.0.1:9/remote.yaml\n"},
	want:  &RemoteError{File: "overlay/kustomization.yaml", Field: "resources[0]", Ref: "HTTP://127.0.0.1:9/remote.yaml"},
}, {
	name:  "github.com base",
	files: map[string]string{"overlay/kustomization.yaml": "resources:\n- github.com/org/repo//deploy/base?ref=v1.2.3\n"},
	want:  &RemoteError{File: "overlay/kustomization.yaml", Field: "resources[0]", Ref: "github.com/org/repo//deploy/base?ref=v1.2.3"},
}, {
	name:  "github.com base, mixed case, scp form",
	files: map[string]string{"overlay/kustomization.yaml": "resources:\n- GitHub.com:org/repo.git\n"},
	want:  &RemoteError{File: "overlay/kustomization.yaml", Field: "resources[0]", Ref: "GitHub.com:org/repo.git"},
}, {
	name:  "git:: forced protocol",
	files: map[string]string{"overlay/kustomization.yaml": "resources:\n- git::https://gitlab.example/org/repo.git//base\n"},
	want:  &RemoteError{File: "overlay/kustomization.yaml", Field: "resources[0]", Ref: "git::https://gitlab.example/org/repo.git//base"},
}, {
	name:  "ssh:// base",
	files: map[string]string{"overlay/kustomization.yaml": "resources:\n- ssh://git@gitlab.example/org/repo.git//base\n"},
	want:  &RemoteError{File: "overlay/kustomization.yaml", Field: "resources[0]", Ref: "ssh://git@gitlab.example/org/repo.git//base"},
}, {
	name:  "scp-style user@host:path base",
	files: map[string]string{"overlay/kustomization.yaml": "resources:\n- git@gitlab.example:org/repo.git//base\n"},
	want:  &RemoteError{File: "overlay/kustomization.yaml", Field: "resources[0]", Ref: "git@gitlab.example:org/repo.git//base"},
}, {
	name:  "file:// repository, cloned with git",
	files: map[string]string{"overlay/kustomization.yaml": "resources:\n- file:///srv/git/repo.git//base\n"},
	want:  &RemoteError{File: "overlay/kustomization.yaml", Field: "resources[0]", Ref: "file:///srv/git/repo.git//base"},
}, {
	name:  "deprecated bases",
	files: map[string]string{"overlay/kustomization.yaml": "bases:\n- github.com/org/repo\n"},
	want:  &RemoteError{File: "overlay/kustomization.yaml", Field: "bases[0]", Ref: "github.com/org/repo"},
}, {
	name:  "component",
	files: map[string]string{"overlay/kustomization.yaml": "components:\n- https://github.com/org/repo//components/x?ref=main\n"},
	want:  &RemoteError{File: "overlay/kustomization.yaml", Field: "components[0]", Ref: "https://github.com/org/repo//components/x?ref=main"},
}, {
	name: "nested base",
	files: map[string]string{
		"overlay/kustomization.yaml": "resources:\n- ../base\n",
		"base/kustomization.yaml":    "resources:\n- a.yaml\n- https://127.0.0.1:9/remote.yaml\n",
		"base/a.yaml":                configMapA,
	},
	want: &RemoteError{File: "base/kustomization.yaml", Field: "resources[1]", Ref: "https://127.0.0.1:9/remote.yaml"},
}, {
	name: "base of a base, in a .yml file",
	files: map[string]string{
		"overlay/kustomization.yaml": "resources:\n- ../mid\n",
		"mid/kustomization.yaml":     "resources:\n- ../base\n",
		"base/kustomization.yml":     "resources:\n- github.com/org/repo//base\n",
	},
	want: &RemoteError{File: "base/kustomization.yml", Field: "resources[0]", Ref: "github.com/org/repo//base"},
}, {
	name: "nested component, in a Kustomization file",
	files: map[string]string{
		"overlay/kustomization.yaml": "resources:\n- a.yaml\ncomponents:\n- ../component\n",
		"overlay/a.yaml":             configMapA,
		"component/Kustomization":    "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n- git@github.com:org/repo.git\n",
	},
	want: &RemoteError{File: "component/Kustomization", Field: "resources[0]", Ref: "git@github.com:org/repo.git"},
}, {
	name:  "CRD schema",
	files: map[string]string{"overlay/kustomization.yaml": "crds:\n- https://127.0.0.1:9/crd.json\n"},
	want:  &RemoteError{File: "overlay/kustomization.yaml", Field: "crds[0]", Ref: "https://127.0.0.1:9/crd.json"},
}, {
	name:  "transformer configuration",
	files: map[string]string{"overlay/kustomization.yaml": "configurations:\n- https://127.0.0.1:9/config.yaml\n"},
	want:  &RemoteError{File: "overlay/kustomization.yaml", Field: "configurations[0]", Ref: "https://127.0.0.1:9/config.yaml"},
}, {
	name:  "OpenAPI schema",
	files: map[string]string{"overlay/kustomization.yaml": "openapi:\n  path: https://127.0.0.1:9/schema.json\n"},
	want:  &RemoteError{File: "overlay/kustomization.yaml", Field: "openapi.path", Ref: "https://127.0.0.1:9/schema.json"},
}, {
	name:  "patch file",
	files: map[string]string{"overlay/kustomization.yaml": "patches:\n- patch: '[]'\n  target: {kind: ConfigMap}\n- path: https://127.0.0.1:9/patch.yaml\n"},
	want:  &RemoteError{File: "overlay/kustomization.yaml", Field: "patches[1].path", Ref: "https://127.0.0.1:9/patch.yaml"},
}, {
	name:  "JSON 6902 patch file",
	files: map[string]string{"overlay/kustomization.yaml": "patchesJson6902:\n- path: https://127.0.0.1:9/patch.json\n  target: {kind: ConfigMap, name: a}\n"},
	want:  &RemoteError{File: "overlay/kustomization.yaml", Field: "patchesJson6902[0].path", Ref: "https://127.0.0.1:9/patch.json"},
}, {
	name:  "strategic merge patch file",
	files: map[string]string{"overlay/kustomization.yaml": "patchesStrategicMerge:\n- https://127.0.0.1:9/patch.yaml\n"},
	want:  &RemoteError{File: "overlay/kustomization.yaml", Field: "patchesStrategicMerge[0]", Ref: "https://127.0.0.1:9/patch.yaml"},
}, {
	name:  "replacements file",
	files: map[string]string{"overlay/kustomization.yaml": "replacements:\n- path: https://127.0.0.1:9/replacements.yaml\n"},
	want:  &RemoteError{File: "overlay/kustomization.yaml", Field: "replacements[0].path", Ref: "https://127.0.0.1:9/replacements.yaml"},
}, {
	name:  "ConfigMap generator key=file",
	files: map[string]string{"overlay/kustomization.yaml": "configMapGenerator:\n- name: c\n  files:\n  - mesh=https://127.0.0.1:9/mesh.yaml\n"},
	want:  &RemoteError{File: "overlay/kustomization.yaml", Field: "configMapGenerator[0].files[0]", Ref: "mesh=https://127.0.0.1:9/mesh.yaml"},
}, {
	name:  "ConfigMap generator env file",
	files: map[string]string{"overlay/kustomization.yaml": "configMapGenerator:\n- name: c\n  envs:\n  - https://127.0.0.1:9/a.env\n"},
	want:  &RemoteError{File: "overlay/kustomization.yaml", Field: "configMapGenerator[0].envs[0]", Ref: "https://127.0.0.1:9/a.env"},
}, {
	name:  "Secret generator deprecated env",
	files: map[string]string{"overlay/kustomization.yaml": "secretGenerator:\n- name: s\n  env: https://127.0.0.1:9/a.env\n"},
	want:  &RemoteError{File: "overlay/kustomization.yaml", Field: "secretGenerator[0].env", Ref: "https://127.0.0.1:9/a.env"},
}, {
	name:  "generator folder in a repository",
	files: map[string]string{"overlay/kustomization.yaml": "generators:\n- github.com/org/repo//generators\n"},
	want:  &RemoteError{File: "overlay/kustomization.yaml", Field: "generators[0]", Ref: "github.com/org/repo//generators"},
}, {
	name: "inline PatchTransformer",
	files: map[string]string{"overlay/kustomization.yaml": "transformers:\n- |\n  apiVersion: builtin\n  kind: PatchTransformer\n" +
		"  metadata: {name: fix}\n  path: https://127.0.0.1:9/patch.yaml\n  target: {kind: ConfigMap}\n"},
	want: &RemoteError{File: "overlay/kustomization.yaml", Field: `transformers[0] PatchTransformer "fix" path`, Ref: "https://127.0.0.1:9/patch.yaml"},
}, {
	name: "PatchJson6902Transformer in a file",
	files: map[string]string{
		"overlay/kustomization.yaml": "transformers:\n- fix.yaml\n",
		"overlay/fix.yaml": "apiVersion: builtin\nkind: PatchJson6902Transformer\nmetadata: {name: fix}\n" +
			"path: https://127.0.0.1:9/patch.json\ntarget: {kind: ConfigMap, name: a}\n",
	},
	want: &RemoteError{File: "overlay/fix.yaml", Field: `PatchJson6902Transformer "fix" path`, Ref: "https://127.0.0.1:9/patch.json"},
}, {
	name: "PatchStrategicMergeTransformer in a file of two",
	files: map[string]string{
		"overlay/kustomization.yaml": "transformers:\n- fix.yaml\n",
		"overlay/fix.yaml": "apiVersion: builtin\nkind: LabelTransformer\nmetadata: {name: l}\nlabels: {a: b}\nfieldSpecs: [{path: metadata/labels, create: true}]\n---\n" +
			"apiVersion: builtin\nkind: PatchStrategicMergeTransformer\nmetadata: {name: fix}\npaths:\n- local.yaml\n- github.com/org/repo/patch.yaml\n",
	},
	want: &RemoteError{File: "overlay/fix.yaml", Field: `PatchStrategicMergeTransformer "fix" paths[1]`, Ref: "github.com/org/repo/patch.yaml"},
}, {
	name: "inline ReplacementTransformer as a validator",
	files: map[string]string{"overlay/kustomization.yaml": "validators:\n- |\n  apiVersion: builtin\n  kind: ReplacementTransformer\n" +
		"  metadata: {name: r}\n  replacements:\n  - path: https://127.0.0.1:9/r.yaml\n"},
	want: &RemoteError{File: "overlay/kustomization.yaml", Field: `validators[0] ReplacementTransformer "r" replacements[0].path`, Ref: "https://127.0.0.1:9/r.yaml"},
}, {
	name: "ConfigMapGenerator in a file",
	files: map[string]string{
		"overlay/kustomization.yaml": "generators:\n- gen.yaml\n",
		"overlay/gen.yaml":           "apiVersion: builtin\nkind: ConfigMapGenerator\nmetadata: {name: gen}\nfiles:\n- key=https://127.0.0.1:9/f\n",
	},
	want: &RemoteError{File: "overlay/gen.yaml", Field: `ConfigMapGenerator "gen" files[0]`, Ref: "key=https://127.0.0.1:9/f"},
}, {
	name: "inline SecretGenerator",
	files: map[string]string{"overlay/kustomization.yaml": "generators:\n- |\n  apiVersion: builtin\n  kind: SecretGenerator\n" +
		"  metadata: {name: gen}\n  envs:\n  - ssh://git@gitlab.example/org/repo.git\n"},
	want: &RemoteError{File: "overlay/kustomization.yaml", Field: `generators[0] SecretGenerator "gen" envs[0]`, Ref: "ssh://git@gitlab.example/org/repo.git"},
}, {
	name: "inline ValueAddTransformer",
	files: map[string]string{"overlay/kustomization.yaml": "transformers:\n- |\n  apiVersion: builtin\n  kind: ValueAddTransformer\n" +
		"  metadata: {name: v}\n  targetFilePath: https://127.0.0.1:9/targets.yaml\n"},
	want: &RemoteError{File: "overlay/kustomization.yaml", Field: `transformers[0] ValueAddTransformer "v" targetFilePath`, Ref: "https://127.0.0.1:9/targets.yaml"},
}}

// TestBuildRefusesRemote builds a folder with each remote form, in each
// field kustomize loads from, and requires the error that names the file,
// the field and the reference.
func TestBuildRefusesRemote(t *testing.T) {
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFolder(t, dir, tc.files)
			t.Chdir(dir)
			out, err := Build("overlay")
			var got *RemoteError
			if !errors.As(err, &got) {
				t.Fatalf("Build() = %q, %v; want a *RemoteError", out, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Build() error (-want +got):\n%s", diff)
			}
		})
	}
}

// TestBuildRefusesWithoutRemote covers the folders Build cannot build
// offline for other reasons, and those kustomize itself refuses before it
// reads anything while Helm and plugins are off.
func TestBuildRefusesWithoutRemote(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{{
		name: "plugin configurations from a folder",
		files: map[string]string{
			"overlay/kustomization.yaml":         "transformers:\n- ./plugins\n",
			"overlay/plugins/kustomization.yaml": "resources:\n- fix.yaml\n",
			"overlay/plugins/fix.yaml":           "apiVersion: builtin\nkind: PatchTransformer\nmetadata: {name: fix}\npath: local.yaml\n",
		},
		want: `overlay/kustomization.yaml: transformers[0] "./plugins" is a folder; folders are built offline, with plugin configurations from files or inline only`,
	}, {
		name:  "Helm chart from a repository",
		files: map[string]string{"overlay/kustomization.yaml": "helmCharts:\n- name: istiod\n  repo: https://127.0.0.1:9/charts\n  valuesFile: https://127.0.0.1:9/values.yaml\n"},
		want:  "must specify --enable-helm",
	}, {
		name: "exec function",
		files: map[string]string{"overlay/kustomization.yaml": "generators:\n- |\n  apiVersion: example.com/v1\n  kind: Fetch\n  metadata:\n    name: f\n" +
			"    annotations:\n      config.kubernetes.io/function: |\n        exec: {path: /usr/bin/git}\n"},
		want: "external plugins disabled",
	}, {
		name: "container function",
		files: map[string]string{"overlay/kustomization.yaml": "generators:\n- |\n  apiVersion: example.com/v1\n  kind: Fetch\n  metadata:\n    name: f\n" +
			"    annotations:\n      config.kubernetes.io/function: |\n        container: {image: example.com/fetch, network: true}\n"},
		want: "external plugins disabled",
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFolder(t, dir, tc.files)
			t.Chdir(dir)
			out, err := Build("overlay")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Build() = %q, %v; want an error with %q", out, err, tc.want)
			}
		})
	}
}

// TestBuildChecksEveryField requires a refusal case for every field of a
// kustomization and every builtin plugin that loads a file, so that a
// kustomize upgrade that adds one fails here until it is checked.
func TestBuildChecksEveryField(t *testing.T) {
	// Fields that make kustomize load nothing.
	inert := []string{
		"apiVersion", "kind", "metadata", "namePrefix", "nameSuffix", "namespace",
		"commonLabels", "labels", "commonAnnotations", "images", "imageTags",
		"replicas", "vars", "sortOptions", "generatorOptions", "buildMetadata",
		// Helm is off: kustomize refuses a chart before reading anything
		// (TestBuildRefusesWithoutRemote).
		"helmGlobals", "helmCharts", "helmChartInflationGenerator",
	}
	// Builtin plugins whose configuration names no file.
	inertPlugins := []string{
		"AnnotationsTransformer", "HashTransformer", "IAMPolicyGenerator",
		"ImageTagTransformer", "LabelTransformer", "NamespaceTransformer",
		"PrefixSuffixTransformer", "PrefixTransformer", "SuffixTransformer",
		"ReplicaCountTransformer",
		"HelmChartInflationGenerator", // Helm is off, as above
	}
	builtins := krusty.GetBuiltinPluginNames()
	fields, plugins := inert, inertPlugins
	for _, tc := range refusals {
		words := strings.Fields(tc.want.Field)
		if top, _, _ := strings.Cut(words[0], "["); !slices.Contains(builtins, top) {
			top, _, _ = strings.Cut(top, ".")
			fields = append(fields, top)
		}
		for _, w := range words {
			if slices.Contains(builtins, w) {
				plugins = append(plugins, w)
			}
		}
	}
	var all []string
	k := reflect.TypeFor[types.Kustomization]()
	for i := range k.NumField() {
		f := k.Field(i)
		if f.Anonymous {
			for j := range f.Type.NumField() {
				all = append(all, jsonName(f.Type.Field(j)))
			}
			continue
		}
		all = append(all, jsonName(f))
	}
	for _, f := range all {
		if !slices.Contains(fields, f) {
			t.Errorf("kustomization field %s is neither checked (a case in refusals) nor listed as inert", f)
		}
	}
	for _, p := range builtins {
		if !slices.Contains(plugins, p) {
			t.Errorf("builtin plugin %s is neither checked (a case in refusals) nor listed as inert", p)
		}
	}
}

func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return name
}

// TestBuildLocalOverlayAsKustomizeDoes builds a local overlay that uses
// every kind of local reference Build checks, and requires the bytes
// kustomize gives with its own defaults.
func TestBuildLocalOverlayAsKustomizeDoes(t *testing.T) {
	dir := t.TempDir()
	writeFolder(t, dir, map[string]string{
		"overlay/kustomization.yaml": `resources:
- a.yaml
- ../base
- ./github.com/org/repo
components:
- ../component
crds:
- crd.json
configurations:
- config.yaml
patches:
- path: patch.yaml
- patch: |-
    - op: add
      path: /data/json
      value: "6902"
  target: {kind: ConfigMap, name: a}
patchesStrategicMerge:
- smp.yaml
replacements:
- path: replacements.yaml
configMapGenerator:
- name: gen
  files:
  - mesh=mesh.yaml
  envs:
  - a.env
secretGenerator:
- name: secret
  files:
  - mesh.yaml
generators:
- generators.yaml
transformers:
- transformers.yaml
- |
  apiVersion: builtin
  kind: PatchTransformer
  metadata: {name: inline}
  path: inline-patch.yaml
  target: {kind: ConfigMap, name: a}
sortOptions:
  order: fifo
`,
		"overlay/a.yaml":       configMapA,
		"overlay/crd.json":     `{"definitions": {}}`,
		"overlay/config.yaml":  "commonLabels:\n- path: data/labelled\n  create: true\n",
		"overlay/patch.yaml":   "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {patched: file}\n",
		"overlay/smp.yaml":     "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {smp: file}\n",
		"overlay/mesh.yaml":    "mesh: local\n",
		"overlay/a.env":        "ENV=local\n",
		"overlay/targets.yaml": "targets:\n- selector: {kind: ConfigMap, name: a}\n  fieldPath: data/added\n",
		"overlay/replacements.yaml": "- source: {kind: ConfigMap, name: a, fieldPath: data.k}\n" +
			"  targets:\n  - select: {kind: ConfigMap, name: b}\n    fieldPaths: [data.copied]\n    options: {create: true}\n",
		"overlay/generators.yaml": "apiVersion: builtin\nkind: ConfigMapGenerator\nmetadata: {name: generated}\nfiles:\n- mesh.yaml\nenvs:\n- a.env\n",
		"overlay/transformers.yaml": "apiVersion: builtin\nkind: ValueAddTransformer\nmetadata: {name: add}\nvalue: added\ntargetFilePath: targets.yaml\n---\n" +
			"apiVersion: builtin\nkind: PatchStrategicMergeTransformer\nmetadata: {name: smp}\npaths:\n- smp.yaml\n",
		"overlay/inline-patch.yaml":                      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {inline: file}\n",
		"overlay/github.com/org/repo/kustomization.yaml": "resources:\n- c.yaml\n",
		"overlay/github.com/org/repo/c.yaml":             "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
		"base/kustomization.yaml":                        "resources:\n- b.yaml\n",
		"base/b.yaml":                                    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n",
		"component/kustomization.yaml":                   "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nnamePrefix: x-\n",
	})
	overlay := filepath.Join(dir, "overlay")
	got, err := Build(overlay)
	if err != nil {
		t.Fatal(err)
	}
	opts := krusty.MakeDefaultOptions()
	opts.Reorder = krusty.ReorderOptionUnspecified
	m, err := krusty.MakeKustomizer(opts).Run(filesys.MakeFsOnDisk(), overlay)
	if err != nil {
		t.Fatal(err)
	}
	want, err := m.AsYaml()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("Build() (-kustomize +got):\n%s", diff)
	}
	// The overlay used what it lists: not an empty build on both sides.
	for _, s := range []string{"name: x-a", "name: x-b", "name: x-c", "patched: file", "smp: file", "inline: file",
		"json: \"6902\"", "copied: v", "added: added", "ENV: local", "mesh: |", "name: x-generated", "kind: Secret"} {
		if !strings.Contains(string(got), s) {
			t.Errorf("Build() output lacks %q:\n%s", s, got)
		}
	}
}

// TestBuildFolderNamedLikeRepository builds a folder whose relative path
// kustomize's git parser takes for a repository address; kustomize given
// that path would run git.
func TestBuildFolderNamedLikeRepository(t *testing.T) {
	dir := t.TempDir()
	writeFolder(t, dir, map[string]string{
		"github.com/org/repo/kustomization.yaml": "resources:\n- a.yaml\n",
		"github.com/org/repo/a.yaml":             configMapA,
	})
	t.Chdir(dir)
	out, err := Build("github.com/org/repo")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "name: a") {
		t.Errorf("Build() = %q, want the ConfigMap", out)
	}
}
