package cli

import (
	"errors"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/istio-render/istio-render/mesh"
)

// tools are the values of --for.
var tools = []string{mesh.ToolPlain, mesh.ToolArgoCD, mesh.ToolFlux}

// addForFlag binds --for, which renders for a GitOps tool whatever the
// spec's spec.gitops.tool says.
func addForFlag(cmd *cobra.Command, tool *string) {
	cmd.Flags().StringVar(tool, "for", "", "render for this GitOps tool: plain, argocd or flux (default: the spec's spec.gitops.tool, else plain)")
}

// checkTool refuses a --for value that names no tool.
func checkTool(tool string) error {
	if tool != "" && !slices.Contains(tools, tool) {
		return usageError("--for: %q is not one of %s", tool, strings.Join(tools, ", "))
	}
	return nil
}

// forTool returns the spec with the tool --for names, and, when it renders
// a folder for Flux whose path in the repository the spec does not give,
// that folder's path as -o gives it: spec.gitops.flux.path defaults to
// the folder as written, relative to where render runs, normally the
// repository's root. A spec without either change is returned as it is.
func forTool(m *mesh.Resolved, tool, dir string) (*mesh.Resolved, error) {
	if err := checkTool(tool); err != nil {
		return nil, err
	}
	changed := false
	if tool != "" && tool != m.Spec.GitOps.Tool {
		m.Spec.GitOps.Tool = tool
		changed = true
	}
	g := &m.Spec.GitOps
	if g.Tool == mesh.ToolFlux && dir != "" && (g.Flux == nil || g.Flux.Path == "") {
		p, err := fluxPath(dir)
		if err != nil {
			return nil, err
		}
		if g.Flux == nil {
			g.Flux = &mesh.Flux{}
		}
		g.Flux.Path = p
		changed = true
	}
	if !changed {
		return m, nil
	}
	c, _, err := m.Complete()
	return c, err
}

// fluxPath turns the folder given to -o into its path in a Flux source.
func fluxPath(dir string) (string, error) {
	p := filepath.ToSlash(dir)
	if !path.IsAbs(p) && !filepath.IsAbs(dir) {
		p = path.Clean(p)
		if p != "." && p != ".." && !strings.HasPrefix(p, "../") {
			return "./" + p, nil
		}
	}
	return "", usageError("rendering %s for Flux: the Kustomizations need the folder's path in the repository Flux reads, "+
		"which %q does not give: set spec.gitops.flux.path (such as ./deploy/istio), or run render from the repository's root with a relative -o", dir, dir)
}

// isUsage reports a usage error (exit 2).
func isUsage(err error) bool {
	var ee *exitError
	return errors.As(err, &ee) && ee.code == ExitUsage
}
