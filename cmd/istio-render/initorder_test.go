package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestInitOrder holds what internal/gcpercent and internal/prefetch rely
// on: Go initializes them early. gcpercent must run before the packages
// that allocate the most while initializing, and prefetch before the
// largest initializers that follow the chart source, so that its loads
// overlap them.
func TestInitOrder(t *testing.T) {
	bin, err := buildOnce()
	if err != nil {
		t.Fatalf("building istio-render: %v", err)
	}
	cmd := exec.Command(bin, "version")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	var trace bytes.Buffer
	cmd.Stderr = &trace
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v: %v\n%s", cmd, err, trace.String())
	}
	position := map[string]int{}
	sc := bufio.NewScanner(&trace)
	for n := 0; sc.Scan(); n++ {
		if f := strings.Fields(sc.Text()); len(f) > 1 && f[0] == "init" {
			position[f[1]] = n
		}
	}
	const self = "github.com/istio-render/istio-render/"
	for _, c := range []struct{ first, then string }{
		{self + "internal/gcpercent", "github.com/santhosh-tekuri/jsonschema/v6"},
		{self + "internal/gcpercent", "k8s.io/client-go/kubernetes/scheme"},
		{self + "internal/embedded", self + "internal/prefetch"},
		{self + "internal/prefetch", "k8s.io/client-go/kubernetes/scheme"},
		{self + "internal/prefetch", self + "render"},
	} {
		a, okA := position[c.first]
		b, okB := position[c.then]
		if !okA || !okB {
			t.Errorf("inittrace lacks %s or %s", c.first, c.then)
			continue
		}
		if a >= b {
			t.Errorf("%s initializes after %s (positions %d, %d)", c.first, c.then, a, b)
		}
	}
}
