package argocd_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/istio-render/istio-render/argocd"
	"github.com/istio-render/istio-render/render"
)

func resource(apiVersion, kind, namespace, name, yaml string) render.Resource {
	return render.Resource{APIVersion: apiVersion, Kind: kind, Namespace: namespace, Name: name, YAML: []byte(yaml)}
}

func TestIgnoreDifferences(t *testing.T) {
	injector := resource("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration", "", "istio-sidecar-injector",
		"webhooks:\n- failurePolicy: Fail\n  name: a\n")
	validatorIgnore := resource("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "", "istiod-default-validator",
		"webhooks:\n- failurePolicy: Ignore\n  name: a\n")
	validatorFail := resource("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "", "istio-validator-istio-system",
		"webhooks:\n- failurePolicy: Fail\n  name: a\n")
	deployment := resource("apps/v1", "Deployment", "istio-system", "istiod", "spec: {}\n")
	hpa := resource("autoscaling/v2", "HorizontalPodAutoscaler", "istio-system", "istiod",
		"spec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: istiod\n")
	otherHPA := resource("autoscaling/v2", "HorizontalPodAutoscaler", "other", "istiod",
		"spec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: istiod\n")
	caBundle := ".webhooks[]?.clientConfig.caBundle"
	tests := []struct {
		reason    string
		resources []render.Resource
		want      []argocd.Rule
	}{{
		reason:    "nothing the cluster changes",
		resources: []render.Resource{deployment},
	}, {
		reason:    "every webhook configuration's CA bundle; failurePolicy only where it renders Ignore",
		resources: []render.Resource{injector, validatorIgnore, validatorFail},
		want: []argocd.Rule{
			{Group: "admissionregistration.k8s.io", Kind: "MutatingWebhookConfiguration", Name: "istio-sidecar-injector", JQPathExpressions: []string{caBundle}},
			{Group: "admissionregistration.k8s.io", Kind: "ValidatingWebhookConfiguration", Name: "istiod-default-validator", JQPathExpressions: []string{caBundle, ".webhooks[]?.failurePolicy"}},
			{Group: "admissionregistration.k8s.io", Kind: "ValidatingWebhookConfiguration", Name: "istio-validator-istio-system", JQPathExpressions: []string{caBundle}},
		},
	}, {
		reason:    "the replicas of a Deployment an autoscaler of the render scales, with its namespace",
		resources: []render.Resource{deployment, hpa},
		want: []argocd.Rule{
			{Group: "apps", Kind: "Deployment", Name: "istiod", Namespace: "istio-system", JQPathExpressions: []string{".spec.replicas"}},
		},
	}, {
		reason:    "an autoscaler in another namespace scales another Deployment",
		resources: []render.Resource{deployment, otherHPA},
	}}
	for _, tc := range tests {
		t.Run(tc.reason, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, argocd.IgnoreDifferences(tc.resources)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestJQPath(t *testing.T) {
	tests := []struct {
		path []string
		want string
	}{
		{[]string{"spec", "replicas"}, ".spec.replicas"},
		{[]string{"webhooks", "*", "clientConfig", "caBundle"}, ".webhooks[]?.clientConfig.caBundle"},
		{[]string{"metadata", "annotations", "example.com/x"}, `.metadata.annotations."example.com/x"`},
	}
	for _, tc := range tests {
		if got := argocd.JQPath(tc.path); got != tc.want {
			t.Errorf("JQPath(%q) = %q, want %q", tc.path, got, tc.want)
		}
	}
}

// TestRulesFollowTheFields shows that the rules are the fields: a field
// added to the list becomes a rule, or an expression of its object's rule.
func TestRulesFollowTheFields(t *testing.T) {
	resources := []render.Resource{
		resource("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration", "", "istio-sidecar-injector", "webhooks:\n- name: a\n"),
	}
	fields := render.RuntimeFields(resources)
	added := append(fields,
		render.RuntimeField{Group: "admissionregistration.k8s.io", Kind: "MutatingWebhookConfiguration", Name: "istio-sidecar-injector",
			Path: []string{"webhooks", "*", "namespaceSelector"}},
		render.RuntimeField{Kind: "Service", Namespace: "istio-system", Name: "istiod", Path: []string{"spec", "clusterIP"}},
	)
	want := []argocd.Rule{
		{Group: "admissionregistration.k8s.io", Kind: "MutatingWebhookConfiguration", Name: "istio-sidecar-injector",
			JQPathExpressions: []string{".webhooks[]?.clientConfig.caBundle", ".webhooks[]?.namespaceSelector"}},
		{Kind: "Service", Name: "istiod", Namespace: "istio-system", JQPathExpressions: []string{".spec.clusterIP"}},
	}
	if diff := cmp.Diff(want, argocd.Rules(added)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(argocd.Rules(fields), argocd.IgnoreDifferences(resources)); diff != "" {
		t.Errorf("IgnoreDifferences is not Rules of RuntimeFields (-want +got):\n%s", diff)
	}
}
