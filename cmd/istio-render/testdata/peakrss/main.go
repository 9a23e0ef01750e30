// Command peakrss runs a command, output discarded and standard input
// passed on, and prints on one line its wall time in nanoseconds, its peak
// resident set in KiB, its CPU time (user and system) in nanoseconds and
// its page faults (minor and major).
//
// A Go program cannot read a child's peak resident set itself: os/exec
// starts children with vfork, and Linux counts the parent's resident set
// into the peak of a child that shares its memory until exec. Started from
// this small program, the figure is the child's own whenever the child
// grows past this program's few MiB.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: peakrss command [arg...]")
		os.Exit(2)
	}
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	cmd.Stdin = os.Stdin
	cmd.Stderr = os.Stderr
	start := time.Now()
	err := cmd.Run()
	elapsed := time.Since(start)
	if err != nil {
		fmt.Fprintf(os.Stderr, "peakrss: %v\n", err)
		os.Exit(1)
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		fmt.Fprintln(os.Stderr, "peakrss: no resource usage on this system")
		os.Exit(1)
	}
	cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	fmt.Println(elapsed.Nanoseconds(), ru.Maxrss, cpu.Nanoseconds(), ru.Minflt+ru.Majflt)
}
