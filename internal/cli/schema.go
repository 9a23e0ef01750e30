package cli

import (
	"github.com/spf13/cobra"

	"github.com/istio-render/istio-render/schema"
)

func newSchemaCommand(streams Streams) *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of the IstioMesh spec, for editors",
		Long: `schema prints the JSON Schema (draft 2020-12) of an IstioMesh document,
generated from the spec's Go types: every field with its documentation as
its description, the accepted values of enumerated fields, quantities as a
string or a number, and counts as a number or a percentage.

Editors that use yaml-language-server (VS Code's YAML extension, Neovim,
Helix, ...) complete and check a spec against it when the spec's first line
is a modeline naming the saved schema, relative to the spec:

  # yaml-language-server: $schema=istiomesh.schema.json

The schema checks one document as written; validate also checks what
depends on the profile, on several fields together, and on the charts.`,
		Example: `  # Save the schema next to the spec, then add the modeline above to the spec
  istio-render schema > istiomesh.schema.json

  # Or start a spec that already names it
  istio-render init --schema istiomesh.schema.json -o mesh.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			data, err := schema.JSON()
			if err != nil {
				return err
			}
			_, err = streams.Out.Write(data)
			return err
		},
	}
}
