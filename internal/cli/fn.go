package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"sigs.k8s.io/kustomize/kyaml/fn/framework"
	"sigs.k8s.io/kustomize/kyaml/kio"

	"github.com/istio-render/istio-render/fn"
)

// fnFlags are the flags of the fn command.
type fnFlags struct {
	charts []string
	quiet  bool
}

func newFnCommand(streams Streams) *cobra.Command {
	f := &fnFlags{}
	cmd := &cobra.Command{
		Use:   "fn [SPEC [RESOURCES...]]",
		Short: "Run as a KRM function (kustomize generator): ResourceList on stdin, ResourceList on stdout",
		Long: `fn runs istio-render as a KRM function. With no arguments it reads a
ResourceList on standard input whose functionConfig is an IstioMesh, appends
the rendered objects to its items and writes the ResourceList on standard
output. This is how kustomize runs it, as an exec function (with args: [fn])
or as the entrypoint of the container image.

With arguments it runs standalone: SPEC is an IstioMesh file, RESOURCES are
more files whose objects are passed through ("-" reads standard input), and
the output is a plain YAML stream.

Every object it generates carries the annotation
istio-render.dev/generated-by: <the spec's name>. Items so marked for the
same spec are dropped before the new render is added, so kpt can render a
package again without duplicating it (docs/kpt.md).

Problems are reported as the ResourceList's results and, one per line with
their field path, on standard error. An invalid spec exits 1.`,
		Example: `  # As kustomize runs it
  kustomize build --enable-alpha-plugins --enable-exec examples/kustomize

  # As kpt runs it
  kpt fn eval --exec istio-render --fn-config mesh.yaml .

  # By hand, on a ResourceList
  istio-render fn < resource-list.yaml

  # Standalone
  istio-render fn mesh.yaml`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts, err := chartOptions(f.charts)
			if err != nil {
				return err
			}
			rw, closeInput, err := fnReadWriter(args, streams)
			if err != nil {
				return err
			}
			defer closeInput()
			rs, err := fn.Processor{Options: opts}.Run(cmd.Context(), rw)
			if werr := reportResults(streams.Err, rs, f.quiet); werr != nil {
				return werr
			}
			var errs framework.Results
			if errors.As(err, &errs) {
				return fmt.Errorf("istio-render fn: %s; nothing was generated", countErrors(errs))
			}
			return err
		},
	}
	cmd.Flags().StringSliceVar(&f.charts, "charts", nil, "render with charts from these folders or .tgz files instead of the embedded ones")
	cmd.Flags().BoolVarP(&f.quiet, "quiet", "q", false, "report no warnings on standard error")
	return cmd
}

// fnReadWriter sets up ResourceList input and output: a ResourceList on
// the streams with no arguments, standalone files otherwise. The input is
// read through a limit of maxInputBytes. The returned function closes the
// files it opened.
func fnReadWriter(args []string, streams Streams) (*kio.ByteReadWriter, func(), error) {
	if len(args) == 0 {
		if isTerminal(streams.In) {
			return nil, nil, usageError("fn reads a ResourceList on standard input; give a spec file to run standalone (istio-render fn mesh.yaml)")
		}
		in := newLimitReader(streams.In, "standard input", maxInputBytes)
		return &kio.ByteReadWriter{Reader: in, Writer: streams.Out, KeepReaderAnnotations: true}, func() {}, nil
	}
	data, err := readFileLimited(args[0])
	if err != nil {
		return nil, nil, fmt.Errorf("reading spec: %w", err)
	}
	nodes, err := kio.FromBytes(data)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", args[0], err)
	}
	if len(nodes) != 1 {
		return nil, nil, fmt.Errorf("%s: has %d YAML documents; expected exactly one IstioMesh", args[0], len(nodes))
	}
	var readers []io.Reader
	var files []*os.File
	closeFiles := func() {
		for _, f := range files {
			_ = f.Close()
		}
	}
	for _, name := range args[1:] {
		if name == "-" {
			readers = append(readers, streams.In)
			continue
		}
		f, err := os.Open(name)
		if err != nil {
			closeFiles()
			return nil, nil, fmt.Errorf("reading resources: %w", err)
		}
		files = append(files, f)
		readers = append(readers, f, strings.NewReader("\n---\n"))
	}
	return &kio.ByteReadWriter{
		Reader:         newLimitReader(io.MultiReader(readers...), "the resource input", maxInputBytes),
		Writer:         streams.Out,
		FunctionConfig: nodes[0],
		NoWrap:         true,
	}, closeFiles, nil
}

// reportResults writes results on standard error: errors always, warnings
// unless quiet.
func reportResults(w io.Writer, rs framework.Results, quiet bool) error {
	if quiet {
		var errs framework.Results
		for _, r := range rs {
			if r.Severity == framework.Error {
				errs = append(errs, r)
			}
		}
		rs = errs
	}
	return fn.WriteResults(w, rs)
}

// countErrors says how many error results there are.
func countErrors(rs framework.Results) string {
	n := 0
	for _, r := range rs {
		if r.Severity == framework.Error {
			n++
		}
	}
	if n == 1 {
		return "1 error"
	}
	return fmt.Sprintf("%d errors", n)
}

// isTerminal reports whether r is an interactive terminal.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
