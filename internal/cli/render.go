package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/istio-render/istio-render/charts"
	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// renderFlags are the flags of the render command.
type renderFlags struct {
	file    string
	profile string
	charts  []string
	quiet   bool
}

func newRenderCommand(streams Streams) *cobra.Command {
	f := &renderFlags{}
	cmd := &cobra.Command{
		Use:   "render",
		Short: "Render a mesh spec (or a profile) to a YAML stream",
		Example: `  # Render the production profile with every default
  istio-render render --profile production

  # Render a spec file
  istio-render render -f mesh.yaml > istio.yaml

  # Render with release charts pulled with helm pull istio/<chart>
  istio-render render -f mesh.yaml --charts ./charts`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			m, err := loadSpec(f.file, f.profile, streams.In)
			if err != nil {
				return err
			}
			opts, err := chartOptions(f.charts)
			if err != nil {
				return err
			}
			out, err := render.Render(cmd.Context(), m, opts)
			if err != nil {
				return err
			}
			if !f.quiet {
				for _, w := range out.Warnings {
					fmt.Fprintf(streams.Err, "Warning: %s\n", w)
				}
			}
			_, err = out.WriteTo(streams.Out)
			return err
		},
	}
	cmd.Flags().StringVarP(&f.file, "filename", "f", "", "IstioMesh spec file (- for stdin)")
	cmd.Flags().StringVar(&f.profile, "profile", "", "render this profile with no spec file")
	cmd.Flags().StringSliceVar(&f.charts, "charts", nil, "render with charts from these folders or .tgz files instead of the embedded ones")
	cmd.Flags().BoolVarP(&f.quiet, "quiet", "q", false, "print no warnings")
	return cmd
}

// loadSpec reads the spec from a file, stdin, or builds one for a profile.
func loadSpec(file, profile string, stdin io.Reader) (*mesh.IstioMesh, error) {
	switch {
	case file != "" && profile != "":
		return nil, usageError("use -f or --profile, not both")
	case file == "" && profile == "":
		return nil, usageError("give a spec with -f FILE or a profile with --profile NAME")
	case profile != "":
		doc := fmt.Sprintf("apiVersion: %s\nkind: %s\nmetadata:\n  name: %s\nspec:\n  profile: %s\n", mesh.APIVersion, mesh.Kind, profile, profile)
		m, _, err := mesh.Load([]byte(doc))
		return m, err
	}
	var data []byte
	var err error
	if file == "-" {
		data, err = io.ReadAll(io.LimitReader(stdin, mesh.MaxSpecBytes+1))
	} else {
		data, err = readFileLimited(file)
	}
	if err != nil {
		return nil, err
	}
	m, _, err := mesh.Load(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return m, nil
}

// readFileLimited reads a spec file, refusing one over the size limit
// without reading it all.
func readFileLimited(name string) ([]byte, error) {
	fh, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	return io.ReadAll(io.LimitReader(fh, mesh.MaxSpecBytes+1))
}

// chartOptions builds render options from --charts.
func chartOptions(paths []string) (render.Options, error) {
	if len(paths) == 0 {
		return render.Options{}, nil
	}
	src, err := charts.FromPaths(paths...)
	if err != nil {
		return render.Options{}, err
	}
	return render.Options{Charts: src}, nil
}
