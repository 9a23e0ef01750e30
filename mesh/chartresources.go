package mesh

import (
	"fmt"
	"maps"
	"slices"

	"k8s.io/apimachinery/pkg/api/resource"
)

// chartResources are the requests and limits a chart gives a container,
// which the spec's resources are merged over key by key: a quantity the
// spec leaves unset keeps the chart's.
type chartResources struct {
	// by names what sets them, for messages.
	by               string
	requests, limits map[string]string
}

// The containers whose resources the spec sets, by the charts' defaults.
const (
	istiodContainer   = "istiod"
	gatewayContainer  = "gateway"
	proxyContainer    = "proxy"
	waypointContainer = "waypoint"
)

// chartDefaults returns the resources the embedded charts give a
// container: istiod's (the istiod chart's resources), a gateway's (the
// gateway chart's), every sidecar's and a Gateway API gateway's
// (global.proxy.resources), a waypoint's (global.waypoint.resources).
// TestChartResourceDefaults reads them from a render.
func chartDefaults(container string) chartResources {
	requests := map[string]string{"cpu": "100m", "memory": "128Mi"}
	switch container {
	case istiodContainer:
		return chartResources{by: "the istiod chart", requests: map[string]string{"cpu": "500m", "memory": "2048Mi"}}
	case gatewayContainer:
		return chartResources{by: "the gateway chart", requests: requests, limits: map[string]string{"cpu": "2000m", "memory": "1024Mi"}}
	case proxyContainer:
		return chartResources{by: "the istiod chart (global.proxy.resources)", requests: requests, limits: map[string]string{"cpu": "2000m", "memory": "1024Mi"}}
	case waypointContainer:
		return chartResources{by: "the istiod chart (global.waypoint.resources)", requests: requests, limits: map[string]string{"cpu": "2", "memory": "1Gi"}}
	}
	return chartResources{}
}

// checkDefaults records a quantity of r that the chart's default on the
// other side contradicts: a limit below the chart's request, or a request
// above the chart's limit, where r leaves that side unset. The API server
// refuses a container whose request exceeds its limit. raw reports
// whether raw values set the container's resources, which then decide
// the other side instead of the chart.
func (r *Resources) checkDefaults(p *problems, at string, d chartResources, raw bool) {
	if r == nil || raw {
		return
	}
	for _, key := range []string{"cpu", "memory"} {
		req, lim := r.Requests.amount(key), r.Limits.amount(key)
		switch {
		case req != "" && lim == "" && d.limits[key] != "":
			if exceeds(req, d.limits[key]) {
				p.errorf(at+".requests."+key, "%s is more than the limit of %s that %s sets where resources.limits.%s is unset, and the API server refuses a request above its limit; set resources.limits.%s too",
					quote(string(req)), d.limits[key], d.by, key, key)
			}
		case lim != "" && req == "" && d.requests[key] != "":
			if exceeds(Quantity(d.requests[key]), string(lim)) {
				p.errorf(at+".limits."+key, "%s is less than the request of %s that %s sets where resources.requests.%s is unset, and the API server refuses a request above its limit; set resources.requests.%s too",
					quote(string(lim)), d.requests[key], d.by, key, key)
			}
		}
	}
}

// amount is the quantity of a resource; "" when a is nil or leaves it
// unset.
func (a *ResourceAmounts) amount(key string) Quantity {
	switch {
	case a == nil:
		return ""
	case key == "cpu":
		return a.CPU
	}
	return a.Memory
}

// exceeds reports whether quantity a is more than b; false when either
// does not parse (validation reports that).
func exceeds(a Quantity, b string) bool {
	qa, err := resource.ParseQuantity(string(a))
	if err != nil {
		return false
	}
	qb, err := resource.ParseQuantity(b)
	if err != nil {
		return false
	}
	return qa.Cmp(qb) > 0
}

// setsResources reports whether raw values set anything at the path, such
// as resources or global.proxy.resources.
func setsResources(v Values, path ...string) bool {
	var cur any = map[string]any(v)
	for _, k := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return false
		}
		if cur, ok = m[k]; !ok {
			return false
		}
	}
	return cur != nil
}

// rawIstiod reports whether the raw values of any istiod of the spec
// (spec.values.istiod, the canary's, a revision's) set the path.
func (s *Spec) rawIstiod(path ...string) bool {
	if setsResources(s.Values.Istiod, path...) {
		return true
	}
	for _, d := range s.Istiods() {
		if setsResources(d.Values, path...) {
			return true
		}
	}
	return false
}

// checkResourceDefaults checks the resources of every container the spec
// sizes against the chart defaults they are merged over.
func (s *Spec) checkResourceDefaults(p *problems) {
	s.ControlPlane.Resources.checkDefaults(p, "spec.controlPlane.resources", chartDefaults(istiodContainer), s.rawIstiod("resources"))
	s.Proxy.Resources.checkDefaults(p, "spec.proxy.resources", chartDefaults(proxyContainer), s.rawIstiod("global", "proxy", "resources"))
	for i := range s.Gateways {
		g := &s.Gateways[i]
		raw := setsResources(s.Values.Gateway, "resources") || setsResources(g.Values, "resources")
		g.Resources.checkDefaults(p, fmt.Sprintf("spec.gateways[%d].resources", i), chartDefaults(gatewayContainer), raw)
	}
	for _, class := range slices.Sorted(maps.Keys(s.GatewayAPI.Classes)) {
		c := s.GatewayAPI.Classes[class]
		container, path := proxyContainer, []string{"global", "proxy", "resources"}
		if class == GatewayClassWaypoint {
			container, path = waypointContainer, []string{"global", "waypoint", "resources"}
		}
		raw := s.rawIstiod(path...) || s.rawIstiod("gatewayClasses")
		c.Resources.checkDefaults(p, keyAt("spec.gatewayAPI.classes", class)+".resources", chartDefaults(container), raw)
	}
}
