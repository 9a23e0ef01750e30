package mesh

import (
	"fmt"
	"maps"
	"slices"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
)

var (
	tolerationOperators = []string{"", "Equal", "Exists"}
	taintEffects        = []string{"", "NoSchedule", "PreferNoSchedule", "NoExecute"}
	nodeOperators       = []string{"In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"}
	labelOperators      = []string{"In", "NotIn", "Exists", "DoesNotExist"}
)

// validate checks a Deployment's node selector, tolerations, priority class
// and affinity.
func (s *Scheduling) validate(p *problems, at string) {
	for _, k := range slices.Sorted(maps.Keys(s.NodeSelector)) {
		if errs := validation.IsQualifiedName(k); len(errs) > 0 {
			p.errorf(at+".nodeSelector", "label key %s: %s", quote(k), joinMessages(errs))
		}
		labelValue(p, keyAt(at+".nodeSelector", k), s.NodeSelector[k])
	}
	tolerations(p, at+".tolerations", s.Tolerations)
	if s.PriorityClassName != "" {
		dns1123Subdomain(p, at+".priorityClassName", s.PriorityClassName)
	}
	affinity(p, at+".affinity", s.Affinity)
}

// validate checks a node agent's affinity and tolerations; replacing the
// chart's tolerations draws a warning.
func (d *DaemonScheduling) validate(p *problems, at, agent string) {
	affinity(p, at+".affinity", d.Affinity)
	tolerations(p, at+".tolerations", d.Tolerations)
	if len(d.Tolerations) > 0 {
		p.warnf(at+".tolerations", "these replace the chart's tolerations, which tolerate every NoSchedule and NoExecute taint: a node with a taint these do not tolerate gets no %s, and its pods cannot join the mesh", agent)
	}
}

// tolerations checks each toleration as Kubernetes does.
func tolerations(p *problems, at string, ts []Toleration) {
	for i, t := range ts {
		tp := fmt.Sprintf("%s[%d]", at, i)
		oneOf(p, tp+".operator", t.Operator, tolerationOperators...)
		oneOf(p, tp+".effect", t.Effect, taintEffects...)
		if t.Key != "" {
			if errs := validation.IsQualifiedName(t.Key); len(errs) > 0 {
				p.errorf(tp+".key", "%s: %s", quote(t.Key), joinMessages(errs))
			}
		} else if t.Operator != "Exists" {
			p.errorf(tp+".operator", "an empty key matches every taint only with operator Exists")
		}
		switch {
		case t.Operator == "Exists" && t.Value != "":
			p.errorf(tp+".value", "must be empty with operator Exists")
		case t.Value != "":
			labelValue(p, tp+".value", t.Value)
		}
		if s := t.TolerationSeconds; s != nil {
			if t.Effect != "NoExecute" {
				p.errorf(tp+".tolerationSeconds", "only applies to effect NoExecute")
			}
			if *s < 0 {
				p.errorf(tp+".tolerationSeconds", "%d: must not be negative", *s)
			}
		}
	}
}

// affinity checks what the API server would reject in an affinity: weights
// outside 1-100, terms without a topology key, empty node selector terms,
// and unknown operators.
func affinity(p *problems, at string, a *corev1.Affinity) {
	if a == nil {
		return
	}
	if n := a.NodeAffinity; n != nil {
		np := at + ".nodeAffinity"
		if r := n.RequiredDuringSchedulingIgnoredDuringExecution; r != nil {
			rp := np + ".requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms"
			if len(r.NodeSelectorTerms) == 0 {
				p.errorf(rp, "required: at least one term")
			}
			for i, t := range r.NodeSelectorTerms {
				nodeSelectorTerm(p, fmt.Sprintf("%s[%d]", rp, i), t)
			}
		}
		for i, t := range n.PreferredDuringSchedulingIgnoredDuringExecution {
			tp := fmt.Sprintf("%s.preferredDuringSchedulingIgnoredDuringExecution[%d]", np, i)
			weight(p, tp+".weight", t.Weight)
			nodeSelectorTerm(p, tp+".preference", t.Preference)
		}
	}
	if a.PodAffinity != nil {
		podAffinityTerms(p, at+".podAffinity", a.PodAffinity.RequiredDuringSchedulingIgnoredDuringExecution, a.PodAffinity.PreferredDuringSchedulingIgnoredDuringExecution)
	}
	if a.PodAntiAffinity != nil {
		podAffinityTerms(p, at+".podAntiAffinity", a.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution, a.PodAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution)
	}
}

func nodeSelectorTerm(p *problems, at string, t corev1.NodeSelectorTerm) {
	if len(t.MatchExpressions) == 0 && len(t.MatchFields) == 0 {
		p.errorf(at, "empty: give matchExpressions or matchFields")
	}
	for i, r := range t.MatchExpressions {
		nodeRequirement(p, fmt.Sprintf("%s.matchExpressions[%d]", at, i), r, true)
	}
	for i, r := range t.MatchFields {
		nodeRequirement(p, fmt.Sprintf("%s.matchFields[%d]", at, i), r, false)
	}
}

func nodeRequirement(p *problems, at string, r corev1.NodeSelectorRequirement, labelKey bool) {
	if r.Key == "" {
		p.errorf(at+".key", "required")
	} else if labelKey {
		if errs := validation.IsQualifiedName(r.Key); len(errs) > 0 {
			p.errorf(at+".key", "%s: %s", quote(r.Key), joinMessages(errs))
		}
	}
	op := string(r.Operator)
	oneOf(p, at+".operator", op, nodeOperators...)
	switch op {
	case "In", "NotIn":
		if len(r.Values) == 0 {
			p.errorf(at+".values", "required for operator %s", op)
		}
	case "Exists", "DoesNotExist":
		if len(r.Values) > 0 {
			p.errorf(at+".values", "must be empty for operator %s", op)
		}
	case "Gt", "Lt":
		if len(r.Values) != 1 {
			p.errorf(at+".values", "operator %s takes exactly one value, a whole number", op)
		}
	}
}

func podAffinityTerms(p *problems, at string, required []corev1.PodAffinityTerm, preferred []corev1.WeightedPodAffinityTerm) {
	for i, t := range required {
		podAffinityTerm(p, fmt.Sprintf("%s.requiredDuringSchedulingIgnoredDuringExecution[%d]", at, i), t)
	}
	for i, t := range preferred {
		tp := fmt.Sprintf("%s.preferredDuringSchedulingIgnoredDuringExecution[%d]", at, i)
		weight(p, tp+".weight", t.Weight)
		podAffinityTerm(p, tp+".podAffinityTerm", t.PodAffinityTerm)
	}
}

func podAffinityTerm(p *problems, at string, t corev1.PodAffinityTerm) {
	if t.TopologyKey == "" {
		p.errorf(at+".topologyKey", "required, e.g. kubernetes.io/hostname")
	} else if errs := validation.IsQualifiedName(t.TopologyKey); len(errs) > 0 {
		p.errorf(at+".topologyKey", "%s: %s", quote(t.TopologyKey), joinMessages(errs))
	}
	if t.LabelSelector == nil {
		// The API server warns of it: a null selector matches nothing.
		p.errorf(at+".labelSelector", "required: a term without one matches no pod, e.g. {matchLabels: {app: istiod}}")
	}
	labelSelector(p, at+".labelSelector", t.LabelSelector)
	labelSelector(p, at+".namespaceSelector", t.NamespaceSelector)
}

func labelSelector(p *problems, at string, s *metav1.LabelSelector) {
	if s == nil {
		return
	}
	labels(p, at+".matchLabels", s.MatchLabels)
	for i, r := range s.MatchExpressions {
		rp := fmt.Sprintf("%s.matchExpressions[%d]", at, i)
		if errs := validation.IsQualifiedName(r.Key); len(errs) > 0 {
			p.errorf(rp+".key", "%s: %s", quote(r.Key), joinMessages(errs))
		}
		op := string(r.Operator)
		oneOf(p, rp+".operator", op, labelOperators...)
		switch {
		case (op == "In" || op == "NotIn") && len(r.Values) == 0:
			p.errorf(rp+".values", "required for operator %s", op)
		case (op == "Exists" || op == "DoesNotExist") && len(r.Values) > 0:
			p.errorf(rp+".values", "must be empty for operator %s", op)
		}
	}
}

func weight(p *problems, at string, w int32) {
	if w < 1 || w > 100 {
		p.errorf(at, "%d: must be from 1 to 100", w)
	}
}
