package cli

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/istio-render/istio-render/profiles"
)

func newProfilesCommand(streams Streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "profiles",
		Short: "List the profiles a spec can start from",
		Long: `profiles lists the presets a spec names with spec.profile, each with a
one-line description. A profile is merged under the spec: mappings merge key
by key, lists of named items (gateways, namespaces) merge by name, and a null
in the spec removes a profile's setting.`,
		Example: `  # List the profiles
  istio-render profiles

  # Print one, to see exactly what it sets
  istio-render profiles show production`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			tw := tabwriter.NewWriter(streams.Out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tDESCRIPTION")
			for _, name := range profiles.Names() {
				p, err := profiles.Get(name)
				if err != nil {
					return err
				}
				def := ""
				if name == profiles.Default {
					def = " (the default)"
				}
				fmt.Fprintf(tw, "%s\t%s%s\n", name, p.Description, def)
			}
			return tw.Flush()
		},
	}
	cmd.AddCommand(newProfilesShowCommand(streams))
	return cmd
}

func newProfilesShowCommand(streams Streams) *cobra.Command {
	return &cobra.Command{
		Use:   "show NAME",
		Short: "Print a profile's spec",
		Long: `show prints the IstioMesh document of a profile as it is embedded in the
binary, comments included.`,
		Example:   `  istio-render profiles show production`,
		Args:      cobra.ExactArgs(1),
		ValidArgs: profiles.Names(),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := profiles.Get(args[0])
			if err != nil {
				return usageError("%v", err)
			}
			_, err = streams.Out.Write(p.Document)
			return err
		},
	}
}
