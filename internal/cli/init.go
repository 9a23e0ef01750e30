package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/istio-render/istio-render/profiles"
)

// initFlags are the flags of the init command.
type initFlags struct {
	output  string
	name    string
	profile string
	schema  string
}

func newInitCommand(streams Streams) *cobra.Command {
	f := &initFlags{}
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a commented starter spec",
		Long: `init writes a starter IstioMesh spec: a valid spec that renders as it is, with
comments explaining the main settings and commented-out examples of each.
It prints the spec, or writes it to the -o file, which must not exist yet:
init never overwrites a file.`,
		Example: `  # Start a spec from the production profile
  istio-render init --profile production --name prod -o mesh.yaml

  # With a modeline for editor completion (see istio-render schema --help)
  istio-render schema > istiomesh.schema.json
  istio-render init --schema istiomesh.schema.json -o mesh.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := emptyOutput(cmd, f.output); err != nil {
				return err
			}
			data, err := starter(starterOptions{name: f.name, profile: f.profile, schema: f.schema})
			if err != nil {
				return err
			}
			if f.output == "" || f.output == "-" {
				_, err := streams.Out.Write(data)
				return err
			}
			if err := writeNew("init", f.output, data); err != nil {
				return err
			}
			fmt.Fprintf(streams.Err, "Wrote %s; check it with istio-render validate -f %s\n", f.output, f.output)
			return nil
		},
	}
	cmd.Flags().StringVarP(&f.output, "output", "o", "", "write the spec to this new file instead of printing it")
	cmd.Flags().StringVar(&f.name, "name", "mesh", "the spec's metadata.name")
	cmd.Flags().StringVar(&f.profile, "profile", profiles.Default, "the profile the spec starts from")
	cmd.Flags().StringVar(&f.schema, "schema", "", "name this JSON Schema file in a yaml-language-server modeline")
	return cmd
}

// writeNew creates a file that must not exist yet; command names the
// command that refuses to overwrite it.
func writeNew(command, name string, data []byte) error {
	fh, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists; %s does not overwrite files", name, command)
	}
	if err != nil {
		return err
	}
	_, err = fh.Write(data)
	if cerr := fh.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(name)
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return nil
}
