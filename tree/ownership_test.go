package tree

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/istio-render/istio-render/render"
)

// TestWriteRemovesOnlyWhatItOwns re-renders a tree without its gateway
// after adding files and folders of one kind or another, and checks that
// exactly the expected paths are gone: owned files, leftover temporary
// files carrying the Marker, and the layout's folders those removals
// emptied. Nothing else: not a file without the Marker whatever its name,
// not a folder that still holds anything, not a user's folder, not the
// output folder.
func TestWriteRemovesOnlyWhatItOwns(t *testing.T) {
	withGateway, err := layout([]object{
		obj(t, render.ComponentNamespaces, "v1", "Namespace", "", "shop"),
		obj(t, render.ComponentIstiod, "apps/v1", "Deployment", "istio-system", "istiod"),
		obj(t, "gateway/old", "v1", "Service", "edge", "old"),
	})
	if err != nil {
		t.Fatal(err)
	}
	without, err := layout([]object{
		obj(t, render.ComponentNamespaces, "v1", "Namespace", "", "shop"),
		obj(t, render.ComponentIstiod, "apps/v1", "Deployment", "istio-system", "istiod"),
	})
	if err != nil {
		t.Fatal(err)
	}
	const (
		stray  = "gateways/old/service-old.yaml"
		ourTmp = ".deployment-istiod.yaml.0a1b2c3d4e5f" + tempSuffix
	)
	gatewayGone := []string{stray, "gateways/old/", "gateways/"}
	tests := []struct {
		reason string
		setup  func(t *testing.T, dir string)
		// gone lists every path (folders end in /) the re-render removes.
		gone []string
	}{{
		reason: "the stray file and the folders it leaves empty",
		setup:  func(t *testing.T, dir string) {},
		gone:   gatewayGone,
	}, {
		reason: "a foreign file named like a temporary file survives",
		setup: func(t *testing.T, dir string) {
			writeFile(t, dir, "x"+tempSuffix, "mine\n")
		},
		gone: gatewayGone,
	}, {
		reason: "a foreign temporary-looking file keeps its folder",
		setup: func(t *testing.T, dir string) {
			writeFile(t, dir, "gateways/old/x"+tempSuffix, "mine\n")
		},
		gone: []string{stray},
	}, {
		reason: "a file with a temporary file's exact name but without the Marker survives",
		setup: func(t *testing.T, dir string) {
			writeFile(t, dir, "istiod/"+ourTmp, "apiVersion: apps/v1\n")
		},
		gone: gatewayGone,
	}, {
		reason: "a leftover temporary file with the Marker is removed",
		setup: func(t *testing.T, dir string) {
			writeFile(t, dir, "istiod/"+ourTmp, Marker+"\napiVersion: apps/v1\n")
		},
		gone: append([]string{"istiod/" + ourTmp}, gatewayGone...),
	}, {
		reason: "a leftover temporary file is removed with the folder it alone held",
		setup: func(t *testing.T, dir string) {
			writeFile(t, dir, "cni/.daemonset-istio-cni-node.yaml.ffffffffffff"+tempSuffix, Marker+"\nkind: DaemonSet\n")
		},
		gone: append([]string{"cni/.daemonset-istio-cni-node.yaml.ffffffffffff" + tempSuffix, "cni/"}, gatewayGone...),
	}, {
		reason: "a file with the Marker but not named like a temporary file survives",
		setup: func(t *testing.T, dir string) {
			writeFile(t, dir, "gateways/old/notes"+tempSuffix, Marker+"\n")
		},
		gone: []string{stray},
	}, {
		reason: "a hidden file keeps its folder",
		setup: func(t *testing.T, dir string) {
			writeFile(t, dir, "gateways/old/.keep", "")
		},
		gone: []string{stray},
	}, {
		reason: "an empty folder of the user's survives",
		setup: func(t *testing.T, dir string) {
			if err := os.MkdirAll(filepath.Join(dir, "gateways", "old", "mine"), 0o755); err != nil {
				t.Fatal(err)
			}
		},
		gone: []string{stray},
	}, {
		reason: "a folder the layout never makes survives when an owned file in it goes",
		setup: func(t *testing.T, dir string) {
			writeFile(t, dir, "My Notes/copy.yaml", Marker+"\nkind: ConfigMap\n")
		},
		gone: append([]string{"My Notes/copy.yaml"}, gatewayGone...),
	}}
	for _, tc := range tests {
		t.Run(tc.reason, func(t *testing.T) {
			dir := tempDir(t)
			if _, err := Write(dir, withGateway); err != nil {
				t.Fatal(err)
			}
			tc.setup(t, dir)
			want := snapshot(t, dir)
			for _, p := range tc.gone {
				if _, ok := want[p]; !ok {
					t.Fatalf("test setup: %s does not exist", p)
				}
				delete(want, p)
			}
			for _, f := range without.Files {
				want[f.Path] = string(f.Data)
			}
			if _, err := Write(dir, without); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, snapshot(t, dir)); diff != "" {
				t.Errorf("after the re-render (-want +got):\n%s", diff)
			}
			if drift, err := Check(dir, without); err != nil || len(drift) != 0 {
				t.Errorf("Check() after the re-render = %v, %v; want no drift", drift, err)
			}
		})
	}
}

// TestWriteKeepsTheOutputFolder removes every owned file, the
// kustomization too (which no render drops), and checks that the output
// folder itself stays.
func TestWriteKeepsTheOutputFolder(t *testing.T) {
	dir := filepath.Join(tempDir(t), "out")
	if _, err := Write(dir, sample(t)); err != nil {
		t.Fatal(err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	var owned []string
	for _, f := range sample(t).Files {
		owned = append(owned, f.Path)
	}
	wr := &writer{root: root, synced: map[string]bool{}}
	if _, err := wr.remove(owned); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"./": ""}, snapshot(t, dir)); diff != "" {
		t.Errorf("after removing every owned file (-want +got):\n%s", diff)
	}
}

// TestIsTempName holds isTempName to the names tempName gives, and to
// nothing else.
func TestIsTempName(t *testing.T) {
	made, err := tempName("gateways/edge/service-edge.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		want bool
	}{
		{filepath.Base(made), true},
		{".kustomization.yaml.0123456789ab" + tempSuffix, true},
		{"kustomization.yaml.0123456789ab" + tempSuffix, false},
		{".kustomization.yaml.0123456789AB" + tempSuffix, false},
		{".kustomization.yaml.0123456789a" + tempSuffix, false},
		{".kustomization.txt.0123456789ab" + tempSuffix, false},
		{"..yaml.0123456789ab" + tempSuffix, false},
		{".Notes.yaml.0123456789ab" + tempSuffix, false},
		{".x.yaml.0123456789ab" + tempSuffix + ".bak", false},
		{"x" + tempSuffix, false},
		{tempSuffix, false},
	}
	for _, tc := range tests {
		if got := isTempName(tc.name); got != tc.want {
			t.Errorf("isTempName(%q) = %v, want %v", tc.name, got, tc.want)
		}
	}
}
