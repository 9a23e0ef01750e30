package behaviour_test

import (
	"strings"

	"istio.io/istio/pkg/config/analysis/diag"

	"github.com/istio-render/istio-render/mesh"
)

// knownMessage is an analyzer message below Error that a correct render
// produces, with the reason it is right.
type knownMessage struct {
	code   string
	reason string
	// applies reports whether a message of the code is the known one for
	// the spec.
	applies func(s *mesh.Spec, m diag.Message) bool
}

// knownMessages are every Info and Warning message the proof accepts.
var knownMessages = []knownMessage{
	{
		code: "IST0102", // NamespaceNotInjected
		reason: "the spec asks for no sidecar injection in the namespace: gateway namespaces (their pods opt in " +
			"with a pod label), ambient namespaces, namespaces listed without injection, and namespaces the " +
			"spec does not list (default, a tracing collector's). Labelling a gateway namespace " +
			"istio-injection=disabled to silence it would keep its gateway from being injected",
		applies: func(s *mesh.Spec, m diag.Message) bool {
			return m.Resource != nil && sidecarPlane(s, m.Resource.Metadata.FullName.Name.String()) == nil
		},
	},
	{
		code: "IST0133", // SchemaWarning
		reason: "Istio's validation reads \"./\" in the root namespace's Sidecar as the root namespace and calls " +
			"\"./*\" and \"<root>/*\" duplicates; for the root Sidecar, which every namespace inherits, \"./\" is " +
			"the workload's namespace (pilot/pkg/model/sidecar.go), so both are needed, as Istio's Sidecar reference shows",
		applies: func(s *mesh.Spec, m diag.Message) bool {
			return m.Resource != nil && s.Mesh.Scope.Sidecar &&
				m.Resource.Metadata.FullName.Namespace.String() == s.RootNamespace &&
				m.Resource.Metadata.FullName.Name.String() == "default" &&
				strings.Contains(m.String(), "duplicated egress host: "+s.RootNamespace+"/*")
		},
	},
	{
		code: "IST0134", // ServiceEntryAddressesRequired
		reason: "an egress host with a TCP port and no addresses: validate warns at spec.mesh.egress[i].ports[j].protocol " +
			"that sidecars reach it only with DNS capture; istiod's IP auto-allocation (PILOT_ENABLE_IP_AUTOALLOCATE, on " +
			"by default) writes the addresses into the ServiceEntry's status in a cluster, which the analyzers run here " +
			"without istiod's controllers do not see",
		applies: func(s *mesh.Spec, m diag.Message) bool {
			if m.Resource == nil || m.Resource.Metadata.FullName.Namespace.String() != s.RootNamespace {
				return false
			}
			for _, e := range s.Mesh.Egress {
				if "egress-"+strings.ReplaceAll(e.Host, "*", "wildcard") != m.Resource.Metadata.FullName.Name.String() {
					continue
				}
				for _, p := range e.Ports {
					if p.Protocol == "TCP" {
						return true
					}
				}
			}
			return false
		},
	},
	{
		code: "IST0174", // DestinationRuleHostNotFound... for the clientMTLS rule
		reason: "a false positive on the DestinationRule clientMTLS renders for *.<namespace>.svc.cluster.local: " +
			"the analyzer matches a wildcard host only against ServiceEntry hosts, never against the " +
			"namespace's Services, although the sample Service there exists and the configuration " +
			"generator shows the rule applied (Istio mTLS on its outbound cluster)",
		applies: func(s *mesh.Spec, m diag.Message) bool {
			if m.Resource == nil {
				return false
			}
			ns := m.Resource.Metadata.FullName.Namespace.String()
			return clientMTLS(s, ns) && strings.Contains(m.String(), "*."+ns+".svc.cluster.local")
		},
	},
}

// analyzerFindings are the messages a correct render must not produce:
// every Error, and every Info or Warning not listed in knownMessages.
func analyzerFindings(s *mesh.Spec, msgs diag.Messages) []string {
	var out []string
	for _, m := range msgs {
		if m.Type.Level() == diag.Error {
			out = append(out, m.String())
			continue
		}
		known := false
		for _, k := range knownMessages {
			if k.code == m.Type.Code() && k.applies(s, m) {
				known = true
			}
		}
		if !known {
			out = append(out, "not a known message: "+m.String())
		}
	}
	return out
}

// knownDefect is a finding the proof makes in today's render of a case
// that is a defect of the render, not of the proof. proveCase requires
// it to be found, so that the render's fix fails the proof until the
// entry goes.
type knownDefect struct {
	testCase, step, finding string
	evidence                string
}

// knownDefects are the render's defects the proof finds today.
// None today: the last, a waypoint that enforced none of its namespace's
// authorization, is fixed (render/policy.go binds the policies to the
// waypoint too); TestBreaks keeps a render without that binding failing.
var knownDefects = []knownDefect{}

// splitKnown separates a case's findings of one step into the known
// defects and the rest, and lists the known defects of the case and step
// that were not found.
func splitKnown(testCase, step string, findings []string) (known, rest, missing []string) {
	for _, f := range findings {
		isKnown := false
		for _, d := range knownDefects {
			if d.testCase == testCase && d.step == step && strings.Contains(f, d.finding) {
				isKnown = true
			}
		}
		if isKnown {
			known = append(known, f)
		} else {
			rest = append(rest, f)
		}
	}
	for _, d := range knownDefects {
		if d.testCase != testCase || d.step != step {
			continue
		}
		found := false
		for _, f := range known {
			found = found || strings.Contains(f, d.finding)
		}
		if !found {
			missing = append(missing, d.finding)
		}
	}
	return known, rest, missing
}
