package render

import (
	"fmt"
	"maps"
	"slices"

	apiresource "k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/istio-render/istio-render/mesh"
)

// containerResources checks, as the API server does, that no request of
// a container exceeds its limit. The spec's resources are checked against
// the charts' defaults before anything renders; this finds what raw
// values or pinned charts make of them. A raw limit is blamed first, then
// the raw values holding the request.
func (in *inspection) containerResources(at *field.Path, v any) {
	r, _ := v.(map[string]any)
	requests, _ := r["requests"].(map[string]any)
	limits, _ := r["limits"].(map[string]any)
	for _, key := range slices.Sorted(maps.Keys(requests)) {
		limit, ok := limits[key]
		if !ok {
			continue
		}
		req, lim := fmt.Sprint(requests[key]), fmt.Sprint(limit)
		rq, err1 := apiresource.ParseQuantity(req)
		lq, err2 := apiresource.ParseQuantity(lim)
		if err1 != nil || err2 != nil || rq.Cmp(lq) <= 0 {
			continue
		}
		in.found = append(in.found, finding{
			component:  in.component,
			object:     objectName(in.kind, in.namespace, in.name),
			valuesKeys: []any{"resources", "limits", key},
			text:       req,
			message:    fmt.Sprintf("%s: Invalid value: %s: must be less than or equal to %s limit of %s", at.Child("requests"), mesh.Quote(req), key, lim),
		})
	}
}
