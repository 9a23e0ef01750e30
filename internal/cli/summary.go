package cli

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// writeSummary writes what a render produced, on one screen: the spec, the
// objects of each component by kind, and the spec's warnings.
func writeSummary(w io.Writer, m *render.Manifest) {
	fmt.Fprintf(w, "Rendered IstioMesh %q (profile %s, Istio %s): %d objects\n",
		m.Spec.Metadata.Name, m.Spec.Profile, istioVersions(&m.Spec.Spec), len(m.Resources))
	groups := byComponent(m.Resources)
	width := 0
	for _, g := range groups {
		width = max(width, len(g.name))
	}
	for _, g := range groups {
		head := fmt.Sprintf("  %-*s %4d  ", width, g.name, g.total)
		for i, line := range wrap(g.kinds, summaryWidth-len(head)) {
			if i > 0 {
				head = strings.Repeat(" ", len(head))
			}
			fmt.Fprintf(w, "%s%s\n", head, line)
		}
	}
	for _, wr := range m.Warnings {
		fmt.Fprintf(w, "Warning: %s\n", wr)
	}
}

// istioVersions names the Istio version a spec renders, or with
// spec.revisions the version of each revision, such as
// "1.30.4 (1-30-4), 1.31.0 (1-31-0)".
func istioVersions(s *mesh.Spec) string {
	if !s.UsesRevisions() {
		return s.Version
	}
	var parts []string
	for _, d := range s.Istiods() {
		parts = append(parts, fmt.Sprintf("%s (%s)", d.Version, d.Label()))
	}
	return strings.Join(parts, ", ")
}

// summaryWidth is the width the summary wraps its kind lists to.
const summaryWidth = 100

// wrap joins items with commas into lines of at most width bytes; an item
// longer than width gets a line of its own.
func wrap(items []string, width int) []string {
	var lines []string
	line := ""
	for i, it := range items {
		if i < len(items)-1 {
			it += ","
		}
		switch {
		case line == "":
			line = it
		case len(line)+1+len(it) > width:
			lines = append(lines, line)
			line = it
		default:
			line += " " + it
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// componentGroup counts the objects of one component.
type componentGroup struct {
	name  string
	total int
	// kinds are "N Kind" in apply order.
	kinds []string
}

// byComponent groups resources by component in install order: namespaces,
// base, istiod and canaries, cni, ztunnel, gateways, mesh policy.
func byComponent(rs []render.Resource) []componentGroup {
	type counts struct {
		order []string
		n     map[string]int
	}
	by := map[string]*counts{}
	for _, r := range rs {
		c := by[r.Component]
		if c == nil {
			c = &counts{n: map[string]int{}}
			by[r.Component] = c
		}
		if c.n[r.Kind] == 0 {
			c.order = append(c.order, r.Kind)
		}
		c.n[r.Kind]++
	}
	out := make([]componentGroup, 0, len(by))
	for name, c := range by {
		g := componentGroup{name: name}
		for _, k := range c.order {
			g.total += c.n[k]
			g.kinds = append(g.kinds, fmt.Sprintf("%d %s", c.n[k], k))
		}
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool {
		ri, rj := componentRank(out[i].name), componentRank(out[j].name)
		if ri != rj {
			return ri < rj
		}
		return out[i].name < out[j].name
	})
	return out
}

// componentRank orders components as they are installed.
func componentRank(c string) int {
	switch {
	case c == render.ComponentNamespaces:
		return 0
	case c == render.ComponentBase:
		return 1
	case c == render.ComponentIstiod:
		return 2
	case strings.HasPrefix(c, render.ComponentIstiod+"-"):
		return 3
	case c == render.ComponentCNI:
		return 4
	case c == render.ComponentZtunnel:
		return 5
	case strings.HasPrefix(c, render.ComponentGatewayPrefix):
		return 6
	case c == render.ComponentPolicy:
		return 7
	}
	return 8
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
