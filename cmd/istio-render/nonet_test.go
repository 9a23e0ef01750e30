package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestRenderOpensNoSocket traces a whole render of the production profile
// and requires that no socket is created, bound or connected.
func TestRenderOpensNoSocket(t *testing.T) {
	strace, err := exec.LookPath("strace")
	if err != nil {
		t.Skip("strace not installed")
	}
	// The trace must see a socket where there is one: bash connecting to
	// a closed loopback port.
	if bash, err := exec.LookPath("bash"); err == nil {
		calls := networkCalls(t, strace, bash, "-c", "echo > /dev/tcp/127.0.0.1/9 || true")
		if len(calls) == 0 {
			t.Fatal("the trace does not see a loopback connect; it would not see a render's either")
		}
	}
	bin := build(t)
	for _, call := range networkCalls(t, strace, bin, "render", "--profile", "production", "-q") {
		t.Errorf("network system call during a render: %s", call)
	}
}

// networkCalls runs a command under strace and returns the socket-related
// system calls it made.
func networkCalls(t *testing.T, strace string, args ...string) []string {
	t.Helper()
	trace := filepath.Join(t.TempDir(), "trace")
	cmd := exec.Command(strace, append([]string{"-f", "-qq", "-o", trace, "-e", "signal=none",
		"-e", "trace=socket,socketpair,connect,bind,listen,sendto,sendmsg"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if strings.Contains(stderr.String(), "ptrace") {
			t.Skipf("tracing not permitted here: %s", stderr.String())
		}
		t.Fatalf("%v under strace: %v\n%s", args, err, stderr.String())
	}
	data, err := os.ReadFile(trace)
	if err != nil {
		t.Fatal(err)
	}
	var calls []string
	for _, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) != "" && !strings.Contains(line, "+++ exited") {
			calls = append(calls, line)
		}
	}
	return calls
}

// TestRenderWithoutNetwork renders in a new, empty network namespace (no
// interfaces at all) and requires the same bytes as an ordinary run.
func TestRenderWithoutNetwork(t *testing.T) {
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Skip("unshare not installed")
	}
	if err := exec.Command(unshare, "--net", "true").Run(); err != nil {
		t.Skipf("cannot create a network namespace here: %v", err)
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
