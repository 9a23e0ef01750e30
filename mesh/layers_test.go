package mesh_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/istio-render/istio-render/internal/fuzzseed"
	"github.com/istio-render/istio-render/mesh"
)

func ExampleLoadLayers() {
	base := []byte(`
apiVersion: istio-render.dev/v1alpha1
kind: IstioMesh
metadata:
  name: shop
spec:
  profile: production
  namespaces:
  - name: shop
    injection: enabled
`)
	// An overlay for one cluster: only what differs.
	cluster := []byte(`
spec:
  mesh:
    clusterName: eu-west-1
    outboundTrafficPolicy: null   # remove the profile's REGISTRY_ONLY
  namespaces:
  - name: shop
    mtls: STRICT
`)
	m, _, err := mesh.LoadLayers(base, cluster)
	if err != nil {
		fmt.Println(err)
		return
	}
	ns := m.Spec.Namespaces[0]
	fmt.Println(m.Metadata.Name, m.Spec.Mesh.ClusterName, m.Spec.Mesh.OutboundTrafficPolicy == "", ns.Name, ns.Injection, ns.MTLS)

	_, _, err = mesh.LoadLayers(base, []byte("spec:\n  mesh: {clustername: eu-west-1}\n"))
	var le *mesh.LayerError
	fmt.Println(errors.As(err, &le), le.Index, err)
	// Output:
	// shop eu-west-1 true shop enabled STRICT
	// true 1 document 2: invalid IstioMesh: spec.mesh.clustername: unknown field (did you mean "clusterName"?)
}

// TestLoadLayers lays documents over each other and compares the result
// with the same spec written as one document.
func TestLoadLayers(t *testing.T) {
	tests := []struct {
		name   string
		layers []string
		want   string // the one document the layers amount to
	}{{
		name:   "a partial overlay sets and overrides fields",
		layers: []string{header + "spec:\n  profile: minimal\n  hub: a.io/istio\n", "spec:\n  hub: b.io/istio\n  version: 1.31.1\n"},
		want:   header + "spec:\n  profile: minimal\n  hub: b.io/istio\n  version: 1.31.1\n",
	}, {
		name: "named lists merge by name, the later layer's items first",
		layers: []string{
			header + "spec:\n  profile: minimal\n  namespaces:\n  - {name: a, injection: enabled, mtls: STRICT}\n  - {name: b}\n",
			"spec:\n  namespaces:\n  - {name: c}\n  - {name: a, mtls: PERMISSIVE}\n",
		},
		want: header + "spec:\n  profile: minimal\n  namespaces:\n  - {name: c}\n  - {name: a, injection: enabled, mtls: PERMISSIVE}\n  - {name: b}\n",
	}, {
		name:   "other lists are replaced",
		layers: []string{header + "spec:\n  profile: minimal\n  revisionTags: [a, b]\n", "spec:\n  revisionTags: [c]\n"},
		want:   header + "spec:\n  profile: minimal\n  revisionTags: [c]\n",
	}, {
		name:   "null removes an earlier layer's setting",
		layers: []string{header + "spec:\n  profile: minimal\n  mesh: {accessLogFile: /dev/stdout}\n", "spec:\n  mesh: {accessLogFile: null}\n"},
		want:   header + "spec:\n  profile: minimal\n",
	}, {
		name:   "null removes the profile's setting, as in one document",
		layers: []string{header + "spec:\n  profile: production\n", "spec:\n  mesh: {mtls: null}\n"},
		want:   header + "spec:\n  profile: production\n  mesh: {mtls: null}\n",
	}, {
		name:   "a later layer sets again what an earlier one removed",
		layers: []string{header + "spec:\n  profile: production\n", "spec:\n  mesh: {mtls: null}\n", "spec:\n  mesh: {mtls: PERMISSIVE}\n"},
		want:   header + "spec:\n  profile: production\n  mesh: {mtls: PERMISSIVE}\n",
	}, {
		name:   "a later layer changes the profile",
		layers: []string{header + "spec:\n  profile: minimal\n", "spec:\n  profile: demo\n"},
		want:   header + "spec:\n  profile: demo\n",
	}, {
		name:   "a full document over another",
		layers: []string{header + "spec:\n  profile: minimal\n", "apiVersion: istio-render.dev/v1alpha1\nkind: IstioMesh\nmetadata:\n  name: other\nspec:\n  revision: canary\n"},
		want:   "apiVersion: istio-render.dev/v1alpha1\nkind: IstioMesh\nmetadata:\n  name: other\nspec:\n  profile: minimal\n  revision: canary\n",
	}, {
		name:   "the header may come last",
		layers: []string{"spec:\n  profile: minimal\n", header},
		want:   header + "spec:\n  profile: minimal\n",
	}, {
		name:   "one document is Load",
		layers: []string{header + "spec:\n  profile: ambient\n"},
		want:   header + "spec:\n  profile: ambient\n",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, wantWarnings, err := mesh.Load([]byte(tt.want))
			if err != nil {
				t.Fatalf("the one document: %v", err)
			}
			var docs [][]byte
			for _, l := range tt.layers {
				docs = append(docs, []byte(l))
			}
			got, gotWarnings, err := mesh.LoadLayers(docs...)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got, cmpopts.IgnoreUnexported(mesh.IstioMesh{})); diff != "" {
				t.Errorf("layered spec (-one document +layers):\n%s", diff)
			}
			if diff := cmp.Diff(wantWarnings, gotWarnings); diff != "" {
				t.Errorf("warnings (-one document +layers):\n%s", diff)
			}
			for i, d := range docs {
				if string(d) != tt.layers[i] {
					t.Errorf("layer %d was modified", i)
				}
			}
		})
	}
}

// TestLoadLayersErrors requires an error in one layer to name that layer
// and the field path, and an error of the merged spec to name none.
func TestLoadLayersErrors(t *testing.T) {
	full := header + "spec:\n  profile: minimal\n"
	tests := []struct {
		name   string
		layers []string
		index  int // the layer blamed; -1 for none
		want   string
	}{
		{"no document", nil, -1, "no IstioMesh document to load"},
		{"an unknown field in the second layer", []string{full, "spec:\n  gatewayz: []\n"}, 1,
			`invalid IstioMesh: spec.gatewayz: unknown field (did you mean "gateways"?)`},
		{"a wrong type in the first layer", []string{"spec:\n  controlPlane: {replicas: two}\n", full}, 0,
			`invalid IstioMesh: spec.controlPlane.replicas: expected a whole number, got string "two"`},
		{"an apiVersion that disagrees", []string{full, "apiVersion: install.istio.io/v1alpha1\n"}, 1,
			`invalid IstioMesh: apiVersion: unsupported value "install.istio.io/v1alpha1": expected istio-render.dev/v1alpha1`},
		{"a kind that disagrees", []string{"kind: IstioOperator\n", full}, 0,
			`invalid IstioMesh: kind: unsupported value "IstioOperator": expected IstioMesh`},
		{"a syntax error", []string{full, "spec: [\n"}, 1, "parsing YAML: yaml: line 1: did not find expected node content"},
		{"an empty layer", []string{full, "# nothing\n"}, 1, "spec is empty: expected one IstioMesh document"},
		{"a layer that is not a mapping", []string{full, "- a\n"}, 1, "spec must be a YAML mapping with apiVersion, kind, metadata and spec; got a list"},
		{"infinity in a layer", []string{full, "spec:\n  values:\n    istiod: {x: .inf}\n"}, 1,
			`invalid IstioMesh: spec.values.istiod.x: line 3: .inf is infinite, which JSON cannot hold: write a finite number, or ".inf" in quotes for text`},
		{"one document's problems are its own", []string{header + "spec:\n  mesh: {mtls: NEVER}\n"}, 0,
			`invalid IstioMesh: spec.mesh.mtls: unsupported value "NEVER": must be one of STRICT, PERMISSIVE`},
		{"a problem of the merged spec", []string{full, "spec:\n  mesh: {mtls: NEVER}\n"}, -1,
			`invalid IstioMesh: spec.mesh.mtls: unsupported value "NEVER": must be one of STRICT, PERMISSIVE`},
		{"nothing but overlays", []string{"spec: {}\n", "spec: {profile: minimal}\n"}, -1,
			"invalid IstioMesh (3 problems):\n  apiVersion: required: istio-render.dev/v1alpha1\n  kind: required: IstioMesh\n  metadata.name: required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var docs [][]byte
			for _, l := range tt.layers {
				docs = append(docs, []byte(l))
			}
			_, _, err := mesh.LoadLayers(docs...)
			if err == nil {
				t.Fatal("LoadLayers accepted it")
			}
			var le *mesh.LayerError
			got := err
			index := -1
			if errors.As(err, &le) {
				index, got = le.Index, le.Err
				if want := fmt.Sprintf("document %d: %v", le.Index+1, le.Err); err.Error() != want {
					t.Errorf("LayerError.Error() = %q, want %q", err, want)
				}
			}
			if index != tt.index {
				t.Errorf("blamed layer %d, want %d (%v)", index, tt.index, err)
			}
			if diff := cmp.Diff(tt.want, got.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLoadLayersOfOneIsLoad loads every golden and invalid spec both ways:
// one layer must give what Load gives, error for error.
func TestLoadLayersOfOneIsLoad(t *testing.T) {
	files, err := filepath.Glob("../golden/testdata/*/*.yaml")
	if err != nil || len(files) < 50 {
		t.Fatalf("found %d specs (%v)", len(files), err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		want, _, wantErr := mesh.Load(data)
		got, _, gotErr := mesh.LoadLayers(data)
		if wantErr != nil {
			var le *mesh.LayerError
			if !errors.As(gotErr, &le) || le.Index != 0 || le.Err.Error() != wantErr.Error() {
				t.Errorf("%s: LoadLayers error %v, want document 1: %v", f, gotErr, wantErr)
			}
			continue
		}
		if gotErr != nil {
			t.Errorf("%s: %v", f, gotErr)
			continue
		}
		if diff := cmp.Diff(want, got, cmpopts.IgnoreUnexported(mesh.IstioMesh{})); diff != "" {
			t.Errorf("%s (-Load +LoadLayers):\n%s", f, diff)
		}
	}
}

// FuzzLayers lays arbitrary documents over each other, seeded with
// every golden and invalid spec under and over partial overlays. It must
// never panic; an error blames a layer that exists, or none, and holds no
// character a terminal would act on; a spec that loads resolves again.
func FuzzLayers(f *testing.F) {
	overlays := [][]byte{
		[]byte("spec:\n  mesh: {mtls: null}\n  gateways:\n  - name: istio-ingressgateway\n    replicas: 2\n"),
		[]byte("apiVersion: istio-render.dev/v1alpha1\nkind: IstioMesh\nmetadata:\n  name: x\n"),
		[]byte("spec:\n  values:\n    istiod: {\"a\\e\": .inf}\n"),
	}
	fuzzseed.Pairs(f, overlays, "../golden/testdata/*/mesh.yaml", "../golden/testdata/invalid/*.yaml")
	f.Fuzz(func(t *testing.T, base, overlay []byte) {
		m, _, err := mesh.LoadLayers(base, overlay)
		if err != nil {
			var le *mesh.LayerError
			if errors.As(err, &le) && le.Index != 0 && le.Index != 1 {
				t.Fatalf("blames document %d of 2", le.Index)
			}
			checkPrintable(t, err)
			return
		}
		if _, _, err := m.Complete(); err != nil {
			t.Fatalf("a loaded spec fails to resolve again: %v", err)
		}
	})
}
