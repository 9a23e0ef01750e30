package cli

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/istio-render/istio-render/charts"
	"github.com/istio-render/istio-render/mesh"
)

// version is the tool's version, set at build time with
// -ldflags "-X github.com/istio-render/istio-render/internal/cli.version=v1.2.3".
var version = "dev"

func newVersionCommand(streams Streams) *cobra.Command {
	var short bool
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version, the embedded charts and the default Istio version",
		Long: `version prints istio-render's version, where the embedded Istio charts come
from (their Go module and version, and their Istio release line) and the
Istio image tag a spec without spec.version renders.

The version is the one set when the binary was built, or, for a binary built
with go install, the module version.`,
		Example: `  istio-render version
  istio-render version --short`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			info := buildInfo()
			if short {
				_, err := fmt.Fprintln(streams.Out, info.version)
				return err
			}
			_, err := fmt.Fprintf(streams.Out, `istio-render %s
  commit:        %s
  go:            %s
  charts:        %s@%s (Istio %s line)
  default Istio: %s (%s)
`, info.version, info.commit, info.goVersion,
				charts.EmbeddedModule, charts.EmbeddedVersion, charts.EmbeddedLine,
				mesh.DefaultVersion, mesh.DefaultHub)
			return err
		},
	}
	cmd.Flags().BoolVar(&short, "short", false, "print the version only")
	return cmd
}

// binaryInfo is what the binary knows about its own build.
type binaryInfo struct {
	version, commit, goVersion string
}

// buildInfo combines the ldflags version with the module build information.
func buildInfo() binaryInfo {
	out := binaryInfo{version: version, commit: "unknown", goVersion: "unknown"}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return out
	}
	out.goVersion = bi.GoVersion
	if out.version == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		out.version = bi.Main.Version
	}
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev != "" {
		out.commit = rev
		if modified == "true" {
			out.commit += " (modified)"
		}
	}
	return out
}
