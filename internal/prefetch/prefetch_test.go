package prefetch_test

import (
	"testing"

	"github.com/istio-render/istio-render/internal/prefetch"
)

func TestWanted(t *testing.T) {
	for _, c := range []struct {
		args []string
		want bool
	}{
		{nil, true}, // the KRM function: a ResourceList on stdin
		{[]string{"fn"}, true},
		{[]string{"render", "--profile", "default"}, true},
		{[]string{"render", "-f", "mesh.yaml", "-o", "out", "--check"}, true},
		{[]string{"validate", "-f", "mesh.yaml"}, true},
		{[]string{"diff", "-f", "mesh.yaml", "rendered"}, true},
		{[]string{"render", "-f", "mesh.yaml", "--charts", "./charts"}, false},
		{[]string{"render", "-f", "mesh.yaml", "--charts=./charts"}, false},
		{[]string{"render", "-f", "-", "--", "--charts"}, true},
		{[]string{"render", "--help"}, false},
		{[]string{"render", "-h"}, false},
		{[]string{"version"}, false},
		{[]string{"help", "render"}, false},
		{[]string{"profiles", "show", "default"}, false},
		{[]string{"schema"}, false},
		{[]string{"init"}, false},
		{[]string{"completion", "bash"}, false},
	} {
		if got := prefetch.Wanted(c.args); got != c.want {
			t.Errorf("Wanted(%q) = %v, want %v", c.args, got, c.want)
		}
	}
}
