package mesh

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/validation"
)

var (
	semverRE    = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$`)
	hubRE       = regexp.MustCompile(`^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]+)?(/[a-z0-9]([a-z0-9._/-]*[a-z0-9])?)*$`)
	hostPortRE  = regexp.MustCompile(`^[A-Za-z0-9.-]+:[0-9]{1,5}$`)
	variants    = []string{"", "debug", "distroless"}
	logLevels   = []string{"debug", "info", "warn", "error"}
	proxyLevels = []string{"trace", "debug", "info", "warning", "error", "critical", "off"}
)

// validate records every problem of a defaulted spec.
func (m *IstioMesh) validate(p *problems) {
	if m.Metadata.Name == "" {
		p.errorf("metadata.name", "required")
	} else {
		dns1123Subdomain(p, "metadata.name", m.Metadata.Name)
	}
	s := &m.Spec
	if !semverRE.MatchString(s.Version) {
		p.errorf("spec.version", "%s is not an Istio version such as %s", quote(s.Version), DefaultVersion)
	}
	if !hubRE.MatchString(s.Hub) {
		p.errorf("spec.hub", "%s is not an image registry such as %s", quote(s.Hub), DefaultHub)
	}
	oneOf(p, "spec.variant", s.Variant, variants...)
	revisions := s.revisionNames()
	if s.Revision != "" {
		revision(p, "spec.revision", s.Revision)
	}
	tags := map[string]string{}
	for i, t := range s.RevisionTags {
		revisionTag(p, fmt.Sprintf("spec.revisionTags[%d]", i), t, tags, revisions)
	}
	if c := s.Canary; c != nil {
		switch {
		case c.Revision == "":
			p.errorf("spec.canary.revision", "required: the canary needs a revision of its own")
		case c.Revision == s.Revision:
			p.errorf("spec.canary.revision", "%s is also spec.revision: the canary needs a revision of its own", quote(c.Revision))
		default:
			revision(p, "spec.canary.revision", c.Revision)
		}
		if !semverRE.MatchString(c.Version) {
			p.errorf("spec.canary.version", "%s is not an Istio version such as %s", quote(c.Version), DefaultVersion)
		}
		for i, t := range c.RevisionTags {
			revisionTag(p, fmt.Sprintf("spec.canary.revisionTags[%d]", i), t, tags, revisions)
		}
	}
	if s.UsesRevisions() {
		s.validateRevisions(p, tags)
	}
	s.validateUpgrade(p, tags)
	dns1123Label(p, "spec.rootNamespace", s.RootNamespace)
	chartText(p, "spec.rootNamespace", s.RootNamespace, namespaceWriter)
	if !kubeVendorRE.MatchString(s.KubernetesVersion) {
		p.errorf("spec.kubernetesVersion", "%s is not a Kubernetes version such as %s", quote(s.KubernetesVersion), DefaultKubernetesVersion)
	} else {
		s.checkKubernetesSupport(p)
		s.checkKubernetesVendor(p)
	}
	if !s.IsRemote() {
		s.ControlPlane.Workload.validate(p, "spec.controlPlane", "istiod", "istiod")
	}
	oneOf(p, "spec.controlPlane.logLevel", s.ControlPlane.LogLevel, append([]string{""}, logLevels...)...)
	s.Proxy.Resources.validate(p, "spec.proxy.resources")
	s.checkResourceDefaults(p)
	oneOf(p, "spec.proxy.logLevel", s.Proxy.LogLevel, append([]string{""}, proxyLevels...)...)
	dns1123Label(p, "spec.cni.namespace", s.CNI.Namespace)
	if s.CNI.Namespace != s.RootNamespace {
		chartText(p, "spec.cni.namespace", s.CNI.Namespace, namespaceWriter)
	}
	s.Mesh.validate(p)
	if s.Ambient.Enabled && s.Mesh.ClusterName != "" {
		chartText(p, "spec.mesh.clusterName", s.Mesh.ClusterName, "the ztunnel chart writes it unquoted as the value of ISTIO_META_CLUSTER_ID, which would not be text")
	}
	gateways := s.validateGateways(p)
	s.validateGatewayAPI(p)
	s.validateNamespaces(p, gateways, tags)
	s.validateRawValues(p)
	s.validateRawNamespaces(p)
	s.Mesh.tracingPort(p)
	s.GitOps.validate(p)
	s.validateDayTwo(p, gateways)
}

// revisionNames lists the control plane revisions the spec installs; with
// spec.revisions, the default revision is "default".
func (s *Spec) revisionNames() map[string]bool {
	if s.UsesRevisions() {
		r := map[string]bool{}
		for _, d := range s.Istiods() {
			r[d.Label()] = true
		}
		return r
	}
	r := map[string]bool{s.Revision: true}
	if s.Canary != nil {
		r[s.Canary.Revision] = true
	}
	return r
}

func (mc *MeshConfig) validate(p *problems) {
	oneOf(p, "spec.mesh.mtls", mc.MTLS, "", "STRICT", "PERMISSIVE")
	oneOf(p, "spec.mesh.outboundTrafficPolicy", mc.OutboundTrafficPolicy, "", "ALLOW_ANY", "REGISTRY_ONLY")
	if f := mc.AccessLogFile; f != "" && !strings.HasPrefix(f, "/") {
		p.errorf("spec.mesh.accessLogFile", "%s must be an absolute path such as /dev/stdout", quote(f))
	}
	if t := mc.Tracing; t != nil {
		switch {
		case t.Sampling != nil && (*t.Sampling < 0 || *t.Sampling > 100):
			p.errorf("spec.mesh.tracing.sampling", "%v is not a percentage from 0 to 100", *t.Sampling)
		case t.Sampling != nil && *t.Sampling == 0:
			p.errorf("spec.mesh.tracing.sampling", "0 traces no request; remove spec.mesh.tracing instead, or give a percentage above 0, such as 0.1")
		}
		oneOf(p, "spec.mesh.tracing.provider", t.Provider, "", "zipkin", "opentelemetry")
		switch {
		case t.Address == "":
			p.errorf("spec.mesh.tracing.address", "required: the collector's host:port, e.g. zipkin.istio-system:9411; without it nothing is traced")
		case !hostPortRE.MatchString(t.Address):
			p.errorf("spec.mesh.tracing.address", "%s is not host:port, e.g. jaeger-collector.observability:9411", quote(t.Address))
		}
	}
	mc.validateExtensionProviders(p)
	dns1123Subdomain(p, "spec.mesh.trustDomain", mc.TrustDomain)
	for _, f := range []struct{ name, v string }{
		{"meshID", mc.MeshID}, {"clusterName", mc.ClusterName}, {"network", mc.Network},
	} {
		if f.v != "" {
			labelValue(p, "spec.mesh."+f.name, f.v)
		}
	}
}

// validate checks a workload's sizing and placement. Errors name the
// workload by what it is (istiod, a gateway), because its name may be what
// is invalid; the single-replica warning names it by name, which is
// then a DNS label: warnings come back only with a valid spec.
func (w *Workload) validate(p *problems, at, what, named string) {
	if w.Replicas != nil && w.Autoscale != nil {
		p.errorf(at+".replicas", "set replicas or autoscale, not both%s", p.origin.conflictHint(at, "replicas", "autoscale"))
	}
	if w.Replicas != nil && *w.Replicas < 1 {
		p.errorf(at+".replicas", "%d: %s needs at least 1 replica", *w.Replicas, what)
	}
	if a := w.Autoscale; a != nil {
		if a.Min < 1 {
			p.errorf(at+".autoscale.min", "%d: must be at least 1", a.Min)
		}
		if a.Max < a.Min {
			p.errorf(at+".autoscale.max", "%d is less than min %d", a.Max, a.Min)
		}
	}
	w.Resources.validate(p, at+".resources")
	if b := w.PodDisruptionBudget; b != nil {
		if b.MinAvailable != nil && b.MaxUnavailable != nil {
			p.errorf(at+".podDisruptionBudget", "set minAvailable or maxUnavailable, not both%s", p.origin.conflictHint(at+".podDisruptionBudget", "minAvailable", "maxUnavailable"))
		}
		if b.MinAvailable != nil {
			if err := b.MinAvailable.validate(); err != nil {
				p.errorf(at+".podDisruptionBudget.minAvailable", "%v", err)
			}
		}
		if b.MaxUnavailable != nil {
			if err := b.MaxUnavailable.validate(); err != nil {
				p.errorf(at+".podDisruptionBudget.maxUnavailable", "%v", err)
			} else if b.MaxUnavailable.isZero() {
				p.errorf(at+".podDisruptionBudget.maxUnavailable", "0 lets no pod be evicted, which blocks node drains; use 1 or more")
			}
		}
		if m := b.MinAvailable; m != nil && m.validate() == nil {
			switch n := w.MinReplicas(); {
			case m.Str != nil && *m.Str == "100%":
				p.errorf(at+".podDisruptionBudget.minAvailable", "100%% lets no pod be evicted, which blocks node drains")
			case m.Int != nil && *m.Int >= n && n >= 2:
				p.errorf(at+".podDisruptionBudget.minAvailable", "%d of at least %d replicas lets no pod be evicted, which blocks node drains; use at most %d", *m.Int, n, n-1)
			case m.Int != nil && *m.Int == 0 || m.Str != nil && *m.Str == "0%":
				p.errorf(at+".podDisruptionBudget.minAvailable", "0 protects nothing (the istiod chart drops it); use 1 or more, or disable the budget")
			}
		}
	}
	keys := map[string]bool{}
	for i, ts := range w.TopologySpread {
		ip := fmt.Sprintf("%s.topologySpread[%d]", at, i)
		if ts.TopologyKey == "" {
			p.errorf(ip+".topologyKey", "required, e.g. topology.kubernetes.io/zone")
		} else if errs := validation.IsQualifiedName(ts.TopologyKey); len(errs) > 0 {
			p.errorf(ip+".topologyKey", "%s: %s", quote(ts.TopologyKey), joinMessages(errs))
		} else if keys[ts.TopologyKey] {
			p.errorf(ip+".topologyKey", "duplicate %s", quote(ts.TopologyKey))
		}
		keys[ts.TopologyKey] = true
		if ts.MaxSkew < 0 {
			p.errorf(ip+".maxSkew", "%d: must be at least 1", ts.MaxSkew)
		}
		oneOf(p, ip+".whenUnsatisfiable", ts.WhenUnsatisfiable, "", "ScheduleAnyway", "DoNotSchedule")
	}
	oneOf(p, at+".antiAffinity", w.AntiAffinity, "", "preferred", "required")
	w.Scheduling.validate(p, at)
	if strings.HasPrefix(named, "gateway ") && w.PriorityClassName != "" {
		chartText(p, at+".priorityClassName", w.PriorityClassName, "the gateway chart writes it unquoted, which would not be text")
	}
	if n := w.MinReplicas(); n < 2 {
		p.warnf(at, "%s runs %d replica: no PodDisruptionBudget is rendered, because a budget for a single pod blocks node drains; run 2 or more replicas for high availability", named, n)
	}
}

// validate checks quantities and that no request exceeds its limit.
func (r *Resources) validate(p *problems, at string) {
	if r == nil {
		return
	}
	amounts := func(a *ResourceAmounts, name string) map[string]resource.Quantity {
		out := map[string]resource.Quantity{}
		if a == nil {
			return out
		}
		for _, q := range []struct {
			key string
			v   Quantity
		}{{"cpu", a.CPU}, {"memory", a.Memory}} {
			if q.v == "" {
				continue
			}
			if err := q.v.validate(); err != nil {
				p.errorf(at+"."+name+"."+q.key, "%s: %v", quote(string(q.v)), err)
				continue
			}
			out[q.key] = resource.MustParse(string(q.v))
		}
		return out
	}
	req, lim := amounts(r.Requests, "requests"), amounts(r.Limits, "limits")
	for _, k := range []string{"cpu", "memory"} {
		rq, ok1 := req[k]
		lq, ok2 := lim[k]
		if ok1 && ok2 && rq.Cmp(lq) > 0 {
			p.errorf(at+".requests."+k, "%s is more than the limit %s", rq.String(), lq.String())
		}
	}
}

// oneOf records an error unless v is one of the allowed values.
func oneOf(p *problems, at, v string, allowed ...string) {
	for _, a := range allowed {
		if v == a {
			return
		}
	}
	var shown []string
	for _, a := range allowed {
		if a != "" {
			shown = append(shown, a)
		}
	}
	p.errorf(at, "unsupported value %s: must be one of %s", quote(v), strings.Join(shown, ", "))
}

func dns1123Label(p *problems, at, v string) {
	if errs := validation.IsDNS1123Label(v); len(errs) > 0 {
		p.errorf(at, "%s is not a valid name: %s", quote(v), joinMessages(errs))
	}
}

func dns1123Subdomain(p *problems, at, v string) {
	if errs := validation.IsDNS1123Subdomain(v); len(errs) > 0 {
		p.errorf(at, "%s is not a valid name: %s", quote(v), joinMessages(errs))
	}
}

// joinMessages joins Kubernetes validation messages, dropping the regular
// expressions they quote.
func joinMessages(msgs []string) string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		if before, _, ok := strings.Cut(m, ", regex used for validation is"); ok {
			m = before + ")"
		}
		out[i] = m
	}
	return strings.Join(out, "; ")
}

func labelValue(p *problems, at, v string) {
	if errs := validation.IsValidLabelValue(v); len(errs) > 0 {
		p.errorf(at, "%s: %s", quote(v), joinMessages(errs))
	}
}

// labels checks label keys and values.
func labels(p *problems, at string, m map[string]string) {
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if errs := validation.IsQualifiedName(k); len(errs) > 0 {
			p.errorf(at, "label key %s: %s", quote(k), joinMessages(errs))
		}
		labelValue(p, keyAt(at, k), m[k])
	}
}

// annotations checks annotation keys and their total size.
func annotations(p *problems, at string, m map[string]string) {
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if errs := validation.IsQualifiedName(k); len(errs) > 0 {
			p.errorf(at, "annotation key %s: %s", quote(k), joinMessages(errs))
		}
	}
	annotationsSize(p, at, m)
}

// revision checks a control plane revision name, used in object names such
// as istiod-<revision>.
func revision(p *problems, at, v string) {
	if strings.Contains(v, ".") {
		p.errorf(at, "%s must not contain dots; use dashes, e.g. %s", quote(v), quote(strings.ReplaceAll(v, ".", "-")))
		return
	}
	if v == "default" {
		p.errorf(at, "\"default\" is the name of the unrevisioned control plane; leave the revision empty instead")
		return
	}
	if len(validation.IsDNS1123Label(v)) > 0 {
		dns1123Label(p, at, v)
		return
	}
	derivedLength(p, at, v, "a revision", revisionPrefix+"<revision> names a Service and a label value (at most 63)", MaxRevisionLength)
	chartText(p, at, v, "the CNI and ztunnel charts write a revision unquoted into their labels, which would not be text")
}

// revisionTag checks a tag and records it in tags.
func revisionTag(p *problems, at, t string, tags map[string]string, revisions map[string]bool) {
	if len(validation.IsDNS1123Label(t)) > 0 {
		dns1123Label(p, at, t)
	} else {
		derivedLength(p, at, t, "a revision tag", revisionTagPrefix+"<tag> names a Service (at most 63)", MaxRevisionTagLength)
		chartText(p, at, t, tagWriter)
	}
	switch {
	case revisions[t]:
		p.errorf(at, "%s is also a revision name", quote(t))
	case tags[t] != "":
		p.errorf(at, "duplicate revision tag %s (first at %s)", quote(t), tags[t])
	default:
		tags[t] = at
	}
}
