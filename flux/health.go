package flux

import "github.com/istio-render/istio-render/render"

// Group, version and kind of cert-manager's Certificates, which a phase
// may have to wait for.
const (
	certificateAPIVersion = "cert-manager.io/v1"
	certificateKind       = "Certificate"
)

// certificateReady is the CEL expression by which a Kustomization's health
// check (spec.healthCheckExprs) finds a cert-manager Certificate ready: its
// Ready condition is True, which cert-manager sets once the Secret holds
// the issued certificate.
const certificateReady = "status.conditions.exists(c, c.type == 'Ready' && c.status == 'True')"

// healthChecks returns the health check expressions of a phase that is
// waited for (wait: true) and holds cert-manager Certificates, such as the
// plugged-in CA's, whose Secret istiod reads only as it starts; nil for
// any other phase.
//
// wait: true computes each object's health with kstatus, which for a kind
// it does not know reads the Ready condition, but only once there is one:
// a Certificate cert-manager has not reconciled yet has no status and
// counts as ready at once, and the next phase would start before the
// certificate is issued. With an expression (kustomize-controller v1.5,
// Flux 2.5), a Certificate is ready only when Ready is True; while it has
// no status the expression cannot be evaluated and Flux keeps waiting.
func healthChecks(resources []render.Resource, p render.Phase) []any {
	for _, r := range resources {
		if r.APIVersion == certificateAPIVersion && r.Kind == certificateKind && render.PhaseOf(r) == p {
			return []any{map[string]any{
				"apiVersion": certificateAPIVersion,
				"kind":       certificateKind,
				"current":    certificateReady,
			}}
		}
	}
	return nil
}
