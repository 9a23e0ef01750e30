//go:build conformance

package conformance_test

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/istio-render/istio-render/internal/testenv"
)

var (
	liveEtcd        = flag.String("live-etcd", "", "etcd binary for the live istiod proof")
	liveAPIServer   = flag.String("live-kube-apiserver", "", "kube-apiserver binary for the live istiod proof")
	livePilot       = flag.String("live-pilot-discovery", "", "pilot-discovery (istiod) binary for the live istiod proof")
	liveCredentials = flag.String("live-credentials", "", "folder with sa.key, sa.pub, token and tokens.csv, as conformance/internal/prepare writes them")
	liveWork        = flag.String("live-work", "", "scratch folder of the live proof: one subfolder per cluster")
	liveName        = flag.String("live-name", "", "prefix of the network namespaces and the host links the live proof creates (at most 10 characters); default irl<pid>")
	liveNet         = flag.String("live-net", "10.213.7", "first three octets of the /24 the live proof's pod network uses")
	liveSettle      = flag.Duration("live-settle", 10*time.Second, "how long istiod runs before the live objects are compared with the render")
)

// liveInterrupt ends on the first SIGINT, SIGTERM or SIGHUP the test
// binary receives once a live test has started, and stays ended: the live
// test running then stops its servers and deletes its network namespaces
// instead of dying with them running, and every later live test stops at
// once. The live tests run in a test binary of their own (run.sh).
var liveInterrupt = sync.OnceValue(func() context.Context {
	ctx, _ := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	return ctx
})

// liveClusters numbers the clusters of a test binary, which name their
// network namespaces.
var liveClusters atomic.Int64

// liveEnv is what every live cluster of a run shares: the binaries, the
// credentials, the scratch folder and the names of what it creates.
type liveEnv struct {
	// ctx ends on SIGINT, SIGTERM or SIGHUP, and a minute before the test
	// binary's deadline, so that every cleanup still runs.
	ctx                    context.Context
	etcd, apiserver, pilot string
	credentials, tokenFile string
	work, name, net        string
	settle                 time.Duration
	certManager            []map[string]any
	clusters               int
}

// newLiveEnv checks that the live proof can run here. Without the flags
// that make conformance passes, the test fails. Without root (or
// CAP_NET_ADMIN and CAP_SYS_ADMIN) or without the ip tool, it fails under
// CI=true and is skipped elsewhere: a proof CI skips is no proof.
func newLiveEnv(t *testing.T) *liveEnv {
	t.Helper()
	for name, v := range map[string]string{
		"-live-etcd": *liveEtcd, "-live-kube-apiserver": *liveAPIServer, "-live-pilot-discovery": *livePilot,
		"-live-credentials": *liveCredentials, "-live-work": *liveWork,
	} {
		if v == "" {
			t.Fatalf("%s is required: run make conformance", name)
		}
	}
	if missing := liveMissing(); missing != "" {
		testenv.SkipOutsideCI(t, "the live istiod proof cannot run: %s", missing)
	}
	e := &liveEnv{
		etcd: *liveEtcd, apiserver: *liveAPIServer, pilot: *livePilot,
		credentials: *liveCredentials, tokenFile: filepath.Join(*liveCredentials, "token"),
		work: *liveWork, name: *liveName, net: *liveNet, settle: *liveSettle,
	}
	if e.name == "" {
		e.name = "irl" + strconv.Itoa(os.Getpid())
	}
	if len(e.name) > 10 {
		t.Fatalf("-live-name %q: at most 10 characters, so that host link names fit in 15", e.name)
	}
	if err := checkFreeNet(e.net); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(liveInterrupt())
	if deadline, ok := t.Deadline(); ok {
		ctx, cancel = context.WithDeadline(liveInterrupt(), deadline.Add(-time.Minute))
	}
	e.ctx = ctx
	t.Cleanup(cancel)
	if *certManagerCRDs != "" {
		e.certManager = certManager(t)
	}
	return e
}

// liveMissing says what the live proof lacks on this machine; "" when
// nothing.
func liveMissing() string {
	var missing []string
	for _, tool := range []string{"ip"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, fmt.Sprintf("the %s tool (iproute2) is not installed", tool))
		}
	}
	if os.Geteuid() != 0 {
		effective, err := effectiveCapabilities()
		const netAdmin, sysAdmin = 12, 21
		if err != nil || effective&(1<<netAdmin) == 0 || effective&(1<<sysAdmin) == 0 {
			missing = append(missing, "network namespaces need root, or CAP_NET_ADMIN and CAP_SYS_ADMIN")
		}
	}
	return strings.Join(missing, "; ")
}

// effectiveCapabilities reads this process's effective capability set.
func effectiveCapabilities() (uint64, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "CapEff:"); ok {
			return strconv.ParseUint(strings.TrimSpace(v), 16, 64)
		}
	}
	return 0, fmt.Errorf("no CapEff in /proc/self/status")
}

// checkFreeNet refuses a /24 that overlaps an address or a route of this
// machine: the pod network must reach nothing but itself.
func checkFreeNet(prefix string) error {
	_, subnet, err := net.ParseCIDR(prefix + ".0/24")
	if err != nil {
		return fmt.Errorf("-live-net %q: not the first three octets of an IPv4 /24: %v", prefix, err)
	}
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return err
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && (subnet.Contains(n.IP) || n.Contains(subnet.IP)) && !n.IP.IsLoopback() {
			return fmt.Errorf("-live-net %s.0/24 overlaps %s on this machine; choose another", prefix, n)
		}
	}
	routes, err := os.ReadFile("/proc/net/route")
	if err != nil {
		return err
	}
	for _, line := range strings.Split(string(routes), "\n")[1:] {
		f := strings.Fields(line)
		if len(f) < 8 {
			continue
		}
		dst, err1 := strconv.ParseUint(f[1], 16, 32)
		mask, err2 := strconv.ParseUint(f[7], 16, 32)
		if err1 != nil || err2 != nil || mask == 0 {
			continue // the default route goes anywhere, so overlaps nothing in particular
		}
		le := func(v uint64) net.IP { return net.IPv4(byte(v), byte(v>>8), byte(v>>16), byte(v>>24)) }
		route := &net.IPNet{IP: le(dst).To4(), Mask: net.IPMask(le(mask).To4())}
		if route.Contains(subnet.IP) || subnet.Contains(route.IP) {
			return fmt.Errorf("-live-net %s.0/24 overlaps the route to %s on this machine; choose another", prefix, route)
		}
	}
	return nil
}
