//go:build conformance

package conformance_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// liveProcess is one server the live proof started inside a network
// namespace. `ip netns exec` execs the server, so the PID is the server's.
type liveProcess struct {
	name    string
	cmd     *exec.Cmd
	logPath string
	started time.Time
	done    chan struct{}
	err     error
}

// startIn starts argv inside the network namespace netns, in dir, with
// env, writing its output to logPath. The kernel kills it if this test
// binary dies without stopping it.
func startIn(netns, name, dir, logPath string, env []string, argv ...string) (*liveProcess, error) {
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	cmd := exec.Command("ip", append([]string{"netns", "exec", netns}, argv...)...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.Stdout = logf
	cmd.Stderr = logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	p := &liveProcess{name: name, cmd: cmd, logPath: logPath, done: make(chan struct{})}
	p.started = time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", name, err)
	}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// running reports whether the process has not exited.
func (p *liveProcess) running() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// stop ends the process: TERM, then KILL after grace. It returns once the
// process has exited.
func (p *liveProcess) stop(grace time.Duration) {
	if !p.running() {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(grace):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// exitError says how the process ended, with the end of its log.
func (p *liveProcess) exitError() error {
	return fmt.Errorf("%s exited (%v); last lines of %s:\n%s", p.name, p.err, p.logPath, p.tail(15))
}

// tail returns the last n lines of the process's log.
func (p *liveProcess) tail(n int) string {
	data, err := os.ReadFile(p.logPath)
	if err != nil {
		return err.Error()
	}
	lines := bytes.Split(bytes.TrimRight(data, "\n"), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}

// logHas returns the lines of the process's log that contain s.
func (p *liveProcess) logHas(s string) []string {
	data, err := os.ReadFile(p.logPath)
	if err != nil {
		return nil
	}
	var out []string
	for _, l := range strings.Split(string(data), "\n") {
		if strings.Contains(l, s) {
			out = append(out, l)
		}
	}
	return out
}
