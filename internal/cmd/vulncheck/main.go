// Command vulncheck runs govulncheck against the Go vulnerability
// database: the online one (vuln.go.dev) when it can be reached, otherwise
// the newest of the local snapshots it is given, each an xz-compressed tar
// archive of the database's OSV entries, built into a temporary database
// folder by package vulndb.
//
// It says which database it used and, for a snapshot, its date and how
// much older than today it is, then prints govulncheck's own result.
//
//	vulncheck -govulncheck PATH [-archive FILE]... [-online URL] [-C DIR] [PATTERN...]
//
// Exit status: 0 when the code calls no known vulnerability; 3 when it
// calls one (govulncheck's own status for that); 1 when the check could
// not run: no database could be had or built, or govulncheck failed;
// 2 for bad arguments. It never reports success without a complete scan.
//
// govulncheck is given as a built binary, not as "go run pkg@version":
// go run reports every non-zero exit as 1, and would hide status 3.
package main

import (
	"context"
	"os"
	"os/signal"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, time.Now())
	stop()
	os.Exit(code)
}
