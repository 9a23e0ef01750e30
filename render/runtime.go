package render

import (
	"strconv"
	"strings"
)

// RuntimeField is a field of a rendered object that the cluster sets at
// run time: a controller writes it, so a tool that compares the live
// object with the rendered one sees a difference that no render removes,
// and a tool that applies the rendered object again undoes the
// controller's work. Tools are told to leave these fields alone: Argo CD's
// ignoreDifferences and Flux's Kustomization ignore rules are derived from
// RuntimeFields.
type RuntimeField struct {
	// Group, Kind, Namespace and Name identify the object.
	Group, Kind, Namespace, Name string
	// Path locates the field from the object's root; "*" stands for every
	// element of a list.
	Path []string
	// Pointers are the field's JSON pointers (RFC 6901) in the rendered
	// object, one for each list element a "*" stands for.
	Pointers []string
	// Rendered reports whether the rendered object carries the field. A
	// field the render leaves out is the cluster's alone for a tool that
	// applies server-side (Flux): it never sends the field, so never
	// reverts it. A rendered field the tool would write back.
	Rendered bool
	// Owner names what sets the field and why.
	Owner string
}

// runtimeRule is one entry of the list of fields the cluster owns.
type runtimeRule struct {
	group, kind string
	path        []string
	owner       string
	// applies reports whether the cluster sets the field of this object;
	// nil for every object of the kind.
	applies func(obj map[string]any, r Resource, in *runtimeIndex) bool
}

// runtimeRules is the one list of the fields of rendered objects that the
// cluster owns at run time. Everything that tells a tool to leave fields
// alone derives from it; add an entry here and every output follows. Each
// entry says who writes the field and when, as read in the Istio sources
// the charts come from:
//
//   - istiod's webhook certificate patcher (pkg/webhooks/webhookpatch.go)
//     writes its CA into clientConfig.caBundle of every webhook of the
//     MutatingWebhookConfigurations of its revision: the sidecar injector
//     and the revision tags. It runs without leader election, as istiod
//     starts and whenever the CA changes.
//   - istiod's validation controller (pkg/webhooks/validation/controller)
//     writes the CA into every webhook of the ValidatingWebhookConfigurations
//     labelled with its revision (its own validator and the base chart's
//     istiod-default-validator), and switches failurePolicy to Fail once a
//     dry run of an invalid Gateway is rejected. It changes failurePolicy
//     only while it is not Fail, so the field is the cluster's only where
//     the render says Ignore (spec.gitops.tool plain renders the charts'
//     Ignore; argocd and flux render Fail, see failClosed).
//   - A HorizontalPodAutoscaler sets spec.replicas of the Deployment it
//     scales. The charts leave replicas out when they render an
//     autoscaler, so the field is listed for tools that compare it anyway
//     and for patches that add it.
//
// Checked and not listed: the istio-ca-root-cert ConfigMaps istiod creates
// in every namespace, and its leader-election ConfigMaps and Leases, are
// istiod's own objects, not rendered ones (no tool prunes them: they carry
// no tool's tracking label); istiod does not write to the DaemonSets of
// istio-cni and ztunnel, to its ConfigMaps or to the CRDs; fields the API
// server defaults (a Service's clusterIP, a CRD's conversion) are left
// out of the render, and the controllers that fill status write no spec.
// A measurement on a live cluster may find more: add them here.
var runtimeRules = []runtimeRule{{
	group: "admissionregistration.k8s.io", kind: "MutatingWebhookConfiguration",
	path:  []string{"webhooks", "*", "clientConfig", "caBundle"},
	owner: "istiod writes its CA certificate into its injection webhooks",
}, {
	group: "admissionregistration.k8s.io", kind: "ValidatingWebhookConfiguration",
	path:  []string{"webhooks", "*", "clientConfig", "caBundle"},
	owner: "istiod writes its CA certificate into its validating webhooks",
}, {
	group: "admissionregistration.k8s.io", kind: "ValidatingWebhookConfiguration",
	path:    []string{"webhooks", "*", "failurePolicy"},
	owner:   "istiod switches a validating webhook rendered with failurePolicy Ignore to Fail once validation works",
	applies: rendersIgnore,
}, {
	group: "apps", kind: "Deployment",
	path:    []string{"spec", "replicas"},
	owner:   "a HorizontalPodAutoscaler of the render scales the Deployment",
	applies: autoscaled,
}}

// RuntimeFields lists the fields of the rendered objects that the cluster
// sets at run time, in the resources' order, and for each object in the
// order of the list above.
func RuntimeFields(resources []Resource) []RuntimeField {
	return runtimeFields(runtimeRules, resources)
}

// runtimeIndex is what rules need to know of the whole render.
type runtimeIndex struct {
	// scaled holds namespace/name of every Deployment an autoscaler of the
	// render scales.
	scaled map[string]bool
}

func runtimeFields(rules []runtimeRule, resources []Resource) []RuntimeField {
	in := &runtimeIndex{scaled: map[string]bool{}}
	for _, r := range resources {
		if r.Kind != "HorizontalPodAutoscaler" || group(r.APIVersion) != "autoscaling" {
			continue
		}
		spec, _ := r.Object()["spec"].(map[string]any)
		target, _ := spec["scaleTargetRef"].(map[string]any)
		if target["kind"] == "Deployment" && group(str(target["apiVersion"])) == "apps" {
			in.scaled[r.Namespace+"/"+str(target["name"])] = true
		}
	}
	var out []RuntimeField
	for _, r := range resources {
		var obj map[string]any
		for _, rule := range rules {
			if rule.kind != r.Kind || rule.group != group(r.APIVersion) {
				continue
			}
			if obj == nil {
				obj = r.Object()
			}
			if rule.applies != nil && !rule.applies(obj, r, in) {
				continue
			}
			pointers, rendered := expand(obj, rule.path)
			out = append(out, RuntimeField{
				Group: rule.group, Kind: r.Kind, Namespace: r.Namespace, Name: r.Name,
				Path:     append([]string(nil), rule.path...),
				Pointers: pointers,
				Rendered: rendered,
				Owner:    rule.owner,
			})
		}
	}
	return out
}

// rendersIgnore reports a webhook configuration with a webhook rendered
// with failurePolicy Ignore.
func rendersIgnore(obj map[string]any, _ Resource, _ *runtimeIndex) bool {
	hooks, _ := obj["webhooks"].([]any)
	for _, h := range hooks {
		if m, _ := h.(map[string]any); m["failurePolicy"] == "Ignore" {
			return true
		}
	}
	return false
}

// autoscaled reports a Deployment an autoscaler of the render scales.
func autoscaled(_ map[string]any, r Resource, in *runtimeIndex) bool {
	return in.scaled[r.Namespace+"/"+r.Name]
}

// expand returns the JSON pointers of a path in an object, a "*" standing
// for every element the object's list has, and whether the object carries
// the field at any of them. A path whose list is missing has no pointer.
func expand(obj any, path []string) (pointers []string, rendered bool) {
	var walk func(v any, at string, rest []string)
	walk = func(v any, at string, rest []string) {
		if len(rest) == 0 {
			pointers = append(pointers, at)
			if v != nil {
				rendered = true
			}
			return
		}
		if rest[0] == "*" {
			list, _ := v.([]any)
			for i, e := range list {
				walk(e, at+"/"+strconv.Itoa(i), rest[1:])
			}
			return
		}
		m, _ := v.(map[string]any)
		walk(m[rest[0]], at+"/"+escapePointer(rest[0]), rest[1:])
	}
	walk(obj, "", path)
	return pointers, rendered
}

// escapePointer escapes a key for a JSON pointer (RFC 6901).
func escapePointer(key string) string {
	return strings.ReplaceAll(strings.ReplaceAll(key, "~", "~0"), "/", "~1")
}
