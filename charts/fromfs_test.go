package charts_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/istio-render/istio-render/charts"
)

// TestFromFSRefusesWhatHoldsNoCharts: FromFS returns an error, never a
// panic, for a nil file system, a root that is not a valid fs path, and
// one with no chart.
func TestFromFSRefusesWhatHoldsNoCharts(t *testing.T) {
	tests := []struct {
		reason string
		fsys   fstest.MapFS
		nilFS  bool
		root   string
		want   string
	}{
		{"a nil file system", nil, true, ".", "charts .: no file system given"},
		{"a root outside the file system", fstest.MapFS{}, false, "../up", `charts "../up": not a valid path in the file system`},
		{"no chart", fstest.MapFS{"a/README.md": {Data: []byte("x")}}, false, ".", "charts .: no Chart.yaml found"},
	}
	for _, tc := range tests {
		t.Run(tc.reason, func(t *testing.T) {
			var err error
			if tc.nilFS {
				_, err = charts.FromFS(nil, tc.root, "")
			} else {
				_, err = charts.FromFS(tc.fsys, tc.root, "")
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("FromFS: %v, want an error with %q", err, tc.want)
			}
		})
	}
}
