package render

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/api/validation/path"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/istio-render/istio-render/mesh"
)

// inspectObject checks one rendered object against the rules of
// Kubernetes' own validation for its kind that need no cluster, with
// apimachinery's validation functions: its name (a DNS-1035 label for a
// Service, a DNS-1123 label for a Namespace, a path segment for RBAC
// objects, else a DNS-1123 subdomain), its namespace, label keys and
// values, annotation keys and their total size; a Service's ports, port
// names, IPs, source ranges and selector; a pod template's labels,
// annotations and container ports; and, for a built-in kind, that the API
// server decodes it into its Go type (typed). It runs on the tree each
// object is parsed into anyway; only typed encodes parts of it again.
//
// The labels and annotations are checked through rules, which remembers
// verdicts across the objects of a release; nil remembers nothing.
func inspectObject(component string, obj map[string]any, rules *labelRules) []finding {
	kind, _ := obj["kind"].(string)
	apiVersion, _ := obj["apiVersion"].(string)
	md, _ := obj["metadata"].(map[string]any)
	name, _ := md["name"].(string)
	namespace, _ := md["namespace"].(string)
	in := &inspection{component: component, kind: kind, namespace: namespace, name: name, rules: rules}
	at := field.NewPath("metadata")
	labels := in.strings(at.Child("labels"), "label", md["labels"])
	annotations := in.strings(at.Child("annotations"), "annotation", md["annotations"])
	// The name and namespace as ValidateObjectMetaAccessor checks them;
	// labels and annotations as it does, remembered.
	meta := &metav1.ObjectMeta{Name: name, Namespace: namespace}
	meta.GenerateName, _ = md["generateName"].(string)
	in.add(apivalidation.ValidateObjectMetaAccessor(meta, !clusterScoped[kind], nameRule(group(apiVersion), kind), at), nil)
	in.add(rules.labels(labels, at.Child("labels")), nil)
	in.add(rules.annotations(annotations, at.Child("annotations")), annotations)
	in.typed(apiVersion, kind, obj)
	spec, _ := obj["spec"].(map[string]any)
	switch kind {
	case "Service":
		in.service(spec)
	case "Deployment", "DaemonSet", "StatefulSet", "ReplicaSet", "Job":
		in.podTemplate(spec)
	}
	return in.found
}

// nameRule is the rule Kubernetes checks an object's name with.
func nameRule(group, kind string) apivalidation.ValidateNameFunc {
	switch {
	case group == "" && kind == "Service":
		return apivalidation.NameIsDNS1035Label
	case group == "" && kind == "Namespace":
		return apivalidation.ValidateNamespaceName
	case group == "rbac.authorization.k8s.io":
		return path.ValidatePathSegmentName
	}
	return apivalidation.NameIsDNSSubdomain
}

// objectName names an object in messages.
func objectName(kind, namespace, name string) string {
	if namespace == "" || clusterScoped[kind] {
		return kind + " " + mesh.Quote(name)
	}
	return kind + " " + mesh.Quote(namespace+"/"+name)
}

// inspection collects the findings of one object.
type inspection struct {
	component, kind, namespace, name string
	rules                            *labelRules
	found                            []finding
}

// finding records a finding about the object.
func (in *inspection) finding(text, message string) {
	in.found = append(in.found, finding{component: in.component, object: objectName(in.kind, in.namespace, in.name), text: text, message: message})
}

// add records Kubernetes' validation errors, ordered (the validation
// functions range over maps). The offending text traces a finding to the
// spec: the bad value, or for annotations over the size limit the key of
// the largest.
func (in *inspection) add(errs field.ErrorList, annotations map[string]string) {
	errs = slices.Clone(errs)
	slices.SortStableFunc(errs, func(a, b *field.Error) int {
		if c := strings.Compare(a.Field, b.Field); c != 0 {
			return c
		}
		if c := strings.Compare(fmt.Sprint(a.BadValue), fmt.Sprint(b.BadValue)); c != 0 {
			return c
		}
		return strings.Compare(a.Detail, b.Detail)
	})
	for _, e := range errs {
		text := fmt.Sprint(e.BadValue)
		if e.Type == field.ErrorTypeTooLong && strings.HasSuffix(e.Field, "annotations") {
			text = largest(annotations)
		}
		in.finding(text, describeError(e))
	}
}

// describeError prints a validation error with the bad value quoted and
// the regular expression Kubernetes quotes dropped.
func describeError(e *field.Error) string {
	detail, _, _ := strings.Cut(e.Detail, ", regex used for validation is")
	if len(detail) < len(e.Detail) {
		detail += ")"
	}
	switch e.Type {
	case field.ErrorTypeInvalid:
		return fmt.Sprintf("%s: %s: %s: %s", e.Field, e.Type, mesh.Quote(fmt.Sprint(e.BadValue)), detail)
	case field.ErrorTypeTooLong:
		return fmt.Sprintf("%s: %s: %s", e.Field, e.Type, detail)
	}
	if detail == "" {
		return fmt.Sprintf("%s: %s", e.Field, e.Type)
	}
	return fmt.Sprintf("%s: %s: %s", e.Field, e.Type, detail)
}

// largest returns the key of the largest entry of a map.
func largest(m map[string]string) string {
	best := ""
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if len(k)+len(m[k]) > len(best)+len(m[best]) {
			best = k
		}
	}
	return best
}

// strings reads labels or annotations; a value that is not a string is
// a finding of its own, as the API server cannot decode it.
func (in *inspection) strings(at *field.Path, what string, v any) map[string]string {
	m, _ := v.(map[string]any)
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	var odd []string
	for k, e := range m {
		if s, ok := e.(string); ok {
			out[k] = s
		} else {
			odd = append(odd, k)
		}
	}
	slices.Sort(odd)
	for _, k := range odd {
		in.finding(k, fmt.Sprintf("%s: the value of %s %s is %s; %s values are strings", at, what, mesh.Quote(k), mesh.ValueKind(m[k]), what))
	}
	return out
}

// service checks a Service's ports (each name and each number and
// protocol once), addresses and selector.
func (in *inspection) service(spec map[string]any) {
	at := field.NewPath("spec")
	legacyIP := func(p *field.Path, v any) {
		if s, ok := v.(string); ok && s != "" && s != "None" {
			in.add(validation.IsValidIPForLegacyField(p, s, true, nil), nil)
		}
	}
	legacyIP(at.Child("loadBalancerIP"), spec["loadBalancerIP"])
	legacyIP(at.Child("clusterIP"), spec["clusterIP"])
	for _, f := range []string{"clusterIPs", "externalIPs"} {
		list, _ := spec[f].([]any)
		for i, v := range list {
			legacyIP(at.Child(f).Index(i), v)
		}
	}
	ranges, _ := spec["loadBalancerSourceRanges"].([]any)
	for i, v := range ranges {
		if s, ok := v.(string); ok {
			in.add(validation.IsValidCIDRForLegacyField(at.Child("loadBalancerSourceRanges").Index(i), s, true, nil), nil)
		}
	}
	if sel, ok := spec["selector"].(map[string]any); ok {
		in.add(in.rules.labels(in.strings(at.Child("selector"), "selector", sel), at.Child("selector")), nil)
	}
	ports, _ := spec["ports"].([]any)
	names, numbers := map[string]bool{}, map[string]bool{}
	for i, v := range ports {
		p, _ := v.(map[string]any)
		pp := at.Child("ports").Index(i)
		switch name, _ := p["name"].(string); {
		case name == "" && len(ports) > 1:
			in.add(field.ErrorList{field.Required(pp.Child("name"), "a Service with more than one port names each")}, nil)
		case name != "":
			in.messages(pp.Child("name"), name, validation.IsDNS1123Label(name))
			if names[name] {
				in.finding(name, fmt.Sprintf("%s: Duplicate value: %s", pp.Child("name"), mesh.Quote(name)))
			}
			names[name] = true
		}
		if n, ok := wholeNumber(p["port"]); ok {
			protocol, _ := p["protocol"].(string)
			key := fmt.Sprintf("%d/%s", n, cmp.Or(protocol, "TCP"))
			if numbers[key] {
				in.finding(strconv.FormatInt(n, 10), fmt.Sprintf("%s: Duplicate value: %s", pp, mesh.Quote(key)))
			}
			numbers[key] = true
		}
		in.portNumber(pp.Child("port"), p["port"], false)
		if s, ok := p["targetPort"].(string); ok {
			in.messages(pp.Child("targetPort"), s, validation.IsValidPortName(s))
		} else {
			in.portNumber(pp.Child("targetPort"), p["targetPort"], true)
		}
		in.portNumber(pp.Child("nodePort"), p["nodePort"], true)
	}
}

// podTemplate checks the labels, annotations, container resources and
// container ports of a workload's pod template.
func (in *inspection) podTemplate(spec map[string]any) {
	at := field.NewPath("spec", "template")
	tmpl, _ := spec["template"].(map[string]any)
	md, _ := tmpl["metadata"].(map[string]any)
	labels := in.strings(at.Child("metadata", "labels"), "label", md["labels"])
	in.add(in.rules.labels(labels, at.Child("metadata", "labels")), nil)
	annotations := in.strings(at.Child("metadata", "annotations"), "annotation", md["annotations"])
	in.add(in.rules.annotations(annotations, at.Child("metadata", "annotations")), annotations)
	pod, _ := tmpl["spec"].(map[string]any)
	for _, list := range []string{"initContainers", "containers"} {
		containers, _ := pod[list].([]any)
		for i, c := range containers {
			cm, _ := c.(map[string]any)
			in.containerResources(at.Child("spec", list).Index(i).Child("resources"), cm["resources"])
			ports, _ := cm["ports"].([]any)
			for j, p := range ports {
				pm, _ := p.(map[string]any)
				pp := at.Child("spec", list).Index(i).Child("ports").Index(j)
				in.portNumber(pp.Child("containerPort"), pm["containerPort"], false)
				in.portNumber(pp.Child("hostPort"), pm["hostPort"], true)
				if name, ok := pm["name"].(string); ok && name != "" {
					in.messages(pp.Child("name"), name, validation.IsValidPortName(name))
				}
			}
		}
	}
}

// portNumber checks a port number; 0 and absent are allowed where the
// field is optional.
func (in *inspection) portNumber(at *field.Path, v any, optional bool) {
	n, ok := wholeNumber(v)
	if !ok || optional && n == 0 {
		return
	}
	in.messages(at, strconv.FormatInt(n, 10), validation.IsValidPortNum(int(n)))
}

// messages records the messages of one of apimachinery's Is... checks.
func (in *inspection) messages(at *field.Path, value string, msgs []string) {
	for _, m := range msgs {
		in.add(field.ErrorList{field.Invalid(at, value, m)}, nil)
	}
}

// wholeNumber reads a number of a parsed object, whichever parser made
// it.
func wholeNumber(v any) (int64, bool) {
	switch n := v.(type) {
	case int:
		return int64(n), true
	case int64:
		return n, true
	case float64:
		if n == float64(int64(n)) {
			return int64(n), true
		}
	}
	return 0, false
}

// inspectCRDs inspects the CRDs spliced from the precomputed bundle by
// their names and the labels the chart computed; the rest of each CRD is
// constant, and TestBundledCRDsPassObjectRules inspects it whole.
func inspectCRDs(component string, rs []Resource, labels map[string]any, rules *labelRules) []finding {
	var out []finding
	for _, r := range rs {
		out = append(out, inspectObject(component, map[string]any{
			"apiVersion": r.APIVersion, "kind": r.Kind,
			"metadata": map[string]any{"name": r.Name, "labels": labels},
		}, rules)...)
	}
	return out
}
