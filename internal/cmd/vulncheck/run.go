package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"time"
)

// Exit statuses.
const (
	exitClean     = 0 // no called vulnerability
	exitNotRun    = 1 // the check could not run to completion
	exitUsage     = 2 // bad arguments
	exitVulnsUsed = 3 // govulncheck: the code calls a known vulnerability
)

// options are the command's flags and arguments.
type options struct {
	govulncheck  string
	archives     []string
	online       string
	probeTimeout time.Duration
	dir          string
	patterns     []string
}

// run runs the command with args and returns its exit status. now is the
// time a snapshot's age is measured from.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, now time.Time) int {
	opts, err := parseArgs(args, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "vulncheck: %v\n", err)
		return exitUsage
	}
	db, err := openDatabase(ctx, opts, stdout)
	if err != nil {
		fmt.Fprintf(stdout, "vulncheck: FAIL: no vulnerability database, so no check: %v\n", err)
		return exitNotRun
	}
	defer db.close()
	fmt.Fprintf(stdout, "vulncheck: database: %s\n", db.describe(now))

	cmdArgs := []string{"-db", db.url, "-show", "version"}
	if opts.dir != "" {
		cmdArgs = append(cmdArgs, "-C", opts.dir)
	}
	cmd := exec.CommandContext(ctx, opts.govulncheck, append(cmdArgs, opts.patterns...)...)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	fmt.Fprintf(stdout, "vulncheck: %s %s\n", opts.govulncheck, strings.Join(cmd.Args[1:], " "))
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		fmt.Fprintf(stdout, "vulncheck: ok: the code calls no vulnerability known to %s\n", db.short())
		return exitClean
	case errors.As(err, &exit) && exit.ExitCode() == exitVulnsUsed:
		fmt.Fprintf(stdout, "vulncheck: FAIL: the code calls a vulnerability known to %s (listed above; govulncheck exit 3)\n", db.short())
		return exitVulnsUsed
	case errors.As(err, &exit):
		fmt.Fprintf(stdout, "vulncheck: FAIL: govulncheck did not complete (%v), so no check\n", err)
		return exitNotRun
	default:
		fmt.Fprintf(stdout, "vulncheck: FAIL: cannot run govulncheck: %v\n", err)
		return exitNotRun
	}
}

// parseArgs parses the command line.
func parseArgs(args []string, stderr io.Writer) (options, error) {
	var opts options
	fs := flag.NewFlagSet("vulncheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&opts.govulncheck, "govulncheck", "", "the govulncheck `binary` to run (required)")
	fs.Func("archive", "a local snapshot: an xz-compressed tar `file` of OSV entries (repeatable; the newest is used)", func(s string) error {
		opts.archives = append(opts.archives, s)
		return nil
	})
	fs.StringVar(&opts.online, "online", "https://vuln.go.dev", "the online database `URL`, used when it can be reached; empty: never")
	fs.DurationVar(&opts.probeTimeout, "probe-timeout", 10*time.Second, "how long to wait for the online database to answer")
	fs.StringVar(&opts.dir, "C", "", "scan the module in `dir` (govulncheck -C)")
	if err := fs.Parse(args); err != nil {
		return options{}, err
	}
	opts.patterns = fs.Args()
	if len(opts.patterns) == 0 {
		opts.patterns = []string{"./..."}
	}
	switch {
	case opts.govulncheck == "":
		return options{}, errors.New("-govulncheck is required")
	case opts.online == "" && len(opts.archives) == 0:
		return options{}, errors.New("no database: give -online or at least one -archive")
	}
	return opts, nil
}
