package mesh_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/istio-render/istio-render/mesh"
)

// twoLines is a valid upgrade in progress: 1.30 stable, 1.31 canary.
const twoLines = `spec:
  profile: minimal
  controlPlane: {replicas: 2}
  revisions:
  - {name: 1-30-4, version: 1.30.4, charts: ./charts/1.30.4}
  - {name: 1-31-0, version: 1.31.0}
  tags: {default: 1-30-4, prod-stable: 1-30-4, prod-canary: 1-31-0}
  namespaces:
  - {name: shop, injection: prod-stable}
  - {name: cart, injection: 1-31-0}
  - {name: legacy, injection: enabled}
`

func TestRevisionsValid(t *testing.T) {
	m, warnings := load(t, twoLines)
	if len(warnings) > 0 {
		t.Errorf("warnings = %v, want none", warnings)
	}
	s := &m.Spec
	got := s.Istiods()
	want := []mesh.Istiod{{
		Revision: "1-30-4", Version: "1.30.4", Charts: "./charts/1.30.4", Tags: []string{"default", "prod-stable"},
		At: "spec.revisions[0]", VersionAt: "spec.revisions[0].version", ValuesAt: "spec.revisions[0].values",
	}, {
		Revision: "1-31-0", Version: "1.31.0", Tags: []string{"prod-canary"},
		At: "spec.revisions[1]", VersionAt: "spec.revisions[1].version", ValuesAt: "spec.revisions[1].values",
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Istiods (-want +got):\n%s", diff)
	}
	if d, n := s.DefaultIstiod(), s.NewestIstiod(); d != 0 || n != 1 {
		t.Errorf("DefaultIstiod, NewestIstiod = %d, %d; want 0, 1", d, n)
	}
	if diff := cmp.Diff(map[string]string{"default": "1-30-4", "prod-stable": "1-30-4", "prod-canary": "1-31-0"}, s.TagTargets()); diff != "" {
		t.Errorf("TagTargets (-want +got):\n%s", diff)
	}
	for name, want := range map[string]int{"prod-canary": 1, "1-30-4": 0, "default": 0, "nope": -1} {
		if got := s.ServingIstiod(name); got != want {
			t.Errorf("ServingIstiod(%q) = %d, want %d", name, got, want)
		}
	}
}

// TestLegacyRevisionsAreIstiods maps spec.revision and spec.canary to the
// same view as spec.revisions.
func TestLegacyRevisionsAreIstiods(t *testing.T) {
	m, _ := load(t, "spec:\n  revision: 1-31-0\n  revisionTags: [b, a]\n  canary: {revision: 1-31-1, version: 1.31.1, revisionTags: [default]}\n")
	s := &m.Spec
	got := s.Istiods()
	want := []mesh.Istiod{{
		Revision: "1-31-0", Version: "1.31.0", Tags: []string{"b", "a"}, At: "spec.revision", VersionAt: "spec.version",
	}, {
		Revision: "1-31-1", Version: "1.31.1", Tags: []string{"default"}, At: "spec.canary", VersionAt: "spec.canary.version",
		ValuesAt: "spec.canary.values",
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Istiods (-want +got):\n%s", diff)
	}
	if d, n := s.DefaultIstiod(), s.NewestIstiod(); d != 1 || n != 1 {
		t.Errorf("DefaultIstiod, NewestIstiod = %d, %d; want 1, 1 (the canary holds the default tag)", d, n)
	}
}

func TestDefaultRevisionName(t *testing.T) {
	m, _ := load(t, "spec:\n  revisions:\n  - {name: default, version: 1.30.4}\n  - {name: 1-31-0}\n  tags: {canary: 1-31-0}\n  namespaces:\n  - {name: a, injection: enabled}\n  - {name: b, injection: default}\n")
	s := &m.Spec
	ds := s.Istiods()
	if ds[0].Revision != "" || ds[0].Label() != "default" || ds[1].Version != mesh.DefaultVersion {
		t.Errorf("Istiods = %+v, want the default revision first and 1-31-0 at spec.version", ds)
	}
	if d := s.DefaultIstiod(); d != 0 {
		t.Errorf("DefaultIstiod = %d, want the default revision", d)
	}
}

// TestRevisionErrors shows each rule of an upgrade refusing a spec, with
// the field path.
func TestRevisionErrors(t *testing.T) {
	tests := []struct {
		name, spec string
		want       []string
	}{{
		name: "a skip of two minors",
		spec: "spec:\n  revisions:\n  - {name: old, version: 1.29.9}\n  - {name: new, version: 1.31.0}\n",
		want: []string{"spec.revisions[1].version: 1.31.0 is 2 minor versions after 1.29.9 (spec.revisions[0].version): Istio upgrades one minor version at a time, so install 1.30 beside 1.29.9 first, move every workload to it and remove 1.29.9"},
	}, {
		name: "a skip of two minors with a canary",
		spec: "spec:\n  version: 1.29.0\n  revision: old\n  canary: {revision: new, version: 1.31.0}\n",
		want: []string{"spec.canary.version: 1.31.0 is 2 minor versions after 1.29.0 (spec.version): Istio upgrades one minor version at a time, so install 1.30 beside 1.29.0 first, move every workload to it and remove 1.29.0"},
	}, {
		name: "another major",
		spec: "spec:\n  revisions:\n  - {name: old, version: 1.31.0}\n  - {name: new, version: 2.0.0}\n",
		want: []string{"spec.revisions[1].version: 2.0.0 is a major version after 1.31.0 (spec.revisions[0].version): Istio upgrades one minor version at a time, so install 1.32 beside 1.31.0 first, move every workload to it and remove 1.31.0"},
	}, {
		name: "a tag that points nowhere",
		spec: "spec:\n  revisions:\n  - {name: 1-30-4, version: 1.30.4}\n  tags: {prod: 1-29-0}\n",
		want: []string{`spec.tags[prod]: "1-29-0" points at no revision of spec.revisions (they are "1-30-4")`},
	}, {
		name: "a tag without a revision",
		spec: "spec:\n  revisions:\n  - {name: a}\n  tags: {prod: \"\"}\n",
		want: []string{`spec.tags[prod]: required: the revision the tag "prod" points at`},
	}, {
		name: "a tag named like a revision",
		spec: "spec:\n  revisions:\n  - {name: a}\n  - {name: b}\n  tags: {a: b}\n",
		want: []string{`spec.tags[a]: "a" is also a revision name (spec.revisions[0])`},
	}, {
		name: "a namespace on a missing revision",
		spec: "spec:\n  revisions:\n  - {name: 1-31-0}\n  namespaces:\n  - {name: shop, injection: 1-30-4}\n",
		want: []string{`spec.namespaces[0].injection: "1-30-4" is neither enabled, disabled, ambient, nor a revision of spec.revisions or a tag of spec.tags`},
	}, {
		name: "injection enabled with no default",
		spec: "spec:\n  revisions:\n  - {name: 1-31-0}\n  namespaces:\n  - {name: shop, injection: enabled}\n",
		want: []string{"spec.namespaces[0].injection: istio-injection=enabled selects the default revision, and spec.revisions has no revision named default and spec.tags no tag default; tag a revision default, or name the revision or a tag instead"},
	}, {
		name: "a gateway on a missing revision",
		spec: "spec:\n  revisions:\n  - {name: 1-31-0}\n  gateways:\n  - {name: edge, revision: prod}\n",
		want: []string{`spec.gateways[0].revision: "prod" is neither a revision of spec.revisions nor a tag of spec.tags`},
	}, {
		name: "revision and canary with revisions",
		spec: "spec:\n  revision: a\n  revisionTags: [t]\n  canary: {revision: b}\n  revisions:\n  - {name: c}\n",
		want: []string{
			"spec.revision: cannot be set with spec.revisions: name every control plane in spec.revisions and every tag in spec.tags (see docs/upgrade.md)",
			"spec.revisionTags: cannot be set with spec.revisions: name every control plane in spec.revisions and every tag in spec.tags (see docs/upgrade.md)",
			"spec.canary: cannot be set with spec.revisions: name every control plane in spec.revisions and every tag in spec.tags (see docs/upgrade.md)",
		},
	}, {
		name: "a duplicate, a nameless and a dotted revision",
		spec: "spec:\n  revisions:\n  - {name: a}\n  - {name: a}\n  - {name: \"\"}\n  - {name: 1.31.0, version: latest}\n",
		want: []string{
			`spec.revisions[1].name: duplicate revision "a" (first at spec.revisions[0])`,
			`spec.revisions[2].name: required, e.g. "1-31-0": the revision's istiod is istiod-<name>`,
			`spec.revisions[3].name: "1.31.0" must not contain dots; use dashes, e.g. "1-31-0"`,
			`spec.revisions[3].version: "latest" is not an Istio version such as 1.31.0`,
		},
	}, {
		name: "the default tag beside the default revision",
		spec: "spec:\n  revisions:\n  - {name: default}\n  - {name: b}\n  tags: {default: b}\n",
		want: []string{`spec.tags[default]: the tag "default" and the default revision (spec.revisions[0]) would both serve istio-injection=enabled; remove the default revision, or do not tag another revision default`},
	}, {
		name: "the default tag beside an unrevisioned control plane",
		spec: "spec:\n  canary: {revision: b, revisionTags: [default]}\n",
		want: []string{`spec.canary.revisionTags[0]: the tag "default" and the default revision (spec.revision) would both serve istio-injection=enabled; remove the default revision, or do not tag another revision default`},
	}, {
		name: "raw values that set revision tags and the revision",
		spec: "spec:\n  revisions:\n  - {name: a, values: {revision: x}}\n  values:\n    istiod: {revisionTags: [default]}\n",
		want: []string{
			"spec.revisions[0].values.revision: set by the spec: name the revision in spec.revisions (or spec.revision)",
			"spec.values.istiod.revisionTags: set by the spec: name tags in spec.tags (or spec.revisionTags), where they are checked against base's default revision",
		},
	}, {
		name: "a default revision that disagrees with the default tag",
		spec: "spec:\n  revisions:\n  - {name: a, version: 1.30.4}\n  - {name: b}\n  tags: {default: b}\n  values:\n    base: {defaultRevision: a}\n",
		want: []string{`spec.values.base.defaultRevision: "a" disagrees with the spec, whose default revision is "b" (spec.revisions[1]): base's default validation webhook would call another istiod than the tag "default" and istio-injection=enabled select; remove it, the spec sets it`},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := mesh.Load([]byte(header + tt.spec))
			var ve *mesh.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Load = %v, want a validation error", err)
			}
			var got []string
			for _, fe := range ve.Errors {
				got = append(got, fe.Error())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRawDefaultRevisionThatAgreesIsAccepted(t *testing.T) {
	load(t, "spec:\n  revisions:\n  - {name: a}\n  tags: {default: a}\n  values:\n    base: {defaultRevision: a}\n")
}

func TestKubernetesSupportWarnings(t *testing.T) {
	tests := []struct {
		name, spec string
		want       []string
	}{{
		name: "inside the range",
		spec: "spec:\n  profile: minimal\n  kubernetesVersion: 1.32.0\n  revisions:\n  - {name: a, version: 1.30.4}\n  - {name: b, version: 1.31.0}\n",
	}, {
		name: "too new for the older line",
		spec: "spec:\n  profile: minimal\n  kubernetesVersion: v1.37.1\n  revisions:\n  - {name: a, version: 1.30.4}\n  - {name: b, version: 1.31.0}\n",
		want: []string{"spec.kubernetesVersion: Istio 1.30 (spec.revisions[0].version) supports Kubernetes 1.32 to 1.36, not 1.37; set spec.kubernetesVersion to your cluster's version, and upgrade the cluster or Istio so that they meet"},
	}, {
		name: "too old",
		spec: "spec:\n  profile: minimal\n  kubernetesVersion: 1.29.4\n",
		want: []string{"spec.kubernetesVersion: Istio 1.31 (spec.version) supports Kubernetes 1.32 to 1.37, not 1.29; set spec.kubernetesVersion to your cluster's version, and upgrade the cluster or Istio so that they meet"},
	}, {
		name: "a line not known",
		spec: "spec:\n  profile: minimal\n  revisions:\n  - {name: a, version: 1.31.0}\n  - {name: b, version: 1.32.0}\n",
		want: []string{"spec.revisions[1].version: the Kubernetes versions Istio 1.32 supports are not known to this istio-render, so spec.kubernetesVersion 1.36 is not checked against them; see https://istio.io/latest/docs/releases/supported-releases/"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, warnings := load(t, tt.spec)
			var got []string
			for _, w := range warnings {
				if strings.Contains(w.Message, "Kubernetes") {
					got = append(got, w.String())
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSupportMatrixLines names the lines the support matrix must know.
func TestSupportMatrixLines(t *testing.T) {
	for _, line := range []string{"1.29", "1.30", "1.31"} {
		if _, ok := mesh.SupportedKubernetes(line); !ok {
			t.Errorf("no Kubernetes support range for Istio %s", line)
		}
	}
	if _, ok := mesh.SupportedKubernetes("1.99"); ok {
		t.Error("a line that does not exist has a range")
	}
}

// TestRevisionsMergeByName lays an overlay over a spec: revisions merge by
// name and a tag moves alone.
func TestRevisionsMergeByName(t *testing.T) {
	base := header + "spec:\n  profile: minimal\n  revisions:\n  - {name: a, version: 1.30.4}\n  tags: {default: a, canary: a}\n"
	overlay := "spec:\n  revisions:\n  - {name: b, version: 1.31.0}\n  tags: {canary: b}\n"
	m, _, err := mesh.LoadLayers([]byte(base), []byte(overlay))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"default": "a", "canary": "b"}, m.Spec.Tags); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	var names []string
	for _, r := range m.Spec.Revisions {
		names = append(names, r.Name)
	}
	if diff := cmp.Diff([]string{"b", "a"}, names); diff != "" {
		t.Errorf("revisions (-want +got):\n%s", diff)
	}
}
