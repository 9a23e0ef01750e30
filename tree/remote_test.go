package tree

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/provider"
	"sigs.k8s.io/kustomize/api/resmap"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

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

// remoteForms are references with kustomize's verdict on each, and
// remote's where it leans to remote.
func remoteForms(addr string) []struct {
	ref            string
	kustomize      bool // kustomize fetches it
	strictlyRemote bool // remote refuses it though kustomize would read it from disk
} {
	return []struct {
		ref            string
		kustomize      bool
		strictlyRemote bool
	}{
		{ref: "https://" + addr + "/remote.yaml", kustomize: true},
		{ref: "http://" + addr + "/remote.yaml", kustomize: true},
		{ref: "HTTPS://" + addr + "/remote.yaml", kustomize: true},
		{ref: "https:" + addr, kustomize: true},
		{ref: "https://" + addr + "/org/repo//base?ref=v1", kustomize: true},
		{ref: "github.com/org/repo", kustomize: true},
		{ref: "github.com/org/repo//deploy/base?ref=v1.2.3&timeout=1", kustomize: true},
		{ref: "GitHub.com/Org/Repo", kustomize: true},
		{ref: "github.com:org/repo.git", kustomize: true},
		{ref: "git::github.com/org/repo//base", kustomize: true},
		{ref: "GIT::https://" + addr + "/org/repo.git", kustomize: true},
		{ref: "ssh://git@" + addr + "/org/repo.git//base", kustomize: true},
		{ref: "ssh://" + addr + "/org/repo", kustomize: true},
		{ref: "git@127.0.0.1:org/repo.git", kustomize: true},
		{ref: "deploy-bot@127.0.0.1:org/repo//base", kustomize: true},
		{ref: "file:///nonexistent/repo.git//base", kustomize: true},
		{ref: "file:///nonexistent/repo", kustomize: true},
		{ref: "127.0.0.1/org/repo//base"},
		{ref: "gitlab.example/org/repo.git//base"},
		{ref: "./github.com/org/repo"},
		{ref: "base/github.com/org/repo"},
		{ref: "local.yaml"},
		{ref: "../base"},
		{ref: "/srv/base"},
		{ref: "mesh=mesh.yaml"},
		{ref: " https://" + addr + "/leading-space.yaml"},
		{ref: "git:@x"},
		{ref: "a@b", strictlyRemote: true},
		{ref: "git::local", strictlyRemote: true},
		{ref: "s3://bucket/remote.yaml", strictlyRemote: true},
		{ref: "oci://registry.example/base", strictlyRemote: true},
	}
}

// TestRemote holds remote to kustomize's own verdict: kustomize v0.21.2
// builds a folder listing each reference as a resource, with the git
// program replaced by a script that records its runs and with HTTP only
// to a closed loopback port, and fetched it if it ran git or made an HTTP
// request. remote must say remote exactly then, and also for the few
// forms it refuses on purpose.
func TestRemote(t *testing.T) {
	addr := closedPort(t)
	stub := t.TempDir()
	runs := filepath.Join(stub, "runs")
	script := "#!/bin/sh\necho \"$@\" >> " + strconv.Quote(runs) + "\nexit 1\n"
	if err := os.WriteFile(filepath.Join(stub, "git"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", stub)
	for i, tc := range remoteForms(addr) {
		t.Run(tc.ref, func(t *testing.T) {
			if got, want := remote(tc.ref), tc.kustomize || tc.strictlyRemote; got != want {
				t.Errorf("remote(%q) = %v, want %v", tc.ref, got, want)
			}
			dir := filepath.Join(t.TempDir(), fmt.Sprint(i))
			writeFolder(t, dir, map[string]string{"kustomization.yaml": "resources:\n- " + strconv.Quote(tc.ref) + "\n"})
			_ = os.Remove(runs)
			_, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), dir)
			_, statErr := os.Stat(runs)
			ranGit := statErr == nil
			requested := err != nil && strings.Contains(err.Error(), "Get \"")
			if fetched := ranGit || requested; fetched != tc.kustomize {
				t.Errorf("kustomize fetched %q: %v (git ran: %v), want %v; error: %v", tc.ref, fetched, ranGit, tc.kustomize, err)
			}
		})
	}
}

// FuzzKustomizationCheck gives any bytes to the check Build makes of each
// kustomization file: it must not panic, must refuse only what it can name,
// and must refuse a kustomization that lists a remote resource.
func FuzzKustomizationCheck(f *testing.F) {
	for _, tc := range refusals {
		for name, data := range tc.files {
			if strings.Contains(name, "ustomization") {
				f.Add([]byte(data))
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := &offlineFS{
			FileSystem: filesys.MakeFsInMemory(),
			dir:        "overlay",
			root:       "/",
			resmaps:    resmap.NewFactory(provider.NewDepProvider().GetResourceFactory()),
		}
		err := fsys.check("/kustomization.yaml", data)
		var refused *RemoteError
		if err != nil && !errors.As(err, &refused) && !strings.Contains(err.Error(), "is a folder") {
			t.Fatalf("check() = %v, want a *RemoteError or a folder refusal", err)
		}
		var k types.Kustomization
		if k.Unmarshal(data) != nil {
			if err != nil {
				t.Fatalf("check() refused a kustomization kustomize cannot decode: %v", err)
			}
			return
		}
		for _, r := range k.Resources {
			if remote(r) && err == nil {
				t.Fatalf("check() passed remote resource %q", r)
			}
		}
	})
}
