//go:build conformance

package conformance_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// liveBreak is an install broken on purpose, in a cluster of its own: the
// run must make a finding of the check the break defeats. The breaks that
// need no cluster of their own run inside every case of TestLiveIstiod:
// custom resources first, a gateway template without its injection label,
// and the run-time-owned field list without each entry a change needs.
type liveBreak struct {
	name string
	// edit breaks the plan of profile-default.
	edit func(r *liveRun) error
	// last is the stage after which the checks have run.
	last stage
	// want maps each check that must fail to a text its finding contains.
	want map[string]string
}

var liveBreaks = []liveBreak{{
	// istiod switches validation to Fail only once a dry run of an invalid
	// Gateway, created as istiod in its own namespace, is denied by its
	// webhook; the Role must allow that create.
	name: "istiod's Role without create on gateways",
	edit: func(r *liveRun) error {
		role := r.plan.find("rbac.authorization.k8s.io/Role/" + r.rootNamespace() + "/istiod")
		if role == nil {
			return fmt.Errorf("no Role istiod")
		}
		rules, _ := role.obj["rules"].([]any)
		var kept []any
		for _, rule := range rules {
			res, _ := rule.(map[string]any)["resources"].([]any)
			if len(res) == 1 && res[0] == "gateways" {
				continue
			}
			kept = append(kept, rule)
		}
		if len(kept) == len(rules) {
			return fmt.Errorf("the Role istiod has no rule for gateways")
		}
		role.obj["rules"] = kept
		return nil
	},
	last: stageWebhooks,
	want: map[string]string{checkWebhooks: "has failurePolicy Ignore, not Fail"},
}, {
	// The API server calls the validating webhooks through the Service
	// they name; istiod's check of its own webhook then never sees a
	// denial, and validation stays open.
	name: "validating webhooks naming a Service that does not exist",
	edit: func(r *liveRun) error {
		n := 0
		for _, o := range r.plan.ofKind("ValidatingWebhookConfiguration") {
			for _, h := range o.obj["webhooks"].([]any) {
				svc, _ := h.(map[string]any)["clientConfig"].(map[string]any)["service"].(map[string]any)
				if svc == nil {
					return fmt.Errorf("%s: a webhook without a service", o.id())
				}
				svc["name"] = "istiod-missing"
				n++
			}
		}
		if n == 0 {
			return fmt.Errorf("no validating webhooks")
		}
		return nil
	},
	last: stageWebhooks,
	want: map[string]string{checkWebhooks: "has failurePolicy Ignore, not Fail"},
}, {
	// istiod reads its injection template once, when it starts: started
	// before the istio-sidecar-injector ConfigMap of the config phase
	// exists, it neither serves injection nor writes its CA into the
	// injector webhooks, and those, failurePolicy Fail, reject every
	// gateway pod.
	name: "istiod started before its injector ConfigMap",
	edit: func(r *liveRun) error {
		id := "/ConfigMap/" + r.rootNamespace() + "/istio-sidecar-injector"
		if r.plan.find(id) == nil {
			return fmt.Errorf("no %s", id)
		}
		r.holdBack = func(o *liveObject) bool { return o.id() == id }
		return nil
	},
	last: stageGateways,
	want: map[string]string{
		checkWebhooks:  "MutatingWebhookConfiguration//istio-sidecar-injector webhook object.sidecar-injector.istio.io has no caBundle",
		checkInjection: "istiod live: pod from apps/Deployment/",
	},
}}

// TestLiveIstiodBreaks installs profile-default broken in each way of
// liveBreaks and requires the run to fail the checks each break defeats.
func TestLiveIstiodBreaks(t *testing.T) {
	e := newLiveEnv(t)
	var gc goldenCase
	for _, c := range goldenCases(t) {
		if c.name == "profile-default" {
			gc = c
		}
	}
	if gc.name == "" {
		t.Fatal("no golden case profile-default")
	}
	for _, b := range liveBreaks {
		t.Run(b.name, func(t *testing.T) {
			start := time.Now()
			r := newLiveRun(t, e, newLivePlan(t, gc))
			r.record = true
			// The good install patches the webhooks within seconds.
			r.patchTimeout = 30 * time.Second
			if err := b.edit(r); err != nil {
				t.Fatalf("breaking the install: %v", err)
			}
			r.run(b.last)
			for _, check := range sortedKeys(b.want) {
				var got []string
				found := false
				for _, f := range r.findings {
					if f.check == check && strings.Contains(f.msg, b.want[check]) {
						t.Logf("the %s check failed, as required: %s", check, f.msg)
						found = true
						break
					}
					got = append(got, f.check+": "+f.msg)
				}
				if !found {
					t.Errorf("the %s check did not fail with %q; findings: %q", check, b.want[check], got)
				}
			}
			r.timing("broken install", time.Since(start))
		})
	}
}
