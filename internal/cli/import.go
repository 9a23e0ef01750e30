package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/istio-render/istio-render/iop"
)

// importFlags are the flags of the import command.
type importFlags struct {
	file   string
	output string
	quiet  bool
}

func newImportCommand(streams Streams) *cobra.Command {
	f := &importFlags{}
	cmd := &cobra.Command{
		Use:   "import",
		Short: "Convert an IstioOperator (istioctl install -f) into an IstioMesh spec",
		Long: `import reads an IstioOperator, the install.istio.io/v1alpha1 file that
istioctl install -f and istioctl manifest generate -f take, and writes the
equivalent IstioMesh spec.

It maps the profile, hub and tag, revision and revision tags, the meshConfig
settings the spec names, and the pilot, gateway, CNI and ztunnel components
with their Kubernetes settings: replicas, autoscaling, resources,
disruption budget, service type, annotations and address. Settings the
charts take but the spec does not name become raw values of the chart that
reads them (spec.values), as istioctl passes them.

Every field it could not carry over is printed as a warning with what to do
about it, and listed in a comment at the top of the spec; notes say how a
field without an exact counterpart was carried. istio-render renders
gateways with Istio's gateway chart, as Helm users install them, where
istioctl uses its own gateway charts: the objects of a gateway differ, its
workload, image, replicas and resources do not. docs/import.md lists what
differs from istioctl manifest generate and why.

The -o file must not exist yet: import never overwrites a file.`,
		Example: `  # Convert, then look at the result
  istio-render import -f istio-operator.yaml -o mesh.yaml
  istio-render render -f mesh.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := emptyOutput(cmd, f.output); err != nil {
				return err
			}
			if f.file == "" {
				return usageError("give the IstioOperator to convert with -f FILE (- for stdin)")
			}
			data, err := readSpecFile(f.file, streams.In)
			if err != nil {
				return err
			}
			res, err := iop.Import(data)
			if err != nil {
				return fmt.Errorf("%s: %w", f.file, err)
			}
			out, err := res.YAML(f.file)
			if err != nil {
				return err
			}
			if !f.quiet {
				for _, n := range res.Unmapped {
					fmt.Fprintf(streams.Err, "Warning: not carried over: %s\n", n)
				}
				for _, n := range res.Notes {
					fmt.Fprintf(streams.Err, "Note: %s\n", n)
				}
			}
			if f.output == "" || f.output == "-" {
				_, err := streams.Out.Write(out)
				return err
			}
			return writeNew("import", f.output, out)
		},
	}
	cmd.Flags().StringVarP(&f.file, "filename", "f", "", "IstioOperator file (- for stdin)")
	cmd.Flags().StringVarP(&f.output, "output", "o", "", "write the spec to this new file instead of standard output")
	cmd.Flags().BoolVarP(&f.quiet, "quiet", "q", false, "print no warnings")
	return cmd
}
