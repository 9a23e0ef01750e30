package behaviour_test

import (
	"crypto/ed25519"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"hash/fnv"
	"math/big"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"
)

// pod stamps out the first pod of a workload the way the Deployment (via
// its ReplicaSet) or DaemonSet controller does: generated name, owner
// reference, template hash label, scheduled on the node. The result is
// what reaches admission, so it has no status yet.
func (w workload) pod() *corev1.Pod {
	hash := shortHash(w.id())
	p := &corev1.Pod{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: *w.template.ObjectMeta.DeepCopy(),
		Spec:       *w.template.Spec.DeepCopy(),
	}
	p.Namespace = w.namespace
	if p.Labels == nil {
		p.Labels = map[string]string{}
	}
	switch w.kind {
	case "Deployment":
		rs := w.name + "-" + hash
		p.GenerateName = rs + "-"
		p.Name = rs + "-abcde"
		p.Labels[appsv1.DefaultDeploymentUniqueLabelKey] = hash
		p.OwnerReferences = []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: rs, UID: types.UID("uid-" + rs), Controller: ptr.To(true)}}
	case "DaemonSet":
		p.GenerateName = w.name + "-"
		p.Name = w.name + "-abcde"
		p.Labels[appsv1.ControllerRevisionHashLabelKey] = hash
		p.OwnerReferences = []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "DaemonSet", Name: w.name, UID: types.UID("uid-" + w.name), Controller: ptr.To(true)}}
	}
	if p.Spec.ServiceAccountName == "" {
		p.Spec.ServiceAccountName = "default"
	}
	p.Spec.NodeName = nodeName
	return p
}

// running gives an admitted pod the status the kubelet reports, and, in
// an ambient namespace, the annotation the CNI node agent sets once it
// redirects the pod's traffic to ztunnel.
func running(p *corev1.Pod, id string, ambient bool) *corev1.Pod {
	p = p.DeepCopy()
	ip := podIP(id)
	if p.Spec.HostNetwork {
		ip = "10.255.0.1"
	}
	p.Status = corev1.PodStatus{
		Phase:  corev1.PodRunning,
		PodIP:  ip,
		PodIPs: []corev1.PodIP{{IP: ip}},
		HostIP: "10.255.0.1",
		Conditions: []corev1.PodCondition{
			{Type: corev1.PodReady, Status: corev1.ConditionTrue},
			{Type: corev1.ContainersReady, Status: corev1.ConditionTrue},
		},
	}
	if ambient && !p.Spec.HostNetwork {
		if p.Annotations == nil {
			p.Annotations = map[string]string{}
		}
		p.Annotations["ambient.istio.io/redirection"] = "enabled"
	}
	return p
}

// selfSigned is a fixed certificate: an Ed25519 key from a constant seed,
// valid from 2000 to 9999, so the same bytes come out on every run.
func selfSigned(t testing.TB) (certPEM, keyPEM []byte) {
	t.Helper()
	key := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "istio-render-proof"},
		NotBefore:             time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:              time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC),
		DNSNames:              []string{"*"},
		BasicConstraintsValid: true,
		IsCA:                  true,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(nil, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	pk, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pk})
}

// shortHash is a stable stand-in for a controller's template hash.
func shortHash(s string) string {
	h := fnv.New32a()
	h.Write([]byte(s))
	const alphabet = "bcdfghjklmnpqrstvwxz2456789"
	v := h.Sum32()
	var b strings.Builder
	for range 9 {
		b.WriteByte(alphabet[v%uint32(len(alphabet))])
		v /= uint32(len(alphabet))
		if v == 0 {
			v = h.Sum32() ^ 0x9e3779b9
		}
	}
	return b.String()
}

// podIP and clusterIP are stable addresses derived from a name.
func podIP(id string) string {
	h := fnv.New32a()
	h.Write([]byte(id))
	v := h.Sum32()
	return fmt.Sprintf("10.%d.%d.%d", 1+v%200, (v>>8)%250, 2+(v>>16)%250)
}

func clusterIP(id string) string {
	h := fnv.New32a()
	h.Write([]byte(id))
	v := h.Sum32()
	return fmt.Sprintf("172.20.%d.%d", v%250, 2+(v>>8)%250)
}
