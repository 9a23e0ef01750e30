package compare

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestGoCmpOnlyInTests keeps github.com/google/go-cmp, which its authors
// intend "only to be used in tests", out of every package of the module as
// built without its tests: the libraries, the command and its internals.
func TestGoCmpOnlyInTests(t *testing.T) {
	mod, err := exec.Command("go", "list", "-m", "-f", "{{.Path}}").Output()
	if err != nil {
		t.Fatalf("go list -m: %v", err)
	}
	pattern := strings.TrimSpace(string(mod)) + "/..."
	out, err := exec.Command("go", "list", "-deps", "-test=false",
		"-f", "{{.ImportPath}}{{range .Imports}} {{.}}{{end}}", pattern).Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", pattern, err)
	}
	if bad := goCmpImporters(string(out)); len(bad) > 0 {
		t.Errorf("built without tests, the module links go-cmp:\n%s", strings.Join(bad, "\n"))
	}
}

// goCmpImporters reads go list lines "package import..." and returns
// "package imports go-cmp-package" for each package outside go-cmp that
// imports it.
func goCmpImporters(list string) []string {
	const gocmp = "github.com/google/go-cmp/"
	var out []string
	for line := range strings.Lines(list) {
		fields := strings.Fields(line)
		if len(fields) == 0 || strings.HasPrefix(fields[0], gocmp) {
			continue
		}
		for _, imp := range fields[1:] {
			if strings.HasPrefix(imp, gocmp) {
				out = append(out, fields[0]+" imports "+imp)
			}
		}
	}
	return out
}

func TestGoCmpImporters(t *testing.T) {
	tests := []struct {
		reason string
		list   string
		want   []string
	}{{
		reason: "no go-cmp",
		list:   "fmt io\nexample.com/m/a fmt\n",
	}, {
		reason: "go-cmp's own packages import each other",
		list:   "github.com/google/go-cmp/cmp github.com/google/go-cmp/cmp/internal/diff\n",
	}, {
		reason: "a package of the module imports go-cmp",
		list:   "example.com/m/a fmt github.com/google/go-cmp/cmp\n",
		want:   []string{"example.com/m/a imports github.com/google/go-cmp/cmp"},
	}, {
		reason: "a dependency imports go-cmp",
		list:   "k8s.io/apimachinery/pkg/util/diff github.com/google/go-cmp/cmp\nexample.com/m/a k8s.io/apimachinery/pkg/util/diff",
		want:   []string{"k8s.io/apimachinery/pkg/util/diff imports github.com/google/go-cmp/cmp"},
	}}
	for _, tc := range tests {
		t.Run(tc.reason, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, goCmpImporters(tc.list)); diff != "" {
				t.Errorf("goCmpImporters (-want +got):\n%s", diff)
			}
		})
	}
}
