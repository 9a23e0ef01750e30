package charts

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/istio-render/istio-render/internal/helm"
)

// TestSplitDocuments holds the shortcut to Helm's own splitting: the same
// documents, empty ones left out.
func TestSplitDocuments(t *testing.T) {
	for _, in := range []string{
		"", "  \n", "a: 1", "---\na: 1\n", "a: 1\n---\nb: 2", "a: 1\n---b: 2\n",
		"a: |\n  ---\n  x\n", "  a: 1\n  ---\n", "\n\n---\n---\n", "a: 1 --- b",
	} {
		var want []string
		for _, d := range helm.SplitManifests(in) {
			if strings.TrimSpace(d) != "" {
				want = append(want, d)
			}
		}
		if diff := cmp.Diff(want, splitDocuments(in)); diff != "" {
			t.Errorf("splitDocuments(%q) differs from Helm (-helm +ours):\n%s", in, diff)
		}
	}
}
