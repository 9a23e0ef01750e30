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

	"github.com/istio-render/istio-render/internal/testenv"
)

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
		testenv.SkipOutsideCI(t, "tracing not permitted here: %s", tr.stderr)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("strace wrote no trace of %v: %v\n%s", args, err, tr.stderr)
	}
	for _, line := range strings.Split(string(data), "\n") {
		// A call strace saw in two parts is listed once, at its start. A
		// thread detached while the process exits shows as
		// "???( <detached ...>": a call in progress, whose start a traced
		// call would have printed already as "<unfinished ...>".
		if strings.TrimSpace(line) != "" && !strings.Contains(line, "+++ exited") && !strings.Contains(line, " resumed>") &&
			!strings.Contains(line, "<detached ...>") {
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
	strace := testenv.LookPath(t, "strace")
	bash := testenv.LookPath(t, "bash")
	truePath := testenv.LookPath(t, "true")
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

// TestDiffOpensNoSocketAndRunsNoProgram traces diff on folders whose
// kustomizations refer to remote resources and bases, in each form and
// place kustomize would fetch them from, and requires that diff refuses
// them without creating a socket or running a program. The remote
// addresses are a closed loopback port, and PATH holds only a git that
// fails, so that kustomize fetching them would show in the trace and reach
// nothing outside.
func TestDiffOpensNoSocketAndRunsNoProgram(t *testing.T) {
	strace := tracer(t)
	bin := build(t)
	addr := closedPort(t)
	stub := t.TempDir()
	if err := os.WriteFile(filepath.Join(stub, "git"), []byte("#!/bin/sh\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	env := []string{"PATH=" + stub, "HOME=" + t.TempDir()}
	const configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}\n"
	remoteHTTPS := "https://" + addr + "/remote.yaml"
	github := "github.com/org/repo//deploy/base?ref=v1"
	tests := []struct {
		name  string
		files map[string]string // under the folder diff reads, "overlay"
		code  int
		want  string // in stderr, or in stdout when diff succeeds
	}{{
		name: "an https resource and a github.com base",
		files: map[string]string{
			"overlay/kustomization.yaml": "resources:\n- a.yaml\n- " + remoteHTTPS + "\n- " + github + "\n",
			"overlay/a.yaml":             configMap,
		},
		code: 1,
		want: `overlay/kustomization.yaml: resources[1] "` + remoteHTTPS + `" is remote; folders are built offline`,
	}, {
		name: "a github.com base",
		files: map[string]string{
			"overlay/kustomization.yaml": "resources:\n- a.yaml\n- " + github + "\n",
			"overlay/a.yaml":             configMap,
		},
		code: 1,
		want: `overlay/kustomization.yaml: resources[1] "` + github + `" is remote`,
	}, {
		name: "a nested base with an https resource",
		files: map[string]string{
			"overlay/kustomization.yaml": "resources:\n- ../base\n",
			"base/kustomization.yaml":    "resources:\n- a.yaml\n- " + remoteHTTPS + "\n",
			"base/a.yaml":                configMap,
		},
		code: 1,
		want: `base/kustomization.yaml: resources[1] "` + remoteHTTPS + `" is remote`,
	}, {
		name: "a nested base with a github.com base",
		files: map[string]string{
			"overlay/kustomization.yaml": "resources:\n- ../base\n",
			"base/kustomization.yaml":    "resources:\n- a.yaml\n- " + github + "\n",
			"base/a.yaml":                configMap,
		},
		code: 1,
		want: `base/kustomization.yaml: resources[1] "` + github + `" is remote`,
	}, {
		name: "a git:: component",
		files: map[string]string{
			"overlay/kustomization.yaml": "resources:\n- a.yaml\ncomponents:\n- git::https://" + addr + "/org/repo.git//component\n",
			"overlay/a.yaml":             configMap,
		},
		code: 1,
		want: "components[0]",
	}, {
		name:  "an ssh:// base",
		files: map[string]string{"overlay/kustomization.yaml": "resources:\n- ssh://git@" + addr + "/org/repo.git//base\n"},
		code:  1,
		want:  "resources[0]",
	}, {
		name:  "an scp-style base",
		files: map[string]string{"overlay/kustomization.yaml": "resources:\n- git@127.0.0.1:org/repo.git//base\n"},
		code:  1,
		want:  "resources[0]",
	}, {
		name:  "a file:// repository",
		files: map[string]string{"overlay/kustomization.yaml": "resources:\n- file:///nonexistent/repo.git//base\n"},
		code:  1,
		want:  "resources[0]",
	}, {
		name:  "a generator's file",
		files: map[string]string{"overlay/kustomization.yaml": "configMapGenerator:\n- name: c\n  files:\n  - mesh=" + remoteHTTPS + "\n"},
		code:  1,
		want:  "configMapGenerator[0].files[0]",
	}, {
		name: "an OpenAPI schema",
		files: map[string]string{
			"overlay/kustomization.yaml": "resources:\n- a.yaml\nopenapi:\n  path: " + remoteHTTPS + "\n",
			"overlay/a.yaml":             configMap,
		},
		code: 1,
		want: "openapi.path",
	}, {
		name: "a transformer's patch file",
		files: map[string]string{
			"overlay/kustomization.yaml": "resources:\n- a.yaml\ntransformers:\n- fix.yaml\n",
			"overlay/a.yaml":             configMap,
			"overlay/fix.yaml":           "apiVersion: builtin\nkind: PatchTransformer\nmetadata: {name: fix}\npath: " + remoteHTTPS + "\n",
		},
		code: 1,
		want: `overlay/fix.yaml: PatchTransformer "fix" path`,
	}, {
		name:  "a Helm chart",
		files: map[string]string{"overlay/kustomization.yaml": "helmCharts:\n- name: istiod\n  repo: https://" + addr + "/charts\n"},
		code:  1,
		want:  "must specify --enable-helm",
	}, {
		name: "an exec function",
		files: map[string]string{"overlay/kustomization.yaml": "generators:\n- |\n  apiVersion: example.com/v1\n  kind: Fetch\n  metadata:\n    name: f\n" +
			"    annotations:\n      config.kubernetes.io/function: |\n        exec: {path: " + filepath.Join(stub, "git") + "}\n"},
		code: 1,
		want: "external plugins disabled",
	}, {
		name: "a local overlay",
		files: map[string]string{
			"overlay/kustomization.yaml": "resources:\n- ../base\nnamePrefix: x-\n",
			"base/kustomization.yaml":    "resources:\n- a.yaml\n",
			"base/a.yaml":                configMap,
		},
		want: "+ x-a (added)",
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for rel, data := range tc.files {
				p := filepath.Join(dir, filepath.FromSlash(rel))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			stream := filepath.Join(dir, "stream.yaml")
			if err := os.WriteFile(stream, []byte(configMap), 0o644); err != nil {
				t.Fatal(err)
			}
			overlay := filepath.Join(dir, "overlay")
			tr := trace(t, strace, env, bin, "diff", stream, overlay)
			out := tr.stderr
			if tc.code == 0 {
				out = tr.stdout
			}
			if tr.code != tc.code || !strings.Contains(out, tc.want) {
				t.Errorf("diff: exit %d, want %d and %q in\n%s", tr.code, tc.code, tc.want, out)
			}
			for _, call := range tr.network() {
				t.Errorf("network system call during diff: %s", call)
			}
			for _, call := range tr.programs(bin) {
				t.Errorf("program run during diff: %s", call)
			}
		})
	}
}

// TestRenderWithoutNetwork renders in a new, empty network namespace (no
// interfaces at all) and requires the same bytes as an ordinary run.
func TestRenderWithoutNetwork(t *testing.T) {
	unshare := testenv.LookPath(t, "unshare")
	if out, err := exec.Command(unshare, "--net", "true").CombinedOutput(); err != nil {
		testenv.SkipOutsideCI(t, "cannot create a network namespace here: %v: %s", err, out)
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
