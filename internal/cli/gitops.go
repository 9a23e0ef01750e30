package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/istio-render/istio-render/argocd"
)

func newGitopsCommand(streams Streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "gitops",
		Short: "Settings that keep GitOps tools in sync with a rendered mesh",
		Long: `gitops prints settings for the tools that apply a rendered tree from git.

The cluster changes some rendered fields at run time: istiod fills in each
webhook's CA bundle and switches validating webhooks rendered with
failurePolicy Ignore to Fail once validation works, and an autoscaler sets
the replicas of its Deployment. A tool that compares the cluster with git
sees these fields as drift that never goes away; the commands here tell it
which fields belong to the cluster. The install order and deletion
protection are in the rendered objects themselves (spec.gitops). See
docs/gitops.md.`,
		Example: `  istio-render gitops ignore-differences -f mesh.yaml`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cmd.Help()
		},
	}
	cmd.AddCommand(newIgnoreDifferencesCommand(streams))
	return cmd
}

// ignoreFlags are the flags of gitops ignore-differences.
type ignoreFlags struct {
	files   []string
	profile string
	charts  []string
	tool    string
}

func newIgnoreDifferencesCommand(streams Streams) *cobra.Command {
	f := &ignoreFlags{}
	cmd := &cobra.Command{
		Use:   "ignore-differences",
		Short: "Print the Argo CD ignoreDifferences for the fields the cluster sets at run time",
		Long: `ignore-differences renders the spec and prints the part of an Argo CD
Application spec that ignores the fields the cluster sets at run time: an
ignoreDifferences entry for each webhook configuration and autoscaled
Deployment of the render, by name (so revisions and revision tags are
right), and the RespectIgnoreDifferences sync option, so a sync leaves
those fields alone.

Merge it into the Application that syncs the rendered tree, and print it
again when revisions or tags change.`,
		Example: `  istio-render gitops ignore-differences -f mesh.yaml > argocd-ignore.yaml`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out, err := renderSpec(cmd.Context(), f.files, f.profile, f.charts, streams.In, f.tool, "")
			if err != nil {
				return err
			}
			data, err := argocd.Snippet(argocd.IgnoreDifferences(out.Resources), fmt.Sprintf("IstioMesh %q", out.Spec.Metadata.Name))
			if err != nil {
				return err
			}
			_, err = streams.Out.Write(data)
			return err
		},
	}
	cmd.Flags().StringArrayVarP(&f.files, "filename", "f", nil, "IstioMesh spec file (- for stdin); repeat to lay overlays over it in order")
	cmd.Flags().StringVar(&f.profile, "profile", "", "use this profile with no spec file")
	cmd.Flags().StringSliceVar(&f.charts, "charts", nil, "render with charts from these folders or .tgz files instead of the embedded ones")
	addForFlag(cmd, &f.tool)
	return cmd
}
