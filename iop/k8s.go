package iop

import (
	"fmt"
	"maps"

	"github.com/istio-render/istio-render/mesh"
)

// overlaysAdvice says what to do with k8s.overlays.
const overlaysAdvice = "patches of the rendered objects: apply them as kustomize patches over the rendered folder (see docs/kustomize.md)"

// chartKeys names, for one chart, the values that hold the k8s settings
// the spec has no field for; "" means the chart has none.
type chartKeys struct {
	chart                                                  string
	nodeSelector, tolerations, affinity, podAnnotations    string
	priorityClassName, imagePullPolicy, serviceAnnotations []string
	volumes, volumeMounts, securityContext, readinessProbe string
	env, envFrom                                           string
	cpuTarget                                              []string
	strategy                                               func(vals *mesh.Values, s *obj)
}

var istiodK8s = chartKeys{
	chart: "istiod", nodeSelector: "nodeSelector", tolerations: "tolerations", affinity: "affinity",
	podAnnotations: "podAnnotations", priorityClassName: []string{"global", "priorityClassName"},
	imagePullPolicy: []string{"global", "imagePullPolicy"}, serviceAnnotations: []string{"serviceAnnotations"},
	volumes: "volumes", volumeMounts: "volumeMounts", env: "env", envFrom: "envVarFrom",
	cpuTarget: []string{"cpu", "targetAverageUtilization"},
	strategy: func(vals *mesh.Values, s *obj) {
		ru := s.sub("rollingUpdate")
		if v, ok := ru.get("maxSurge"); ok {
			setPath(vals, v, "rollingMaxSurge")
		}
		if v, ok := ru.get("maxUnavailable"); ok {
			setPath(vals, v, "rollingMaxUnavailable")
		}
	},
}

var gatewayK8s = chartKeys{
	chart: "gateway", nodeSelector: "nodeSelector", tolerations: "tolerations", affinity: "affinity",
	podAnnotations: "podAnnotations", priorityClassName: []string{"priorityClassName"},
	imagePullPolicy: []string{"imagePullPolicy"},
	volumes:         "volumes", volumeMounts: "volumeMounts", securityContext: "securityContext", readinessProbe: "readinessProbe",
	env: "env", envFrom: "envVarFrom", cpuTarget: []string{"autoscaling", "targetCPUUtilizationPercentage"},
	strategy: func(vals *mesh.Values, s *obj) { setPath(vals, s.raw(nil), "strategy") },
}

// deployment maps the k8s settings of a Deployment component: sizing to
// the spec's workload fields, the rest to its chart's values.
func (imp *importer) deployment(k *obj, w *mesh.Workload, vals *mesh.Values, keys chartKeys) {
	if k.m == nil {
		return
	}
	hpa := k.sub("hpaSpec")
	lo, loSet := hpa.number("minReplicas")
	hi, hiSet := hpa.number("maxReplicas")
	n, nSet := k.number("replicaCount")
	switch {
	case loSet || hiSet:
		w.Autoscale, w.Replicas = &mesh.Autoscale{Min: or32(lo, loSet, 1), Max: or32(hi, hiSet, max(lo, 5))}, nil
	case nSet:
		w.Replicas, w.Autoscale = &n, nil
		imp.note(k.at("replicaCount"), "istioctl sets the count on the Deployment and keeps the chart's autoscaler, which then decides; the spec runs replicas: %d without one (use autoscale {min, max} to keep one)", n)
	}
	if m, ok := hpa.get("metrics"); ok {
		imp.cpuTarget(hpa.at("metrics"), m, vals, keys)
	}
	hpa.get("scaleTargetRef")
	imp.rest(hpa)
	if r := imp.resources(k.sub("resources")); r != nil {
		w.Resources = r
	}
	if pdb := k.sub("podDisruptionBudget"); pdb.m != nil {
		b := &mesh.PodDisruptionBudget{}
		for _, f := range []struct {
			key string
			dst **mesh.IntOrString
		}{{"minAvailable", &b.MinAvailable}, {"maxUnavailable", &b.MaxUnavailable}} {
			if v, ok := pdb.get(f.key); ok {
				*f.dst = intOrString(v)
			}
		}
		pdb.get("selector") // the chart selects the workload's pods itself
		imp.rest(pdb)
		w.PodDisruptionBudget = b
	}
	imp.podSettings(k, vals, keys)
}

// gatewayK8s maps a gateway component's k8s settings.
func (imp *importer) gatewayK8s(k *obj, gw *mesh.Gateway) {
	if k.m == nil {
		return
	}
	svc := k.sub("service")
	if t := svc.str("type"); t != "" {
		gw.Service.Type = t
	}
	if ip := svc.str("loadBalancerIP"); ip != "" {
		gw.Service.LoadBalancerIP = ip
	}
	if p := svc.str("externalTrafficPolicy"); p != "" {
		gw.Service.ExternalTrafficPolicy = p
	}
	for _, key := range []string{"ports", "loadBalancerSourceRanges", "externalIPs", "ipFamilyPolicy", "ipFamilies"} {
		if v, ok := svc.get(key); ok {
			setPath(&gw.Values, v, "service", key)
		}
	}
	for _, key := range svc.rest() {
		svc.get(key)
		imp.unmapped(svc.at(key), "the gateway chart sets this field of its Service itself, or has no value for it")
	}
	if ann := k.sub("serviceAnnotations"); ann.m != nil {
		gw.Service.Annotations = stringMap(ann)
	}
	imp.deployment(k, &gw.Workload, &gw.Values, gatewayK8s)
}

// daemonSet maps the k8s settings of a DaemonSet component (CNI,
// ztunnel) to its chart's values.
func (imp *importer) daemonSet(k *obj, vals *mesh.Values) {
	if k.m == nil {
		return
	}
	if r, ok := k.get("resources"); ok {
		setPath(vals, r, "resources")
	}
	imp.podSettings(k, vals, chartKeys{chart: "node agent", tolerations: "tolerations", affinity: "affinity", podAnnotations: "podAnnotations", env: "env"})
}

// podSettings maps the k8s settings the spec has no field for; keys read
// already (a gateway's service) are left alone.
func (imp *importer) podSettings(k *obj, vals *mesh.Values, keys chartKeys) {
	done := maps.Clone(k.used)
	for _, f := range []struct{ key, dst string }{
		{"nodeSelector", keys.nodeSelector}, {"tolerations", keys.tolerations}, {"affinity", keys.affinity},
		{"podAnnotations", keys.podAnnotations}, {"volumes", keys.volumes}, {"volumeMounts", keys.volumeMounts},
		{"securityContext", keys.securityContext}, {"readinessProbe", keys.readinessProbe},
	} {
		if v, ok := k.get(f.key); ok {
			if f.dst == "" {
				imp.unmapped(k.at(f.key), "the %s chart has no value for it; patch the rendered objects with kustomize", keys.chart)
				continue
			}
			setPath(vals, v, f.dst)
		}
	}
	for _, f := range []struct {
		key string
		dst []string
	}{{"priorityClassName", keys.priorityClassName}, {"imagePullPolicy", keys.imagePullPolicy}, {"serviceAnnotations", keys.serviceAnnotations}} {
		if v, ok := k.get(f.key); ok && !done[f.key] {
			if len(f.dst) == 0 {
				imp.unmapped(k.at(f.key), "the %s chart has no value for it; patch the rendered objects with kustomize", keys.chart)
				continue
			}
			setPath(vals, v, f.dst...)
		}
	}
	if env, ok := k.get("env"); ok {
		imp.env(k.at("env"), env, vals, keys)
	}
	if s := k.sub("strategy"); s.m != nil {
		if keys.strategy == nil {
			imp.unmapped(s.path, "the %s chart has no value for it; patch the rendered objects with kustomize", keys.chart)
			s.raw(nil)
		} else {
			s.get("type")
			keys.strategy(vals, s)
			imp.rest(s)
		}
	}
	if _, ok := k.get("overlays"); ok {
		imp.unmapped(k.at("overlays"), overlaysAdvice)
	}
	if _, ok := k.get("service"); ok && !done["service"] {
		imp.unmapped(k.at("service"), "the %s chart sets its Service itself", keys.chart)
	}
	imp.rest(k)
}

// k8sUnmapped reports every k8s setting of a component the spec cannot
// carry.
func (imp *importer) k8sUnmapped(k *obj) {
	for _, key := range k.rest() {
		k.get(key)
		imp.unmapped(k.at(key), "not carried over; patch the rendered objects with kustomize")
	}
}

// env maps a list of EnvVar: plain values to the chart's env mapping,
// valueFrom entries to its envVarFrom list.
func (imp *importer) env(at string, v any, vals *mesh.Values, keys chartKeys) {
	list, _ := v.([]any)
	for i, e := range list {
		ev := newObj(fmt.Sprintf("%s[%d]", at, i), e)
		name := ev.str("name")
		if from, ok := ev.get("valueFrom"); ok && keys.envFrom != "" {
			cur, _ := (*vals)[keys.envFrom].([]any)
			setPath(vals, append(cur, map[string]any{"name": name, "valueFrom": from}), keys.envFrom)
		} else if ok {
			imp.unmapped(ev.at("valueFrom"), "the %s chart takes plain values only; set the variable with kustomize", keys.chart)
		} else if keys.env != "" {
			setPath(vals, ev.str("value"), keys.env, name)
		}
		imp.rest(ev)
	}
}

// cpuTarget maps HPA metrics: a CPU utilization target to the chart's
// value for it; anything else is reported.
func (imp *importer) cpuTarget(at string, m any, vals *mesh.Values, keys chartKeys) {
	list, _ := m.([]any)
	for i, e := range list {
		metric := newObj(fmt.Sprintf("%s[%d]", at, i), e)
		res := metric.sub("resource")
		target := res.sub("target")
		util, ok := target.number("averageUtilization")
		if metric.str("type") == "Resource" && res.str("name") == "cpu" && ok && len(keys.cpuTarget) > 0 {
			setPath(vals, int64(util), keys.cpuTarget...)
			target.get("type")
			imp.rest(target)
			imp.rest(res)
			imp.rest(metric)
			continue
		}
		metric.raw(nil)
		imp.unmapped(metric.path, "the %s chart scales on CPU utilization only; patch its HorizontalPodAutoscaler with kustomize", keys.chart)
	}
}

// intOrString converts a budget value.
func intOrString(v any) *mesh.IntOrString {
	switch x := v.(type) {
	case float64:
		n := int32(x)
		return &mesh.IntOrString{Int: &n}
	case string:
		return &mesh.IntOrString{Str: &x}
	}
	s := fmt.Sprint(v)
	return &mesh.IntOrString{Str: &s}
}
