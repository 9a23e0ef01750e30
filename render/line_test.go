package render_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/istio-render/istio-render/charts"
	"github.com/istio-render/istio-render/internal/testcharts"
	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// TestSourceTreeChartsLine checks versions against the release line of
// charts from Istio's source tree, whose Chart.yaml versions are a
// placeholder and which are labelled with the version rendered: the line
// is the tree's VERSION file's, and where there is none, a warning says
// the version cannot be checked. Before, such charts were never checked:
// 1.31 templates rendered as istiod-1.29.1 without a word.
func TestSourceTreeChartsLine(t *testing.T) {
	const unchecked = "%s cannot be checked against the Istio release line of the charts (%s): their Chart.yaml version is the placeholder of Istio's source tree, and no VERSION file two levels above their manifests/charts folder names the line; make sure they are Istio %s's charts, or give release charts (`helm pull istio/<chart> --version %s`)"
	tests := []struct {
		name string
		// tree is the VERSION of the source tree the charts are in,
		// "" for none.
		tree string
		// spec follows "spec:\n  profile: minimal\n"; revisions name
		// the charts "tree".
		spec string
		// want are the warnings about the charts' line, by field, with
		// %[1]s for the charts' folder; wantErr the one field error.
		want    map[string]string
		wantErr string
	}{{
		name: "spec.version of another line than the tree's",
		tree: "1.31",
		spec: "  version: 1.30.4\n",
		want: map[string]string{"spec.version": "1.30.4 differs from the charts' Istio 1.31 line (%[1]s)"},
	}, {
		name: "spec.version of the tree's line",
		tree: "1.31",
		spec: "  version: 1.31.2\n",
		want: map[string]string{},
	}, {
		name: "spec.version of charts outside a tree",
		spec: "  version: 1.30.4\n",
		want: map[string]string{"spec.version": fmt.Sprintf(unchecked, "1.30.4", "%[1]s", "1.30", "1.30.4")},
	}, {
		name: "a canary of charts outside a tree",
		spec: "  version: 1.31.0\n  canary: {revision: c, version: 1.31.1}\n",
		want: map[string]string{
			"spec.version":        fmt.Sprintf(unchecked, "1.31.0", "%[1]s", "1.31", "1.31.0"),
			"spec.canary.version": fmt.Sprintf(unchecked, "1.31.1", "%[1]s", "1.31", "1.31.1"),
		},
	}, {
		name:    "a revision of another line than its tree's",
		tree:    "1.30",
		spec:    "  revisions:\n  - {name: a, version: 1.31.5, charts: tree}\n  - {name: b}\n",
		wantErr: "spec.revisions[0].version: 1.31.5 is not of the Istio 1.30 line of its charts (%[1]s); give the revision charts of Istio 1.31 in spec.revisions[0].charts, or set its version to a 1.30 release",
	}, {
		name: "a revision of its tree's line",
		tree: "1.31",
		spec: "  revisions:\n  - {name: a, version: 1.31.5, charts: tree}\n  - {name: b}\n",
		want: map[string]string{},
	}, {
		name: "a revision of charts outside a tree",
		spec: "  revisions:\n  - {name: a, version: 1.31.5, charts: tree}\n  - {name: b}\n",
		want: map[string]string{"spec.revisions[0].version": fmt.Sprintf(unchecked, "1.31.5", "%[1]s", "1.31", "1.31.5")},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := testcharts.SourceTree(t, tt.tree)
			dir := filepath.Join(root, "manifests", "charts")
			src, err := charts.FromPaths(dir)
			if err != nil {
				t.Fatal(err)
			}
			m, _, err := mesh.Load([]byte(header + "spec:\n  profile: minimal\n" + tt.spec))
			if err != nil {
				t.Fatal(err)
			}
			opts := render.Options{Charts: src}
			if m.Spec.UsesRevisions() {
				opts = render.Options{RevisionCharts: func(ref string) (*charts.Source, error) {
					if ref != "tree" {
						return nil, errors.New("unexpected reference " + ref)
					}
					return src, nil
				}}
			}
			out, err := render.Render(context.Background(), m, opts)
			if tt.wantErr != "" {
				var ve *mesh.ValidationError
				if !errors.As(err, &ve) || len(ve.Errors) != 1 {
					t.Fatalf("Render = %v, want one field error", err)
				}
				if diff := cmp.Diff(fmt.Sprintf(tt.wantErr, dir), ve.Errors[0].Error()); diff != "" {
					t.Errorf("error (-want +got):\n%s", diff)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]string{}
			for f, msg := range tt.want {
				want[f] = fmt.Sprintf(msg, dir)
			}
			got := map[string]string{}
			for _, w := range out.Warnings {
				switch w.Field {
				case "spec.version", "spec.canary.version", "spec.revisions[0].version":
					got[w.Field] = w.Message
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("warnings about the charts' line (-want +got):\n%s", diff)
			}
		})
	}
}
