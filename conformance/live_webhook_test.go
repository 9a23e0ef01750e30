//go:build conformance

package conformance_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"sigs.k8s.io/yaml"
)

// probe is an Istio object written to see who judges it. The invalid ones
// pass the CRD schemas, CEL rules included: only istiod's validating
// webhook rejects them.
type probe struct {
	name  string
	valid bool
	yaml  string
}

// probes are written into the root namespace, as dry runs.
var probes = []probe{{
	name: "a valid Gateway", valid: true, yaml: `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: live-probe-valid}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["*"]
`}, {
	name: "a Gateway host with an invalid namespace part", yaml: `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: live-probe-gateway-host}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["bad_ns/example.com"]
`}, {
	name: "an AuthorizationPolicy condition on an unknown attribute", yaml: `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: live-probe-authz-key}
spec:
  action: DENY
  rules:
  - when:
    - key: request.no.such.attribute
      values: ["x"]
`}, {
	name: "a DestinationRule for an invalid host", yaml: `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: live-probe-dr-host}
spec:
  host: "bad host!"
`}}

// object returns the probe as an object in namespace.
func (p probe) object(namespace string) map[string]any {
	var obj map[string]any
	if err := yaml.Unmarshal([]byte(p.yaml), &obj); err != nil {
		panic(fmt.Sprintf("probe %q: %v", p.name, err))
	}
	obj["metadata"].(map[string]any)["namespace"] = namespace
	return obj
}

// webhookState is what istiod's validating webhook can do at a moment.
type webhookState int

const (
	// webhookIgnoreDown: failurePolicy Ignore, istiod not serving.
	webhookIgnoreDown webhookState = iota
	// webhookFailDown: failurePolicy Fail, istiod not serving.
	webhookFailDown
	// webhookLive: istiod serving, failurePolicy Fail.
	webhookLive
)

// expect is the outcome a probe must meet in a state.
func (p probe) expect(s webhookState) string {
	switch s {
	case webhookIgnoreDown:
		return outcomeAccepted // unvalidated: Ignore lets it through
	case webhookFailDown:
		return outcomeUnreachable
	}
	if p.valid {
		return outcomeAccepted
	}
	return outcomeDenied
}

// runProbes dry-runs every probe and reports each outcome that differs
// from what the state requires.
func (r *liveRun) runProbes(check, when string, s webhookState) {
	for _, p := range probes {
		_, err := r.c.create(r.ctx, p.object(r.rootNamespace()), true)
		r.c.warnings.take()
		got, _ := outcome(err)
		want := p.expect(s)
		if got != want {
			r.fail(check, "%s, %s: got %s, want %s: %v", when, p.name, got, want, err)
			continue
		}
		if err != nil {
			r.t.Logf("%s, %s: %s as required (%s)", when, p.name, got, firstLine(err.Error()))
		} else {
			r.t.Logf("%s, %s: %s as required", when, p.name, got)
		}
	}
}

// validationCounts reads istiod's count of requests its validating
// webhook passed (galley_validation_passed) and rejected
// (galley_validation_failed, which leaves out dry runs), by resource, e.g.
// "networking.istio.io/gateways", summed over every istiod.
func (r *liveRun) validationCounts() (passed, failed map[string]float64, err error) {
	passed, failed = map[string]float64{}, map[string]float64{}
	for _, p := range r.istiods {
		fams, err := scrape(r.ctx, p.metricsURL())
		if err != nil {
			return nil, nil, err
		}
		for name, into := range map[string]map[string]float64{"galley_validation_passed": passed, "galley_validation_failed": failed} {
			fam := fams[name]
			if fam == nil {
				continue
			}
			for _, m := range fam.GetMetric() {
				var group, resource string
				for _, l := range m.GetLabel() {
					switch l.GetName() {
					case "group":
						group = l.GetValue()
					case "resource":
						resource = l.GetValue()
					}
				}
				v := m.GetCounter().GetValue()
				if m.GetCounter() == nil {
					v = m.GetUntyped().GetValue()
				}
				into[group+"/"+resource] += v
			}
		}
	}
	return passed, failed, nil
}

// metricsURL is istiod's monitoring endpoint, at the rendered
// --monitoringAddr port.
func (p *istiodPod) metricsURL() string {
	port := "15014"
	for _, a := range p.container.Args {
		if v, ok := strings.CutPrefix(a, "--monitoringAddr="); ok {
			if i := strings.LastIndex(v, ":"); i >= 0 {
				port = v[i+1:]
			}
		}
	}
	return fmt.Sprintf("http://%s:%s/metrics", p.net.ip, port)
}

// scrape reads a Prometheus text endpoint.
func scrape(ctx context.Context, url string) (map[string]*dto.MetricFamily, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", url, resp.Status)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", url, err)
	}
	return fams, nil
}

// firstLine is the first line of a message.
func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
