package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/istio-render/istio-render/charts"
	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// validateFlags are the flags of the validate command.
type validateFlags struct {
	files  []string
	charts []string
	output string
}

func newValidateCommand(streams Streams) *cobra.Command {
	f := &validateFlags{}
	cmd := &cobra.Command{
		Use:   "validate",
		Short: "Check a mesh spec: every error and warning with its field path",
		Long: `validate checks an IstioMesh spec the way render does, without printing the
objects: it decodes the spec strictly, merges its profile, checks every field
and then renders it in memory, which also checks the Istio version against
the charts and the Helm values against each chart's schema.

It prints one line per problem, each with its field path, such as
spec.gateways[0].servers[1].tls.credentialName. Warnings are risky but legal
choices and do not fail validation.

Several -f files are laid over each other in order, as render does, and
checked as one spec; a problem found in one file before the merge names
that file.

Exit codes: 0 the spec is valid (there may be warnings), 1 it is invalid or
cannot be read, 2 the command was called wrongly.`,
		Example: `  # Check a spec
  istio-render validate -f mesh.yaml

  # A base spec with a cluster's overlay on top
  istio-render validate -f mesh.yaml -f clusters/eu-west-1.yaml

  # Machine-readable result, e.g. for an editor or a bot
  istio-render validate -f mesh.yaml -o json

  # Check a spec pinned to another Istio release's charts
  istio-render validate -f mesh.yaml --charts ./charts-1.30`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if len(f.files) == 0 {
				return usageError("give the spec to check with -f FILE (- for stdin)")
			}
			if err := stdinOnce(f.files); err != nil {
				return err
			}
			if f.output != "text" && f.output != "json" {
				return usageError("unsupported output %q: use text or json", f.output)
			}
			res := validateSpec(cmd.Context(), f.files, f.charts, streams.In)
			if err := res.write(streams.Out, f.output); err != nil {
				return err
			}
			if res.unreadable {
				return &exitError{code: ExitFailure, err: fmt.Errorf("%s cannot be read", res.File)}
			}
			if n := len(res.Errors); n > 0 {
				return &exitError{code: ExitFailure, err: fmt.Errorf("%s is invalid: %d %s", res.File, n, plural(n, "error", "errors"))}
			}
			return nil
		},
	}
	cmd.Flags().StringArrayVarP(&f.files, "filename", "f", nil, "IstioMesh spec file (- for stdin); repeat to lay overlays over it in order")
	cmd.Flags().StringSliceVar(&f.charts, "charts", nil, "check against charts from these folders or .tgz files instead of the embedded ones")
	cmd.Flags().StringVarP(&f.output, "output", "o", "text", "output format: text or json")
	return cmd
}

// problem is one error or warning of a spec.
type problem struct {
	// File is set when several files were given and the problem is in one.
	File  string `json:"file,omitempty"`
	Field string `json:"field,omitempty"`
	// From says where the element at Field comes from when the spec does
	// not name it (mesh.FieldError.From).
	From    string `json:"from,omitempty"`
	Message string `json:"message"`
}

// validation is the result of checking a spec.
type validation struct {
	// File names the spec file, or the files, joined with ", ".
	File     string    `json:"file"`
	Valid    bool      `json:"valid"`
	Profile  string    `json:"profile,omitempty"`
	Version  string    `json:"version,omitempty"`
	Objects  int       `json:"objects,omitempty"`
	Errors   []problem `json:"errors"`
	Warnings []problem `json:"warnings"`
	// unreadable is set when a spec file could not be read, which says
	// nothing about whether the spec is valid.
	unreadable bool
}

// validateSpec loads and renders a spec laid over from files, collecting
// every problem.
func validateSpec(ctx context.Context, files []string, chartPaths []string, stdin io.Reader) *validation {
	res := &validation{File: strings.Join(files, ", "), Errors: []problem{}, Warnings: []problem{}}
	m, warnings, err := loadFiles(files, stdin)
	if err != nil {
		// With several files, a problem found in one names it.
		var se *specError
		switch {
		case errors.As(err, &se) && se.file != res.File:
			res.addFileError(se.file, se.err)
		case errors.As(err, &se):
			res.addError(se.err)
		default:
			res.unreadable = true
			res.addError(err)
		}
		res.addWarnings(warnings)
		return res
	}
	opts, err := chartOptions(chartPaths)
	if err != nil {
		res.addError(err)
		return res
	}
	opts.RevisionCharts = charts.FolderResolver(specDir(files))
	out, err := render.Render(ctx, m, opts)
	if err != nil {
		res.addError(err)
		res.addWarnings(warnings)
		return res
	}
	res.addWarnings(out.Warnings)
	res.Valid = true
	res.Profile, res.Version, res.Objects = out.Spec.Profile, istioVersions(&out.Spec.Spec), len(out.Resources)
	return res
}

// addError records an error, one problem per field of a validation error
// and the field of a chart error.
func (v *validation) addError(err error) { v.addFileError("", err) }

// addFileError records an error found in one of several files.
func (v *validation) addFileError(file string, err error) {
	var ve *mesh.ValidationError
	if errors.As(err, &ve) {
		for _, fe := range ve.Errors {
			v.Errors = append(v.Errors, problem{File: file, Field: fe.Field, From: fe.From, Message: fe.Message})
		}
		return
	}
	var ce *render.ChartError
	if errors.As(err, &ce) {
		v.Errors = append(v.Errors, problem{File: file, Field: ce.Field, Message: ce.Message()})
		return
	}
	v.Errors = append(v.Errors, problem{File: file, Message: err.Error()})
}

func (v *validation) addWarnings(ws []mesh.Warning) {
	for _, w := range ws {
		v.Warnings = append(v.Warnings, problem{Field: w.Field, From: w.From, Message: w.Message})
	}
}

// write prints the result as text or JSON.
func (v *validation) write(w io.Writer, format string) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	var b strings.Builder
	if v.Valid {
		fmt.Fprintf(&b, "%s: valid (profile %s, Istio %s, %d objects)\n", v.File, v.Profile, v.Version, v.Objects)
	} else if v.unreadable {
		fmt.Fprintf(&b, "%s: cannot be read\n", v.File)
	} else {
		fmt.Fprintf(&b, "%s: invalid\n", v.File)
	}
	for _, p := range v.Errors {
		fmt.Fprintf(&b, "error: %s\n", p)
	}
	for _, p := range v.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", p)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// String returns "file: field (from): message", leaving out what is
// empty.
func (p problem) String() string {
	s := p.Message
	switch {
	case p.Field != "" && p.From != "":
		s = p.Field + " (" + p.From + "): " + s
	case p.Field != "":
		s = p.Field + ": " + s
	}
	if p.File != "" {
		s = p.File + ": " + s
	}
	return s
}
