package main

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// skipOutsideCI skips a test that cannot run here, for reason. Under
// CI=true it fails the test instead: a proof that can be skipped there is
// no proof.
func skipOutsideCI(t *testing.T, format string, args ...any) {
	t.Helper()
	reason := fmt.Sprintf(format, args...)
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s; with CI=true this test must run", reason)
	}
	t.Skip(reason)
}

// requireTool finds a program the test needs on PATH, or skips the test
// outside CI.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		skipOutsideCI(t, "%s not installed", name)
	}
	return path
}

// tracedCalls are the system calls strace follows: every one that makes,
// binds or uses a socket, and every one that runs a program.
const tracedCalls = "trace=socket,socketpair,connect,bind,listen,sendto,sendmsg,execve,execveat"

// traced is what one command did under strace -f.
type traced struct {
	calls  []string // tracedCalls made by the command and its children
	stdout string   // the command's standard output
	stderr string   // the command's standard error, and strace's
	code   int      // the command's exit code
}

// network returns the socket system calls.
func (tr traced) network() []string {
	var out []string
	for _, c := range tr.calls {
		if !strings.Contains(c, "execve") {
			out = append(out, c)
		}
	}
	return out
}

// programs returns the programs run (or tried) other than bin itself.
func (tr traced) programs(bin string) []string {
	var out []string
	for _, c := range tr.calls {
		if strings.Contains(c, "execve") && !strings.Contains(c, "execve("+strconv.Quote(bin)+",") {
			out = append(out, c)
		}
	}
	return out
}

// trace runs args under strace -f with env as the whole environment (nil:
// the test's own). Where tracing is not permitted it skips the test
// outside CI.
func trace(t *testing.T, strace string, env []string, args ...string) traced {
	t.Helper()
	file := filepath.Join(t.TempDir(), "trace")
	cmd := exec.Command(strace, append([]string{"-f", "-qq", "-o", file, "-e", "signal=none", "-e", tracedCalls}, args...)...)
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	tr := traced{stdout: stdout.String(), stderr: stderr.String()}
	if exit := (*exec.ExitError)(nil); errors.As(err, &exit) {
		tr.code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("running strace: %v", err)
	}
	if strings.Contains(tr.stderr, "ptrace") {
		skipOutsideCI(t, "tracing not permitted here: %s", tr.stderr)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("strace wrote no trace of %v: %v\n%s", args, err, tr.stderr)
	}
	for _, line := range strings.Split(string(data), "\n") {
		// A call strace saw in two parts is listed once, at its start.
		if strings.TrimSpace(line) != "" && !strings.Contains(line, "+++ exited") && !strings.Contains(line, " resumed>") {
			tr.calls = append(tr.calls, line)
		}
	}
	if len(tr.calls) == 0 || !strings.Contains(tr.calls[0], "execve(") {
		t.Fatalf("strace did not trace %v starting:\n%s\n%s", args, data, tr.stderr)
	}
	return tr
}

// closedPort returns a loopback address:port that nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

// tracer returns strace once it has shown that it sees what the tests
// look for: bash connecting to a closed loopback port and running a
// program.
func tracer(t *testing.T) string {
	t.Helper()
	strace := requireTool(t, "strace")
	bash := requireTool(t, "bash")
	truePath := requireTool(t, "true")
	host, port, err := net.SplitHostPort(closedPort(t))
	if err != nil {
		t.Fatal(err)
	}
	tr := trace(t, strace, nil, bash, "-c", fmt.Sprintf("(echo > /dev/tcp/%s/%s) 2>/dev/null; %s", host, port, truePath))
	connected := false
	for _, c := range tr.network() {
		connected = connected || strings.Contains(c, "connect(") && strings.Contains(c, "AF_INET")
	}
	if !connected {
		t.Fatalf("the trace does not see bash connect to %s:%s:\n%s", host, port, strings.Join(tr.calls, "\n"))
	}
	ran := false
	for _, c := range tr.programs(bash) {
		ran = ran || strings.Contains(c, "execve("+strconv.Quote(truePath)+",")
	}
	if !ran {
		t.Fatalf("the trace does not see bash run %s:\n%s", truePath, strings.Join(tr.calls, "\n"))
	}
	return strace
}

// TestRenderOpensNoSocket traces a whole render of the production profile
// and requires that no socket is created, bound or connected, and no
// program run.
func TestRenderOpensNoSocket(t *testing.T) {
	strace := tracer(t)
	bin := build(t)
	tr := trace(t, strace, nil, bin, "render", "--profile", "production", "-q")
	if tr.code != 0 {
		t.Fatalf("render under strace: exit %d\n%s", tr.code, tr.stderr)
	}
	for _, call := range tr.network() {
		t.Errorf("network system call during a render: %s", call)
	}
	for _, call := range tr.programs(bin) {
		t.Errorf("program run during a render: %s", call)
	}
}

// TestRenderWithoutNetwork renders in a new, empty network namespace (no
// interfaces at all) and requires the same bytes as an ordinary run.
func TestRenderWithoutNetwork(t *testing.T) {
	unshare := requireTool(t, "unshare")
	if out, err := exec.Command(unshare, "--net", "true").CombinedOutput(); err != nil {
		skipOutsideCI(t, "cannot create a network namespace here: %v: %s", err, out)
	}
	bin := build(t)
	args := []string{"render", "--profile", "production", "-q"}
	want, err := exec.Command(bin, args...).Output()
	if err != nil {
		t.Fatal(err)
	}
	got, err := exec.Command(unshare, append([]string{"--net", bin}, args...)...).Output()
	if err != nil {
		t.Fatalf("render without a network: %v", err)
	}
	if !bytes.Equal(want, got) {
		t.Error("output without a network differs from output with one")
	}
}

// TestNoClusterClientLinked keeps the packages that talk to a cluster out
// of the binary: Helm's actions and kube client, and client-go's typed
// clients and kubeconfig loading.
func TestNoClusterClientLinked(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatal(err)
	}
	deps := map[string]bool{}
	for _, p := range strings.Fields(string(out)) {
		deps[p] = true
	}
	for _, p := range []string{
		"helm.sh/helm/v3/pkg/action",
		"helm.sh/helm/v3/pkg/kube",
		"helm.sh/helm/v3/pkg/storage",
		"k8s.io/client-go/kubernetes",
		"k8s.io/client-go/tools/clientcmd",
		"net/http/httptest",
	} {
		if deps[p] {
			t.Errorf("istio-render links %s", p)
		}
	}
}

func build(t *testing.T) string {
	t.Helper()
	bin, err := buildOnce()
	if err != nil {
		t.Fatalf("building istio-render: %v", err)
	}
	return bin
}
