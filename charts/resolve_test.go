package charts_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/istio-render/istio-render/charts"
	"github.com/istio-render/istio-render/internal/testcharts"
)

// TestFolderResolver resolves chart folders relative to a base folder,
// loads each once, and names what it cannot find.
func TestFolderResolver(t *testing.T) {
	dir := testcharts.Write(t, testcharts.Archives) // .tgz files, as helm pull downloads them
	resolve := charts.FolderResolver(filepath.Dir(dir))
	src, err := resolve(filepath.Base(dir))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(src.Names(), []string{"base", "cni", "gateway", "istiod", "ztunnel"}) || src.Line() != "1.31" || src.Placeholder() {
		t.Errorf("source %s: names %v, line %q, placeholder %v", src, src.Names(), src.Line(), src.Placeholder())
	}
	again, err := resolve("./" + filepath.Base(dir))
	if err != nil || again != src {
		t.Errorf("the same folder loaded twice (%v)", err)
	}
	abs, err := charts.FolderResolver("/nowhere")(dir)
	if err != nil || abs.Line() != "1.31" {
		t.Errorf("an absolute folder is not taken as it is: %v", err)
	}
	for _, ref := range []string{"", "missing"} {
		if _, err := resolve(ref); err == nil || ref != "" && !strings.Contains(err.Error(), "missing") {
			t.Errorf("resolve(%q) = %v, want an error naming it", ref, err)
		}
	}
}
