package mesh

import corev1 "k8s.io/api/core/v1"

// Scheduling chooses the nodes a Deployment's pods run on (istiod, a
// gateway). Each field goes to the chart's own value of the same name.
type Scheduling struct {
	// NodeSelector limits the pods to nodes with these labels, e.g.
	// node-role.example.com/infra: "true".
	NodeSelector map[string]string `json:"nodeSelector,omitempty"`
	// Tolerations let the pods run on nodes with matching taints, such as
	// dedicated infrastructure nodes.
	Tolerations []Toleration `json:"tolerations,omitempty"`
	// PriorityClassName of the pods, e.g. system-cluster-critical. The
	// PriorityClass must exist in the cluster.
	PriorityClassName string `json:"priorityClassName,omitempty"`
	// Affinity is a Kubernetes pod affinity (nodeAffinity, podAffinity,
	// podAntiAffinity), written as in a pod spec. It composes with
	// antiAffinity: that setting's term is added after the
	// podAntiAffinity terms given here.
	Affinity *corev1.Affinity `json:"affinity,omitempty"`
}

// DaemonScheduling chooses the nodes a node agent DaemonSet (the CNI agent,
// ztunnel) runs on. Its pods always run at system-node-critical priority
// and on Linux nodes, as the charts set them.
type DaemonScheduling struct {
	// Affinity is a Kubernetes pod affinity, written as in a pod spec;
	// nodeAffinity keeps the agent off nodes it must not run on.
	Affinity *corev1.Affinity `json:"affinity,omitempty"`
	// Tolerations replace the chart's, which tolerate every NoSchedule and
	// NoExecute taint so that the agent runs on every node. A node whose
	// taints these do not tolerate gets no agent, and its pods cannot join
	// the mesh.
	Tolerations []Toleration `json:"tolerations,omitempty"`
}

// Toleration lets pods run on nodes with a matching taint.
type Toleration struct {
	// Key of the taint; empty with operator Exists matches every taint.
	Key string `json:"key,omitempty"`
	// Operator: Equal (default), which compares the value, or Exists.
	Operator string `json:"operator,omitempty"`
	// Value the taint must have with operator Equal.
	Value string `json:"value,omitempty"`
	// Effect of the taints matched: NoSchedule, PreferNoSchedule or
	// NoExecute. Empty matches every effect.
	Effect string `json:"effect,omitempty"`
	// TolerationSeconds a pod stays on a node after a NoExecute taint
	// appears; only with effect NoExecute. Empty: forever.
	TolerationSeconds *int32 `json:"tolerationSeconds,omitempty"`
}

// IsZero reports whether the scheduling sets nothing.
func (s *Scheduling) IsZero() bool {
	return len(s.NodeSelector) == 0 && len(s.Tolerations) == 0 && s.PriorityClassName == "" && s.Affinity == nil
}
