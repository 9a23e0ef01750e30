//go:build conformance

package conformance_test

import (
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// podNetwork is the network of one live cluster, made of network
// namespaces of its own: the cluster namespace runs etcd and the API
// server and holds a bridge; the host and one namespace per pod (each
// istiod) are linked to the bridge by veth pairs, all on one /24. Nothing
// is routed or forwarded: the host reaches the pods, and the API server
// reaches istiod's webhooks, on the bridge alone. An endpoint cannot be on
// loopback (the API server refuses it), which is why istiod needs an
// address of its own.
type podNetwork struct {
	cluster  string // the cluster namespace
	hostLink string // the host end of the host's veth pair
	hostIP   string
	apiIP    string // the bridge's address in the cluster namespace
	pods     []podNS
	made     []string // namespaces made, to delete
}

// podNS is one pod's network namespace and address.
type podNS struct {
	netns, ip string
}

// newPodNetwork makes a cluster namespace named after the run and the
// cluster's number, with pods pod namespaces.
func newPodNetwork(ctx context.Context, e *liveEnv, n, pods int) (*podNetwork, error) {
	pn := &podNetwork{
		cluster:  fmt.Sprintf("%s-c%d", e.name, n),
		hostLink: fmt.Sprintf("%sc%d", e.name, n),
		hostIP:   e.net + ".1",
		apiIP:    e.net + ".2",
	}
	steps := [][]string{
		{"netns", "add", pn.cluster},
		{"-n", pn.cluster, "link", "set", "lo", "up"},
		{"-n", pn.cluster, "link", "add", "br0", "type", "bridge"},
		{"-n", pn.cluster, "addr", "add", pn.apiIP + "/24", "dev", "br0"},
		{"-n", pn.cluster, "link", "set", "br0", "up"},
		{"link", "add", pn.hostLink, "type", "veth", "peer", "name", "host", "netns", pn.cluster},
		{"-n", pn.cluster, "link", "set", "host", "master", "br0", "up"},
		{"addr", "add", pn.hostIP + "/24", "dev", pn.hostLink},
		{"link", "set", pn.hostLink, "up"},
	}
	for i := range pods {
		p := podNS{netns: fmt.Sprintf("%s-c%d-p%d", e.name, n, i), ip: e.net + "." + strconv.Itoa(10+i)}
		pn.pods = append(pn.pods, p)
		link := fmt.Sprintf("pod%d", i)
		steps = append(steps,
			[]string{"netns", "add", p.netns},
			[]string{"-n", p.netns, "link", "set", "lo", "up"},
			[]string{"-n", pn.cluster, "link", "add", link, "type", "veth", "peer", "name", "eth0", "netns", p.netns},
			[]string{"-n", pn.cluster, "link", "set", link, "master", "br0", "up"},
			[]string{"-n", p.netns, "addr", "add", p.ip + "/24", "dev", "eth0"},
			[]string{"-n", p.netns, "link", "set", "eth0", "up"},
		)
	}
	for _, s := range steps {
		if s[0] == "netns" && s[1] == "add" {
			pn.made = append(pn.made, s[2])
		}
		if err := ipCommand(ctx, s...); err != nil {
			return pn, err
		}
	}
	return pn, nil
}

// ipCommand runs the ip tool.
func ipCommand(ctx context.Context, args ...string) error {
	out, err := exec.CommandContext(ctx, "ip", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("ip %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}

// close deletes the network: the host link first (deleting a namespace
// removes its links only later, in the background), then each namespace.
// Every process still in one of them was started by this run, and is
// killed by its PID first; report says which.
func (pn *podNetwork) close(report func(format string, args ...any)) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := ipCommand(ctx, "link", "del", pn.hostLink); err != nil && !strings.Contains(err.Error(), "Cannot find device") {
		report("%v", err)
	}
	for i := len(pn.made) - 1; i >= 0; i-- {
		ns := pn.made[i]
		out, _ := exec.CommandContext(ctx, "ip", "netns", "pids", ns).Output()
		for _, f := range strings.Fields(string(out)) {
			if pid, err := strconv.Atoi(f); err == nil {
				report("process %d was left in network namespace %s; killing it", pid, ns)
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
		}
		if err := ipCommand(ctx, "netns", "del", ns); err != nil {
			report("%v", err)
		}
	}
}
