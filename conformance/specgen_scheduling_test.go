package conformance_test

import (
	"fmt"
	"math"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/istio-render/istio-render/mesh"
)

// scheduling generates where a Deployment's pods run: a node selector,
// tolerations, a priority class and an affinity, each now and then.
func (d *draft) scheduling() mesh.Scheduling {
	var s mesh.Scheduling
	if d.chance(0.25) {
		s.NodeSelector = map[string]string{}
		for range 1 + d.intn(3) {
			s.NodeSelector[d.qualifiedName()] = d.labelValue()
		}
	}
	if d.chance(0.3) {
		s.Tolerations = d.tolerations()
	}
	if d.chance(0.25) {
		s.PriorityClassName = pick(d.gen, "system-cluster-critical", "high-priority", d.dnsSubdomain(253))
	}
	if d.chance(0.3) {
		s.Affinity = d.affinity()
	}
	return s
}

// daemonScheduling generates where a node agent (the CNI agent, ztunnel)
// runs.
func (d *draft) daemonScheduling() mesh.DaemonScheduling {
	var s mesh.DaemonScheduling
	if d.chance(0.35) {
		s.Affinity = d.affinity()
	}
	if d.chance(0.35) {
		s.Tolerations = d.tolerations()
	}
	return s
}

// tolerations generates one to four tolerations: an empty key only with
// Exists, a value only with Equal, seconds only with NoExecute.
func (d *draft) tolerations() []mesh.Toleration {
	var out []mesh.Toleration
	for range 1 + d.intn(4) {
		t := mesh.Toleration{Operator: pick(d.gen, "", "Equal", "Exists")}
		if t.Operator != "Exists" || d.chance(0.7) {
			t.Key = pick(d.gen, "example.com/dedicated", "node-role.kubernetes.io/infra", d.qualifiedName())
		}
		if t.Operator != "Exists" {
			t.Value = d.labelValue()
		}
		t.Effect = pick(d.gen, "", "NoSchedule", "PreferNoSchedule", "NoExecute")
		if t.Effect == "NoExecute" && d.chance(0.5) {
			t.TolerationSeconds = ptr(pick(d.gen, int32(0), 60, 3600, math.MaxInt32))
		}
		out = append(out, t)
	}
	return out
}

// affinity generates a Kubernetes affinity: node affinity (required and
// preferred terms, by label and by field), pod affinity and pod
// anti-affinity, each part now and then, always one at least.
func (d *draft) affinity() *corev1.Affinity {
	a := &corev1.Affinity{}
	for *a == (corev1.Affinity{}) {
		if d.chance(0.5) {
			n := &corev1.NodeAffinity{}
			if d.chance(0.6) {
				sel := &corev1.NodeSelector{}
				for range 1 + d.intn(2) {
					sel.NodeSelectorTerms = append(sel.NodeSelectorTerms, d.nodeSelectorTerm())
				}
				n.RequiredDuringSchedulingIgnoredDuringExecution = sel
			}
			if d.chance(0.6) {
				for range 1 + d.intn(2) {
					n.PreferredDuringSchedulingIgnoredDuringExecution = append(n.PreferredDuringSchedulingIgnoredDuringExecution,
						corev1.PreferredSchedulingTerm{Weight: d.weight(), Preference: d.nodeSelectorTerm()})
				}
			}
			a.NodeAffinity = n
		}
		if d.chance(0.5) {
			req, pref := d.podAffinityTerms()
			a.PodAffinity = &corev1.PodAffinity{RequiredDuringSchedulingIgnoredDuringExecution: req, PreferredDuringSchedulingIgnoredDuringExecution: pref}
		}
		if d.chance(0.5) {
			req, pref := d.podAffinityTerms()
			a.PodAntiAffinity = &corev1.PodAntiAffinity{RequiredDuringSchedulingIgnoredDuringExecution: req, PreferredDuringSchedulingIgnoredDuringExecution: pref}
		}
	}
	return a
}

// weight is the weight of a preferred term, 1 to 100.
func (d *draft) weight() int32 { return pick(d.gen, int32(1), 10, 50, 100) }

// nodeSelectorTerm generates a term of requirements on node labels
// and, now and then, on the node's name (the only field a term may name).
func (d *draft) nodeSelectorTerm() corev1.NodeSelectorTerm {
	var t corev1.NodeSelectorTerm
	for len(t.MatchExpressions) == 0 && len(t.MatchFields) == 0 {
		if d.chance(0.8) {
			for range 1 + d.intn(2) {
				r := corev1.NodeSelectorRequirement{
					Key:      pick(d.gen, "kubernetes.io/arch", "node.kubernetes.io/instance-type", "example.com/cores", d.qualifiedName()),
					Operator: corev1.NodeSelectorOperator(pick(d.gen, "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt")),
				}
				switch r.Operator {
				case "In", "NotIn":
					for range 1 + d.intn(3) {
						r.Values = append(r.Values, d.labelValue())
					}
				case "Gt", "Lt":
					r.Values = []string{fmt.Sprint(pick(d.gen, 0, 4, 64, 1000000))}
				}
				t.MatchExpressions = append(t.MatchExpressions, r)
			}
		}
		if d.chance(0.4) {
			t.MatchFields = []corev1.NodeSelectorRequirement{{
				Key: "metadata.name", Operator: corev1.NodeSelectorOperator(pick(d.gen, "In", "NotIn")),
				Values: []string{d.dnsSubdomain(253)},
			}}
		}
	}
	return t
}

// podAffinityTerms generates required and preferred pod affinity terms,
// one kind at least.
func (d *draft) podAffinityTerms() ([]corev1.PodAffinityTerm, []corev1.WeightedPodAffinityTerm) {
	var req []corev1.PodAffinityTerm
	var pref []corev1.WeightedPodAffinityTerm
	for len(req) == 0 && len(pref) == 0 {
		if d.chance(0.5) {
			for range 1 + d.intn(2) {
				req = append(req, d.podAffinityTerm())
			}
		}
		if d.chance(0.6) {
			for range 1 + d.intn(2) {
				pref = append(pref, corev1.WeightedPodAffinityTerm{Weight: d.weight(), PodAffinityTerm: d.podAffinityTerm()})
			}
		}
	}
	return req, pref
}

// podAffinityTerm generates a term over the pods a label selector picks,
// in the namespaces named or selected. The keys of matchLabelKeys and
// mismatchLabelKeys are their own: the API server refuses a key in both,
// or one the label selector already has.
func (d *draft) podAffinityTerm() corev1.PodAffinityTerm {
	t := corev1.PodAffinityTerm{TopologyKey: pick(d.gen, "kubernetes.io/hostname", "topology.kubernetes.io/zone", d.qualifiedName())}
	// A term without a label selector matches no pod: validation refuses it.
	t.LabelSelector = d.labelSelector("app", "example.com/tier")
	if d.chance(0.4) {
		t.MatchLabelKeys = []string{"pod-template-hash"}
	}
	if d.chance(0.5) {
		t.MismatchLabelKeys = []string{"example.com/tenant"}
	}
	if d.chance(0.6) {
		t.NamespaceSelector = d.labelSelector("kubernetes.io/metadata.name", "example.com/team")
	}
	if d.chance(0.4) {
		for range 1 + d.intn(3) {
			t.Namespaces = append(t.Namespaces, d.dnsLabel(63, false))
		}
	}
	return t
}

// labelSelector generates a selector of matchLabels under key and
// matchExpressions on exprKey, one of the two at least.
func (d *draft) labelSelector(key, exprKey string) *metav1.LabelSelector {
	s := &metav1.LabelSelector{}
	for len(s.MatchLabels) == 0 && len(s.MatchExpressions) == 0 {
		if d.chance(0.6) {
			s.MatchLabels = map[string]string{key: pick(d.gen, words...)}
		}
		if d.chance(0.7) {
			r := metav1.LabelSelectorRequirement{Key: exprKey, Operator: metav1.LabelSelectorOperator(pick(d.gen, "In", "In", "NotIn", "NotIn", "Exists", "DoesNotExist"))}
			if r.Operator == "In" || r.Operator == "NotIn" {
				for range 1 + d.intn(3) {
					r.Values = append(r.Values, d.labelValue())
				}
			}
			s.MatchExpressions = append(s.MatchExpressions, r)
		}
	}
	return s
}
