// Package fn runs istio-render as a KRM function, so that kustomize (or any
// runner of the Configuration Functions Specification) can generate an Istio
// install from an IstioMesh spec.
//
// # The function
//
// A function reads a ResourceList and writes one back. For istio-render the
// ResourceList's functionConfig is the IstioMesh spec itself:
//
//	apiVersion: config.kubernetes.io/v1
//	kind: ResourceList
//	functionConfig:
//	  apiVersion: istio-render.dev/v1alpha1
//	  kind: IstioMesh
//	  metadata:
//	    name: prod
//	  spec:
//	    profile: production
//	items: []
//
// [Processor] loads the functionConfig strictly, as [mesh.Load] does,
// renders it with [render.Render] and appends the rendered objects to items
// in apply order. Items already in the list pass through untouched. The
// annotations that runners add to the functionConfig
// (config.kubernetes.io/function, config.kubernetes.io/local-config and
// internal.config.kubernetes.io/...) are accepted and ignored.
//
// # Rendering again
//
// Every object the function generates carries the [GeneratedByAnnotation]
// with the IstioMesh's name:
//
//	metadata:
//	  annotations:
//	    istio-render.dev/generated-by: prod
//
// kpt hands a function the whole package, its earlier output included.
// Items marked with the functionConfig's name are dropped before the new
// render is appended, so kpt fn eval or kpt fn render run twice give the
// package they give once; items marked for another IstioMesh, and unmarked
// ones, pass through. Only the function's output carries the annotation:
// istio-render render writes none.
//
// # Results
//
// Problems come back in the ResourceList's results. A warning about the spec
// is a result of severity warning and the function succeeds. An invalid spec
// gives one result of severity error per problem, with the offending field's
// path (such as spec.gateways[0].servers[0].tls.mode) in field.path; nothing
// is generated and the function fails:
//
//	results:
//	- message: 'unsupported value "SIMPEL": must be one of SIMPLE, MUTUAL, PASSTHROUGH'
//	  severity: error
//	  resourceRef:
//	    apiVersion: istio-render.dev/v1alpha1
//	    kind: IstioMesh
//	    name: prod
//	  field:
//	    path: spec.gateways[0].servers[0].tls.mode
//
// kustomize shows a function's standard error but not its results, so a
// command running the function should also print them there;
// [WriteResults] formats them one per line.
//
// # Running it
//
// The istio-render binary runs the function as "istio-render fn", through
// [Processor.Run]: it does what framework.Execute does with the Processor
// but writes the rendered objects from their YAML, without parsing them
// into nodes, so that the function costs about what the render does.
// kustomize
// runs it as a generator from an annotation on the spec, either as an
// executable:
//
//	metadata:
//	  annotations:
//	    config.kubernetes.io/function: |
//	      exec:
//	        path: ../bin/istio-render
//	        args: [fn]
//
// with kustomize build --enable-alpha-plugins --enable-exec, or as a
// container image whose entrypoint is istio-render fn (container: {image:
// ...}, with --enable-alpha-plugins). The repository's Dockerfile builds that
// image. docs/kustomize.md walks through both.
package fn
