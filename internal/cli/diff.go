package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/istio-render/istio-render/compare"
	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/tree"
)

// diffFlags are the flags of the diff command.
type diffFlags struct {
	files     []string
	charts    []string
	oldCharts []string
	markdown  bool
	brief     bool
	exitCode  bool
	tool      string
}

func newDiffCommand(streams Streams) *cobra.Command {
	f := &diffFlags{}
	cmd := &cobra.Command{
		Use:   "diff OLD NEW",
		Short: "Show what changes between two renders, object by object and field by field",
		Long: `diff compares two sets of Kubernetes objects and prints, grouped by kind,
each object that was added, removed or changed, with the changed fields and
their old and new values. Objects are matched by group, kind, namespace and
name, so their order does not matter.

OLD and NEW can each be:
  - an IstioMesh spec file, which is rendered;
  - a YAML stream, such as render's output;
  - a folder with a kustomization.yaml: one render -o wrote is read as it
    is, any other is built with kustomize in-process (so an overlay of a
    rendered folder can be compared too), offline: a resource, base or
    file it would fetch over the network or with git is an error;
  - "-" for standard input (one side only).
They are given as two arguments or with -f twice; the first is OLD. An OLD
path that does not exist holds no objects, as a folder before its first
render: everything in NEW is added.

Specs are rendered for the GitOps tool in their spec.gitops.tool, or the
one --for names. A folder render -o wrote for Flux is read as the objects
of its phase folders, in phase order, without the Flux Kustomizations
that apply them. diff reads no cluster: to compare with what runs, use
the tool's own diff, which honours the ignore rules (docs/gitops.md).

When the inputs run more than one control plane revision, or another
version of one, a line per revision comes first: the revision added,
removed or upgraded in place, how many of its objects change, and the tags
and namespaces that move to it (+) or away from it (-). Each step of a
canary upgrade (see istio-render upgrade plan) reads as such a line.

--markdown writes a heading per kind and a diff block per kind, for a pull
request comment. diff exits 0 whether or not there are differences, unless
--exit-code is given: then differences exit 1.`,
		Example: `  # What does a spec change do?
  istio-render diff old.yaml mesh.yaml

  # What would re-rendering change in the committed folder?
  istio-render diff deploy/istio mesh.yaml

  # An upgrade: the old spec needs its own release's charts
  istio-render diff -f mesh-1.30.yaml -f mesh.yaml --old-charts ./charts-1.30

  # For a pull request comment
  istio-render diff --markdown <(git show main:mesh.yaml) mesh.yaml`,
		Args: cobra.MaximumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			inputs := append(append([]string(nil), f.files...), args...)
			if len(inputs) != 2 {
				return usageError("diff compares two inputs, OLD and NEW: give two arguments or -f twice (got %d)", len(inputs))
			}
			if inputs[0] == "-" && inputs[1] == "-" {
				return usageError("only one side can be read from standard input")
			}
			if err := checkTool(f.tool); err != nil {
				return err
			}
			oldCharts := f.oldCharts
			if oldCharts == nil {
				oldCharts = f.charts
			}
			before, err := loadObjects(cmd.Context(), inputs[0], oldCharts, f.tool, streams.In, true)
			if err != nil {
				return err
			}
			after, err := loadObjects(cmd.Context(), inputs[1], f.charts, f.tool, streams.In, false)
			if err != nil {
				return err
			}
			r, err := compare.Objects(before.objects, after.objects)
			if err != nil {
				return err
			}
			if f.markdown {
				fmt.Fprintf(streams.Out, "`%s` (%s) → `%s` (%s)\n\n", before.name, before.what, after.name, after.what)
			} else {
				fmt.Fprintf(streams.Out, "--- %s (%s)\n+++ %s (%s)\n", before.name, before.what, after.name, after.what)
			}
			if err := writeRevisionLines(streams.Out, revisionLines(before.objects, after.objects, r), f.markdown); err != nil {
				return err
			}
			if err := r.Write(streams.Out, compare.Format{Markdown: f.markdown, Brief: f.brief}); err != nil {
				return err
			}
			if f.exitCode && !r.Equal() {
				return &exitError{code: ExitFailure, quiet: true}
			}
			return nil
		},
	}
	cmd.Flags().StringArrayVarP(&f.files, "filename", "f", nil, "an input: spec, YAML stream or folder (twice: OLD, then NEW)")
	cmd.Flags().StringSliceVar(&f.charts, "charts", nil, "render specs with charts from these folders or .tgz files instead of the embedded ones")
	cmd.Flags().StringSliceVar(&f.oldCharts, "old-charts", nil, "charts for the OLD spec only (default: --charts)")
	cmd.Flags().BoolVar(&f.markdown, "markdown", false, "write Markdown for a pull request comment")
	cmd.Flags().BoolVar(&f.brief, "brief", false, "list the objects that differ without their fields")
	cmd.Flags().BoolVar(&f.exitCode, "exit-code", false, "exit 1 when the inputs differ")
	addForFlag(cmd, &f.tool)
	return cmd
}

// input is one side of a diff.
type input struct {
	name, what string
	objects    []compare.Object
}

// maxStreamBytes bounds a YAML stream read for diff; a full render with
// every CRD is a few megabytes.
const maxStreamBytes = 256 << 20

// loadObjects reads a spec, rendered for tool (empty: the spec's), a
// stream or a folder. When old is set, a path that does not exist holds
// no objects: the folder before its first render.
func loadObjects(ctx context.Context, name string, chartPaths []string, tool string, stdin io.Reader, old bool) (*input, error) {
	in := &input{name: name}
	var data []byte
	if name == "-" {
		in.name = "stdin"
		b, err := io.ReadAll(io.LimitReader(stdin, maxStreamBytes))
		if err != nil {
			return nil, fmt.Errorf("reading stdin: %w", err)
		}
		data = b
	} else {
		info, err := os.Stat(name)
		if old && errors.Is(err, fs.ErrNotExist) {
			in.what = "not there yet"
			return in, nil
		}
		if err != nil {
			return nil, err
		}
		if info.IsDir() {
			stream, err := tree.Read(name)
			if err != nil {
				return nil, err
			}
			in.what = "folder"
			in.objects, err = compare.Decode(stream)
			return in, err
		}
		if info.Size() > maxStreamBytes {
			return nil, fmt.Errorf("%s is %d bytes; diff reads at most %d", name, info.Size(), maxStreamBytes)
		}
		if data, err = os.ReadFile(name); err != nil {
			return nil, err
		}
	}
	objs, err := compare.Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.name, err)
	}
	if !isSpec(objs) {
		in.what, in.objects = "stream", objs
		return in, nil
	}
	m, _, err := mesh.Load(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.name, err)
	}
	if m, err = forTool(m, tool, ""); err != nil {
		return nil, fmt.Errorf("%s: %w", in.name, err)
	}
	out, err := renderMesh(ctx, m, chartPaths, specDir([]string{name}), in.name)
	if err != nil {
		return nil, err
	}
	in.what = "spec"
	in.objects, err = compare.Decode(out.Bytes())
	return in, err
}

// isSpec reports whether a stream is one IstioMesh document.
func isSpec(objs []compare.Object) bool {
	return len(objs) == 1 && objs[0]["apiVersion"] == mesh.APIVersion && objs[0]["kind"] == mesh.Kind
}
