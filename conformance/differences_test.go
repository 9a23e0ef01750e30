package conformance_test

import (
	"sigs.k8s.io/yaml"

	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// difference is one intended way in which render's output for a release
// differs from what Helm renders for the same release.
type difference struct {
	what   string
	reason string
	// normalize turns one of Helm's objects into what render writes for
	// it; nil when the difference is in no object.
	normalize func(s *mesh.Spec, rel render.Release, obj map[string]any)
	// renderOnly reports an object render adds to the release's component
	// that no chart renders; nil when the difference adds no object.
	renderOnly func(r render.Resource) bool
}

// intendedDifferences is the one complete list of differences the Helm
// parity test allows. Anything else that differs fails it.
var intendedDifferences = []difference{{
	what: "comments and formatting",
	reason: "Helm's manifest keeps the templates' key order, quoting and '# Source: <template>' comments; " +
		"render writes every object with sorted keys and no comments. Both sides are parsed and compared as objects.",
}, {
	what: "NOTES.txt",
	reason: "Helm returns the rendered NOTES.txt as release notes, not as an object, and render drops it: " +
		"notes are for a person running helm install, not part of what is applied.",
}, {
	what: "empty documents",
	reason: "templates switched off by values render to empty documents; Helm leaves them out of the " +
		"manifest and render drops them too, so neither side has an object for them.",
}, {
	what: "object order",
	reason: "Helm sorts each release by its own InstallOrder; render sorts the whole install (every release " +
		"plus mesh policy) into one apply order. Objects are matched by group, kind, namespace and name.",
}, {
	what: "release namespace on namespaced objects",
	reason: "templates that leave metadata.namespace out rely on `helm install --namespace`; render writes " +
		"the release namespace into every namespaced object so the stream applies the same with any tool. " +
		"Cluster-scoped objects get none (the conformance run checks scopes against a real API server).",
	normalize: setReleaseNamespace,
}, {
	what: "gateway policy objects",
	reason: "a gateway's networking.istio.io Gateway and cert-manager Certificates are rendered by " +
		"istio-render, not by the gateway chart, and carry the gateway's component so they are found with it.",
	renderOnly: isGatewayPolicy,
}, {
	what: "GitOps annotations",
	reason: "render annotates objects for the GitOps tool of spec.gitops (render.GitOpsAnnotations): Namespaces and " +
		"CRDs carry Argo CD's and Flux's protection from pruning and deletion, and for Argo CD every object its sync " +
		"wave. No chart writes them; the charts' own values, failurePolicy included, are the same on both sides.",
	normalize: addGitOpsAnnotations,
}}

// addGitOpsAnnotations gives one of Helm's objects the annotations render
// gives it; annotations the object has keep their values, as in render.
func addGitOpsAnnotations(s *mesh.Spec, rel render.Release, obj map[string]any) {
	md, _ := obj["metadata"].(map[string]any)
	if md == nil {
		return
	}
	data, err := yaml.Marshal(obj)
	if err != nil {
		return
	}
	r := render.Resource{Component: rel.Component, YAML: data}
	r.APIVersion, _ = obj["apiVersion"].(string)
	r.Kind, _ = obj["kind"].(string)
	r.Namespace, _ = md["namespace"].(string)
	r.Name, _ = md["name"].(string)
	add := render.GitOpsAnnotations(s, r)
	if add == nil {
		return
	}
	ann, _ := md["annotations"].(map[string]any)
	if ann == nil {
		ann = map[string]any{}
		md["annotations"] = ann
	}
	for k, v := range add {
		if _, ok := ann[k]; !ok {
			ann[k] = v
		}
	}
}

// clusterScoped are the cluster-scoped kinds the Istio charts render.
var clusterScoped = map[string]bool{
	"CustomResourceDefinition":         true,
	"ClusterRole":                      true,
	"ClusterRoleBinding":               true,
	"MutatingWebhookConfiguration":     true,
	"ValidatingWebhookConfiguration":   true,
	"ValidatingAdmissionPolicy":        true,
	"ValidatingAdmissionPolicyBinding": true,
	"PriorityClass":                    true,
	"Namespace":                        true,
}

// setReleaseNamespace gives a namespaced object without a namespace the
// release namespace.
func setReleaseNamespace(_ *mesh.Spec, rel render.Release, obj map[string]any) {
	if kind, _ := obj["kind"].(string); clusterScoped[kind] {
		return
	}
	md, ok := obj["metadata"].(map[string]any)
	if !ok {
		md = map[string]any{}
		obj["metadata"] = md
	}
	if ns, _ := md["namespace"].(string); ns == "" {
		md["namespace"] = rel.Namespace
	}
}

// isGatewayPolicy reports the Gateway and Certificate objects render writes
// for a gateway, marked as managed by istio-render.
func isGatewayPolicy(r render.Resource) bool {
	md, _ := r.Object()["metadata"].(map[string]any)
	labels, _ := md["labels"].(map[string]any)
	if labels["app.kubernetes.io/managed-by"] != "istio-render" {
		return false
	}
	switch r.APIVersion + " " + r.Kind {
	case "networking.istio.io/v1 Gateway", "cert-manager.io/v1 Certificate":
		return true
	}
	return false
}
