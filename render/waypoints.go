package render

import (
	"github.com/istio-render/istio-render/mesh"
)

// waypointPort is the HBONE port every waypoint listens on.
const waypointPort = 15008

// waypoint renders a namespace's ambient waypoint: a Gateway of class
// istio-waypoint with the HBONE listener, labelled with the traffic it
// handles, as `istioctl waypoint generate` writes it, with the API
// server's default allowedRoutes written out.
func waypoint(namespace string, w *mesh.Waypoint) map[string]any {
	obj := object(gatewayAPIVersion, "Gateway", namespace, w.Name, map[string]any{
		"gatewayClassName": mesh.GatewayClassWaypoint,
		"listeners": []any{map[string]any{
			"name":          "mesh",
			"port":          int64(waypointPort),
			"protocol":      "HBONE",
			"allowedRoutes": allowedRoutes(nil),
		}},
	})
	labels := obj["metadata"].(map[string]any)["labels"].(map[string]any)
	labels["istio.io/waypoint-for"] = w.For
	set(labels, w.Revision, "istio.io/rev")
	return obj
}

// waypointLabels are the labels of a namespace that uses its own waypoint.
func waypointLabels(ns *mesh.Namespace) map[string]any {
	if ns.Waypoint == nil {
		return nil
	}
	return map[string]any{"istio.io/use-waypoint": ns.Waypoint.Name}
}
