// Package cli implements the istio-render command line. Library packages
// never import it; it only wires flags to render, fn and friends.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

// Streams are the standard streams a command reads and writes.
type Streams struct {
	// In is standard input: a spec or a ResourceList.
	In io.Reader
	// Out receives the command's output.
	Out io.Writer
	// Err receives errors, warnings and summaries.
	Err io.Writer
}

// Exit codes.
const (
	ExitOK      = 0
	ExitFailure = 1
	ExitUsage   = 2
)

// exitError carries a specific exit code.
type exitError struct {
	code int
	err  error
	// quiet means the command's output already says why; Main prints
	// nothing more.
	quiet bool
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageError marks an error in how the command was called.
func usageError(format string, args ...any) error {
	return &exitError{code: ExitUsage, err: fmt.Errorf(format, args...)}
}

// Main runs the command line and returns the process exit code.
func Main(ctx context.Context, streams Streams, args []string) int {
	cmd := NewCommand(streams)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) && ee.quiet {
		return ee.code
	}
	fmt.Fprintf(streams.Err, "Error: %v\n", err)
	if errors.As(err, &ee) {
		return ee.code
	}
	if isFlagError(err) {
		return ExitUsage
	}
	return ExitFailure
}

// NewCommand builds the root command.
func NewCommand(streams Streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "istio-render",
		Short: "Render an Istio mesh spec into complete, deterministic Kubernetes YAML",
		Long: `istio-render turns a small IstioMesh spec into the complete set of Kubernetes
objects that installs it: the official Istio Helm charts rendered in-process,
plus Namespaces, PeerAuthentication, DestinationRules, AuthorizationPolicies,
Gateways and cert-manager Certificates. No cluster, no network, no helm binary.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	cmd.RunE = func(c *cobra.Command, _ []string) error {
		if isTerminal(streams.In) {
			return c.Help()
		}
		// kustomize runs an exec function with no arguments and a
		// ResourceList on stdin: act as the fn command.
		fnCmd := newFnCommand(streams)
		fnCmd.SetContext(c.Context())
		return fnCmd.RunE(fnCmd, nil)
	}
	cmd.SetIn(streams.In)
	cmd.SetOut(streams.Out)
	cmd.SetErr(streams.Err)
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &exitError{code: ExitUsage, err: err}
	})
	cmd.AddCommand(newRenderCommand(streams))
	cmd.AddCommand(newValidateCommand(streams))
	cmd.AddCommand(newDiffCommand(streams))
	cmd.AddCommand(newUpgradeCommand(streams))
	cmd.AddCommand(newImportCommand(streams))
	cmd.AddCommand(newProfilesCommand(streams))
	cmd.AddCommand(newInitCommand(streams))
	cmd.AddCommand(newSchemaCommand(streams))
	cmd.AddCommand(newGitopsCommand(streams))
	cmd.AddCommand(newValuesCommand(streams))
	cmd.AddCommand(newVersionCommand(streams))
	cmd.AddCommand(newFnCommand(streams))
	argsAreUsage(cmd)
	return cmd
}

// argsAreUsage makes a wrong number of arguments a usage error (exit 2) on
// every command.
func argsAreUsage(cmd *cobra.Command) {
	if check := cmd.Args; check != nil {
		cmd.Args = func(c *cobra.Command, args []string) error {
			if err := check(c, args); err != nil {
				return &exitError{code: ExitUsage, err: err}
			}
			return nil
		}
	}
	for _, c := range cmd.Commands() {
		argsAreUsage(c)
	}
}

// isFlagError recognizes cobra's argument errors.
func isFlagError(err error) bool {
	var ee *exitError
	if errors.As(err, &ee) && ee.code == ExitUsage {
		return true
	}
	// cobra reports an unknown subcommand with a plain error.
	return strings.HasPrefix(err.Error(), "unknown command ")
}
