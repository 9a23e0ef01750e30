package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/istio-render/istio-render/upgrade"
)

// upgradeFlags are the flags of upgrade plan.
type upgradeFlags struct {
	file       string
	to         string
	charts     string
	fromCharts string
	canaryTag  string
	output     string
}

func newUpgradeCommand(streams Streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "upgrade",
		Short: "Plan a canary upgrade of the control plane as a sequence of specs",
		Args:  cobra.NoArgs,
		RunE:  func(c *cobra.Command, _ []string) error { return c.Help() },
	}
	cmd.AddCommand(newUpgradePlanCommand(streams))
	return cmd
}

func newUpgradePlanCommand(streams Streams) *cobra.Command {
	f := &upgradeFlags{}
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Write the specs of a canary upgrade, one reviewable step each",
		Long: `plan writes the sequence of specs that upgrades the spec's control plane
to --to the way production runs it: the new version installed as a revision
beside the old one, workloads moved to it a tag at a time, the old revision
removed last. Each spec is one small edit of the one before; commit them one
at a time and review each with istio-render diff:

  1. add the new revision beside the old one: nothing moves to it;
  2. point the canary tag (--canary-tag) at it: namespaces on that tag move;
  3. point every other tag, the default included, and every namespace and
     gateway that names the old revision at the new one;
  4. remove the old revision.

A spec with spec.revision is first written as spec.revisions, which renders
the same objects. The spec must run one control plane. --to may be a patch
of the same minor version or of the next one: Istio upgrades one minor
version at a time.

Each revision names its charts in the spec: the new one those of --charts
(a folder of chart folders or of .tgz files, as helm pull downloads them),
or the embedded charts when they are of its line; the current one those of
--from-charts when it names none and the embedded charts are of another
line. Render the steps without --charts.

With no -o the specs are printed as one YAML stream, each after a comment
that says what it does; chart folders are written relative to the spec
file. With -o DIR each step is a file in DIR, chart folders relative to it;
the step files of an earlier plan in DIR are removed, other files kept.`,
		Example: `  # Upgrade a 1.30 mesh to the embedded 1.31
  istio-render upgrade plan -f mesh.yaml --to 1.31.0 -o upgrade/

  # Review a step
  istio-render diff upgrade/1-add-1-31-0.yaml upgrade/2-canary-1-31-0.yaml

  # A version the binary does not embed, with the charts helm pull fetched
  istio-render upgrade plan -f mesh.yaml --to 1.32.0 --charts ./charts/1.32.0`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := emptyOutput(cmd, f.output); err != nil {
				return err
			}
			if f.file == "" || f.file == "-" {
				return usageError("give the spec to upgrade with -f FILE")
			}
			if f.to == "" {
				return usageError("give the Istio version to upgrade to with --to, e.g. --to 1.31.0")
			}
			return runUpgradePlan(streams, f)
		},
	}
	cmd.Flags().StringVarP(&f.file, "filename", "f", "", "IstioMesh spec file to upgrade")
	cmd.Flags().StringVar(&f.to, "to", "", "Istio version to upgrade to, e.g. 1.31.0")
	cmd.Flags().StringVar(&f.charts, "charts", "", "folder of the new version's charts (default: the embedded charts)")
	cmd.Flags().StringVar(&f.fromCharts, "from-charts", "", "folder of the current version's charts, when the spec names none")
	cmd.Flags().StringVar(&f.canaryTag, "canary-tag", "canary", "tag that selects the new revision first")
	cmd.Flags().StringVarP(&f.output, "output", "o", "", "write each step to a file in this folder instead of printing them")
	return cmd
}

// runUpgradePlan plans and prints or writes the steps.
func runUpgradePlan(streams Streams, f *upgradeFlags) error {
	data, err := readFileLimited(f.file)
	if err != nil {
		return err
	}
	specDir := filepath.Dir(f.file)
	target := specDir
	if f.output != "" {
		target = f.output
	}
	opts := upgrade.Options{Version: f.to, CanaryTag: f.canaryTag}
	if opts.Charts, err = relativeTo(target, f.charts); err != nil {
		return err
	}
	if opts.FromCharts, err = relativeTo(target, f.fromCharts); err != nil {
		return err
	}
	if f.output != "" {
		opts.Rebase = func(ref string) string {
			if filepath.IsAbs(ref) {
				return ref
			}
			r, err := relativeTo(target, filepath.Join(specDir, ref))
			if err != nil {
				return ref
			}
			return r
		}
	}
	steps, err := upgrade.Plan(data, opts)
	if err != nil {
		return fmt.Errorf("%s: %w", f.file, err)
	}
	if f.output == "" {
		var b strings.Builder
		for i, s := range steps {
			if i > 0 {
				b.WriteString("---\n")
			}
			b.WriteString(stepText(i, len(steps), s))
		}
		_, err := io.WriteString(streams.Out, b.String())
		return err
	}
	if err := planFolder(f.output); err != nil {
		return err
	}
	prev := f.file
	written := map[string]bool{}
	for i, s := range steps {
		base := fmt.Sprintf("%d-%s.yaml", i+1, s.Name)
		name := filepath.Join(f.output, base)
		if err := os.WriteFile(name, []byte(stepText(i, len(steps), s)), 0o644); err != nil {
			return err
		}
		written[base] = true
		fmt.Fprintf(streams.Err, "%s: %s\n  review: istio-render diff %s %s\n", name, s.Title, prev, name)
		prev = name
	}
	return removeOldSteps(streams.Err, f.output, written)
}

// stepText is a step's spec after a comment saying what it does.
func stepText(i, n int, s upgrade.Step) string {
	return fmt.Sprintf("# Step %d of %d: %s\n# %s\n%s", i+1, n, s.Title, s.Notes, s.Spec)
}

// relativeTo writes a folder given on the command line relative to dir,
// where the spec that names it is; "" stays "".
func relativeTo(dir, folder string) (string, error) {
	if folder == "" {
		return "", nil
	}
	abs, err := filepath.Abs(folder)
	if err != nil {
		return "", err
	}
	base, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(base, abs)
	if err != nil {
		return filepath.ToSlash(abs), nil
	}
	rel = filepath.ToSlash(rel)
	if !strings.HasPrefix(rel, "../") {
		rel = "./" + rel
	}
	return rel, nil
}
