package golden

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/istio-render/istio-render/compare"
	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
	"github.com/istio-render/istio-render/tree"
)

// treeCases are the cases whose folder layout is built with kustomize and
// compared with the stream: every case with Gateway API objects or
// additional Gateway objects, whose kinds and components the layout must
// place without collisions, and the default profile as a yardstick.
var treeCases = []string{"ambient-waypoints", "gateway-api-ingress", "seed-greenfield-exact", "profile-default"}

// TestTreeBuildsTheStream writes each case's render as a folder, builds
// it with kustomize's own engine, and requires exactly the stream's
// objects in the stream's order.
func TestTreeBuildsTheStream(t *testing.T) {
	for _, name := range treeCases {
		t.Run(name, func(t *testing.T) {
			out := renderManifest(t, filepath.Join("testdata", name), render.Options{})
			stream := out.Bytes()
			tr, err := tree.Layout(out.Resources)
			if err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(t.TempDir(), "rendered")
			if _, err := tree.Write(dir, tr); err != nil {
				t.Fatal(err)
			}
			built, err := tree.Build(dir)
			if err != nil {
				t.Fatal(err)
			}
			want, err := compare.Decode(stream)
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
		})
	}
}

// TestTreeKeepsGatewayAPIObjectsApart lays out a render whose Gateway API
// objects share names across namespaces (two Certificates of one gateway,
// two ReferenceGrants for one gateway namespace, two waypoints, a gateway
// named like the grants' folder): every object needs a file of its own.
func TestTreeKeepsGatewayAPIObjectsApart(t *testing.T) {
	m, _, err := mesh.Load([]byte(`apiVersion: istio-render.dev/v1alpha1
kind: IstioMesh
metadata:
  name: apart
spec:
  profile: ambient
  gatewayAPI:
    crds: render
    gateways:
    - name: referencegrants
      listeners:
      - hostname: a.example.com
        tls:
          certificateRefs:
          - {name: site-tls, namespace: one, certificate: {issuerRef: {name: le}}}
      - hostname: b.example.com
        tls:
          certificateRefs:
          - {name: site-tls, namespace: two, certificate: {issuerRef: {name: le}}}
      - hostname: c.example.com
        tls:
          certificateRefs:
          - {name: site-tls, certificate: {issuerRef: {name: le}}}
  namespaces:
  - {name: one, injection: ambient, waypoint: {}}
  - {name: two, injection: ambient, waypoint: {}}
`))
	if err != nil {
		t.Fatal(err)
	}
	out, err := render.Render(context.Background(), m, render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tr, err := tree.Layout(out.Resources)
	if err != nil {
		t.Fatalf("Layout: %v", err)
	}
	var paths []string
	for _, f := range tr.Files {
		if strings.Contains(f.Path, "certificate-") || strings.Contains(f.Path, "referencegrant-") || strings.Contains(f.Path, "gateway-waypoint") {
			paths = append(paths, f.Path)
		}
	}
	want := []string{
		"gateway-api/referencegrants/certificate-site-tls.yaml",
		"gateway-api/referencegrants/one/certificate-site-tls.yaml",
		"gateway-api/referencegrants/one/referencegrant-gateways-from-istio-system.yaml",
		"gateway-api/referencegrants/two/certificate-site-tls.yaml",
		"gateway-api/referencegrants/two/referencegrant-gateways-from-istio-system.yaml",
		"waypoint/one/gateway-waypoint.yaml",
		"waypoint/two/gateway-waypoint.yaml",
	}
	if diff := cmp.Diff(want, paths); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
}
