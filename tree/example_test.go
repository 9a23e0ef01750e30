package tree_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
	"github.com/istio-render/istio-render/tree"
)

func ExampleWrite() {
	spec, _, err := mesh.Load([]byte(`
apiVersion: istio-render.dev/v1alpha1
kind: IstioMesh
metadata: {name: example}
spec: {profile: minimal}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := render.Render(context.Background(), spec, render.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	t, err := tree.Layout(m.Resources)
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, err := os.MkdirTemp("", "tree")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	// Write follows no symbolic link, and the temporary folder may lie
	// beneath one (/var on macOS): give it the real path.
	if dir, err = filepath.EvalSymlinks(dir); err != nil {
		fmt.Println(err)
		return
	}
	out := filepath.Join(dir, "istio")
	if _, err := tree.Write(out, t); err != nil {
		fmt.Println(err)
		return
	}

	// A hand edit is drift; a re-render undoes it.
	p := filepath.Join(out, "istiod", "deployment-istiod.yaml")
	if err := os.WriteFile(p, []byte(tree.Marker+"\nkind: Deployment\n"), 0o644); err != nil {
		fmt.Println(err)
		return
	}
	drift, _ := tree.Check(out, t)
	fmt.Println(drift)
	res, _ := tree.Write(out, t)
	fmt.Println(res.Written)
	drift, _ = tree.Check(out, t)
	fmt.Println(len(drift))
	// Output:
	// [edited istiod/deployment-istiod.yaml]
	// [istiod/deployment-istiod.yaml]
	// 0
}
