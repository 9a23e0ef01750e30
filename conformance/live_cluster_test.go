//go:build conformance

package conformance_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"k8s.io/client-go/rest"
)

// unsafeInName matches what a folder name had better not hold.
var unsafeInName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// liveCluster is one fresh cluster: etcd and kube-apiserver in the
// cluster namespace of a pod network of its own.
type liveCluster struct {
	*cluster
	net    *podNetwork
	dir    string
	url    string
	caFile string
	api    *liveProcess
}

// startCluster makes a pod network with pods pod namespaces, starts etcd
// and kube-apiserver in it, and waits until the API server is ready. The
// test's cleanups stop both and delete the network.
func (r *liveRun) startCluster(pods int) *liveCluster {
	t, e := r.t, r.e
	t.Helper()
	n := int(liveClusters.Add(1))
	dir, err := os.MkdirTemp(e.work, fmt.Sprintf("c%d-%s-", n, unsafeInName.ReplaceAllString(t.Name(), "-")))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	pn, err := newPodNetwork(r.ctx, e, n, pods)
	t.Cleanup(func() { pn.close(t.Logf) })
	if err != nil {
		t.Fatalf("pod network: %v", err)
	}
	env := append(os.Environ(), "GOMAXPROCS=2")
	etcd, err := startIn(pn.cluster, "etcd", dir, filepath.Join(dir, "etcd.log"), env, e.etcd,
		"--name", "live",
		"--data-dir", filepath.Join(dir, "etcd"),
		"--listen-client-urls", "http://127.0.0.1:2379",
		"--advertise-client-urls", "http://127.0.0.1:2379",
		"--listen-peer-urls", "http://127.0.0.1:2380",
		"--initial-advertise-peer-urls", "http://127.0.0.1:2380",
		"--initial-cluster", "live=http://127.0.0.1:2380",
		"--unsafe-no-fsync",
		"--log-level", "warn",
	)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { etcd.stop(20 * time.Second) })
	creds := e.credentials
	// As conformance/run.sh starts it, with three differences: it listens
	// on the pod network; it authorizes with RBAC, so that istiod runs
	// with the rendered RBAC only (the test's own token is in
	// system:masters); and it reaches webhooks at their EndpointSlices'
	// addresses rather than their Services' cluster IPs, which nothing
	// routes without kube-proxy.
	api, err := startIn(pn.cluster, "kube-apiserver", dir, filepath.Join(dir, "kube-apiserver.log"), env, e.apiserver,
		"--etcd-servers", "http://127.0.0.1:2379",
		"--bind-address", pn.apiIP,
		"--advertise-address", pn.apiIP,
		"--secure-port", "6443",
		"--cert-dir", filepath.Join(dir, "certs"),
		"--token-auth-file", filepath.Join(creds, "tokens.csv"),
		"--authorization-mode", "RBAC",
		"--allow-privileged=true",
		"--service-account-issuer", "https://kubernetes.default.svc",
		"--service-account-key-file", filepath.Join(creds, "sa.pub"),
		"--service-account-signing-key-file", filepath.Join(creds, "sa.key"),
		"--service-cluster-ip-range", "10.96.0.0/16",
		"--endpoint-reconciler-type", "none",
		"--enable-aggregator-routing=true",
	)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { api.stop(20 * time.Second) })
	lc := &liveCluster{net: pn, dir: dir, url: "https://" + pn.apiIP + ":6443", caFile: filepath.Join(dir, "certs", "apiserver.crt"), api: api}
	token, err := os.ReadFile(e.tokenFile)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(r.ctx, 3*time.Minute)
	defer cancel()
	up := func() error {
		if !api.running() {
			return permanent(api.exitError())
		}
		if !etcd.running() {
			return permanent(etcd.exitError())
		}
		if lc.cluster == nil {
			if _, err := os.Stat(lc.caFile); err != nil {
				return err
			}
			rec := &warningRecorder{}
			c, err := clientFor(&rest.Config{
				Host:            lc.url,
				BearerToken:     strings.TrimSpace(string(token)),
				TLSClientConfig: rest.TLSClientConfig{CAFile: lc.caFile},
				UserAgent:       "istio-render-live",
				QPS:             100,
				Burst:           200,
				Timeout:         time.Minute,
				WarningHandler:  rec,
			}, rec)
			if err != nil {
				return err
			}
			lc.cluster = c
		}
		return lc.ready(ctx)
	}
	if err := until(ctx, 200*time.Millisecond, up); err != nil {
		t.Fatalf("kube-apiserver at %s not ready: %v", lc.url, err)
	}
	version, err := lc.serverVersion()
	if err != nil {
		t.Fatal(err)
	}
	if *kubeVersion != "" && version != *kubeVersion {
		t.Fatalf("server reports %s, want %s", version, *kubeVersion)
	}
	lc.warnings.take()
	r.timing("cluster up (network, etcd, kube-apiserver ready)", time.Since(start))
	return lc
}
