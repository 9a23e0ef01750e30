package mesh_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/istio-render/istio-render/mesh"
)

// TestInjectorSkippedNamespacesAreIstios reads the list from Istio's own
// injector source (pkg/kube/inject.IgnoredNamespaces, whose package needs
// too much to import) and requires the same namespaces.
func TestInjectorSkippedNamespacesAreIstios(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "istio.io/istio").Output()
	if err != nil {
		t.Fatalf("go list -m istio.io/istio: %v", err)
	}
	dir := strings.TrimSpace(string(out))
	consts := stringConstants(t, filepath.Join(dir, "pkg", "config", "constants", "constants.go"))
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, "pkg", "kube", "inject", "initializer.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var istio []string
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Names) != 1 || vs.Names[0].Name != "IgnoredNamespaces" {
			return true
		}
		call, ok := vs.Values[0].(*ast.CallExpr)
		if !ok {
			t.Fatalf("IgnoredNamespaces is no longer a call: %T", vs.Values[0])
		}
		for _, a := range call.Args {
			sel, ok := a.(*ast.SelectorExpr)
			if !ok || consts[sel.Sel.Name] == "" {
				t.Fatalf("IgnoredNamespaces holds %T, not a constant of pkg/config/constants", a)
			}
			istio = append(istio, consts[sel.Sel.Name])
		}
		return false
	})
	if len(istio) == 0 {
		t.Fatal("no IgnoredNamespaces in Istio's injector")
	}
	slices.Sort(istio)
	if diff := cmp.Diff(istio, mesh.InjectorSkippedNamespaces()); diff != "" {
		t.Errorf("namespaces the injector skips (-istio +mesh):\n%s", diff)
	}
}

// stringConstants maps the string constants of a Go file to their values.
func stringConstants(t *testing.T, file string) map[string]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok {
			return true
		}
		for i, name := range vs.Names {
			if i < len(vs.Values) {
				if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					out[name.Name], _ = strconv.Unquote(lit.Value)
				}
			}
		}
		return true
	})
	return out
}
