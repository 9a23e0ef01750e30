// Package mesh defines the IstioMesh spec: the small, documented set of
// settings that most production Istio installations touch, and nothing else.
//
// A spec is one Kubernetes-style object:
//
//	apiVersion: istio-render.dev/v1alpha1
//	kind: IstioMesh
//	metadata:
//	  name: prod
//	spec:
//	  profile: production
//	  gateways:
//	  - name: istio-ingressgateway
//	    servers:
//	    - hosts: [example.com]
//	      tls: {mode: SIMPLE, credentialName: example-tls}
//
// [Load] turns bytes into a validated spec: it decodes strictly (unknown
// fields and wrong types are errors that name the field path), merges the
// named profile from package profiles under the user's settings, fills in the
// documented defaults and validates the result. Errors are returned as a
// [*ValidationError] listing every problem with its field path; risky but
// legal choices come back as [Warning]s. [LoadLayers] does the same for a
// spec written as several documents laid over each other, such as a base
// and an overlay per cluster.
//
// Anything the spec does not name can still be set through spec.values, raw
// Helm values per component, merged last. Raw values are data: a key or
// string holding "{{", which a chart passing values through tpl would run
// as a template, is refused. Numbers are read as YAML 1.1 reads them, so a
// number with a leading zero (octal there) is refused rather than read as
// another number.
package mesh
