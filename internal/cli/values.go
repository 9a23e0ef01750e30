package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/istio-render/istio-render/charts"
	"github.com/istio-render/istio-render/render"
)

// valuesFlags are the flags of the values command.
type valuesFlags struct {
	files   []string
	profile string
	charts  []string
	release string
	output  string
}

func newValuesCommand(streams Streams) *cobra.Command {
	f := &valuesFlags{}
	cmd := &cobra.Command{
		Use:   "values",
		Short: "Print the Helm releases a render is made of: chart, release, namespace and values",
		Long: `values prints the Helm releases istio-render renders for a spec, in install
order: for each, the chart's name and version, the release name and
namespace, the Kubernetes version the chart is rendered for and the exact
values the chart is given (before the chart's own defaults). Helm renders
the same chart objects from them: this is the way to move an install to
Helm, to Argo CD's Helm source, or from Helm to istio-render.

The output is a YAML stream, one document per release, keys sorted:

  chart:
    name: istiod
    version: 1.31.0
  kubeVersion: 1.36.0
  namespace: istio-system
  release: istiod
  values:
    ...

With -o DIR it writes DIR/<release>-values.yaml, a Helm values file for
each release, and DIR/README.md with the helm commands that install them, in
order. --release NAME keeps only that release.

The charts hold only part of the install: Namespaces, mesh policy
(PeerAuthentication, DestinationRules, AuthorizationPolicies, Telemetry) and
the gateways' Gateway and Certificate objects are rendered by istio-render
alone. See docs/helm.md.

-f, --profile and --charts work as for render, and so do the chart folders
of spec.revisions, relative to the spec; a spec that does not render is an
error here too.`,
		Example: `  # Every release, values inline
  istio-render values -f mesh.yaml

  # One values file per release, and the helm commands in order
  istio-render values -f mesh.yaml -o helm/

  # The values of one release, for helm -f
  istio-render values -f mesh.yaml --release istiod`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := emptyOutput(cmd, f.output); err != nil {
				return err
			}
			rels, err := helmReleases(cmd.Context(), f, streams.In)
			if err != nil {
				return err
			}
			if f.output == "" || f.output == "-" {
				return writeReleases(streams.Out, rels)
			}
			if err := writeValuesDir(f.output, rels); err != nil {
				return err
			}
			fmt.Fprintf(streams.Err, "Wrote %s: %d values %s and README.md\n",
				f.output, len(rels), plural(len(rels), "file", "files"))
			return nil
		},
	}
	cmd.Flags().StringArrayVarP(&f.files, "filename", "f", nil, "IstioMesh spec file (- for stdin); repeat to lay overlays over it in order")
	cmd.Flags().StringVar(&f.profile, "profile", "", "use this profile with no spec file")
	cmd.Flags().StringSliceVar(&f.charts, "charts", nil, "render with charts from these folders or .tgz files instead of the embedded ones")
	cmd.Flags().StringVar(&f.release, "release", "", "print only the release of this name")
	cmd.Flags().StringVarP(&f.output, "output", "o", "", "write a values file per release and a README.md to this folder instead of printing (- prints)")
	return cmd
}

// helmRelease is one release as the values command prints it. The shape
// is documented in docs/helm.md; fields may be added, never renamed.
type helmRelease struct {
	Chart       chartRef       `json:"chart"`
	Release     string         `json:"release"`
	Namespace   string         `json:"namespace"`
	KubeVersion string         `json:"kubeVersion"`
	Values      map[string]any `json:"values"`
}

// chartRef names a chart and its version.
type chartRef struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// helmReleases loads the spec, renders it (so that a spec render rejects
// is rejected here too) and lists its releases, only the one --release
// names when it is set.
func helmReleases(ctx context.Context, f *valuesFlags, stdin io.Reader) ([]helmRelease, error) {
	m, err := loadSpec(f.files, f.profile, stdin)
	if err != nil {
		return nil, err
	}
	opts, err := chartOptions(f.charts)
	if err != nil {
		return nil, err
	}
	opts.RevisionCharts = charts.FolderResolver(specDir(f.files))
	source := strings.Join(f.files, ", ")
	wrap := func(err error) error {
		if source == "" {
			return err
		}
		return fmt.Errorf("%s: %w", source, err)
	}
	if _, err := render.Render(ctx, m, opts); err != nil {
		return nil, wrap(err)
	}
	rels, err := render.Releases(m, opts)
	if err != nil {
		return nil, wrap(err)
	}
	out := make([]helmRelease, 0, len(rels))
	var names []string
	for _, r := range rels {
		names = append(names, r.Name)
		if f.release != "" && r.Name != f.release {
			continue
		}
		values := r.Values
		if values == nil {
			values = map[string]any{}
		}
		out = append(out, helmRelease{
			Chart:       chartRef{Name: r.Chart, Version: r.ChartVersion},
			Release:     r.Name,
			Namespace:   r.Namespace,
			KubeVersion: r.KubeVersion,
			Values:      values,
		})
	}
	if len(out) == 0 {
		return nil, usageError("--release %q: the spec renders no such release; its releases are %s",
			f.release, strings.Join(names, ", "))
	}
	return out, nil
}

// writeReleases writes releases as a YAML stream, one document each.
func writeReleases(w io.Writer, rels []helmRelease) error {
	var b bytes.Buffer
	for i, r := range rels {
		doc, err := sigsyaml.Marshal(r)
		if err != nil {
			return fmt.Errorf("encoding release %s: %w", r.Release, err)
		}
		if i > 0 {
			b.WriteString("---\n")
		}
		b.Write(doc)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// valuesFile names the values file of a release in a -o folder.
func valuesFile(r helmRelease) string { return r.Release + "-values.yaml" }

// writeValuesDir writes a values file per release and a README.md listing
// the helm commands that install them, in order. It writes those files
// only, and nothing unless every release has a file name of its own.
func writeValuesDir(dir string, rels []helmRelease) error {
	files := map[string][]byte{}
	var order []string
	for _, r := range rels {
		name := valuesFile(r)
		if _, dup := files[name]; dup {
			return fmt.Errorf("-o %s: two releases are named %q (in different namespaces); print them with --release %s instead",
				dir, r.Release, r.Release)
		}
		values, err := sigsyaml.Marshal(r.Values)
		if err != nil {
			return fmt.Errorf("encoding the values of release %s: %w", r.Release, err)
		}
		head := fmt.Sprintf("# Helm values for release %s (chart %s %s) in namespace %s,\n"+
			"# rendered for Kubernetes %s. Generated by istio-render values.\n",
			r.Release, r.Chart.Name, r.Chart.Version, r.Namespace, r.KubeVersion)
		files[name] = append([]byte(head), values...)
		order = append(order, name)
	}
	files["README.md"] = valuesReadme(rels)
	order = append(order, "README.md")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, name := range slices.Sorted(slices.Values(order)) {
		if err := os.WriteFile(filepath.Join(dir, name), files[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}

// valuesReadme lists the helm commands that install releases, in order,
// between the objects no chart holds.
func valuesReadme(rels []helmRelease) []byte {
	var b strings.Builder
	b.WriteString("# Helm releases\n\n" +
		"Generated by istio-render values. To install the mesh with Helm:\n\n" +
		"1. Apply the Namespaces that istio-render render gives: no chart holds them,\n" +
		"   and they carry the labels the mesh needs.\n" +
		"2. Install the releases in this order, with Istio's chart repository added\n" +
		"   as istio and the charts at these versions:\n\n" +
		"   ```sh\n")
	for _, r := range rels {
		fmt.Fprintf(&b, "   helm upgrade --install %s istio/%s --version %s --namespace %s --values %s\n",
			r.Release, r.Chart.Name, r.Chart.Version, r.Namespace, valuesFile(r))
	}
	b.WriteString("   ```\n\n" +
		"3. Apply the rest of what istio-render render gives beyond the charts: mesh\n" +
		"   policy (PeerAuthentication, DestinationRules, AuthorizationPolicies,\n" +
		"   Telemetry) and the gateways' Gateway and Certificate objects.\n\n" +
		"The values were rendered for Kubernetes " + rels[0].KubeVersion + " (helm template --kube-version).\n" +
		"See docs/helm.md.\n")
	return []byte(b.String())
}
