// Package schema generates the JSON Schema of an IstioMesh document from
// the Go types of package mesh, so editors can complete and check a spec
// while it is written.
//
// Every property carries the documentation of its Go field as its
// description; the documentation is extracted from the mesh package's
// source into comments.go by `go generate` (a test fails when it is out of
// date). Quantities accept a string such as 500m or a number, and counts
// such as minAvailable a whole number or a percentage string, as the spec
// does.
//
// The schema describes one document as written, before its profile is
// merged under it: it requires only what no profile can supply (apiVersion,
// kind, names), and lists the accepted values of fields that take one of a
// few. A spec the schema accepts can still fail validation (mesh.Load), for
// example when two settings conflict.
//
// To use it with editors based on yaml-language-server, save it and name it
// in a modeline on the spec's first line:
//
//	istio-render schema > istiomesh.schema.json
//
//	# yaml-language-server: $schema=istiomesh.schema.json
//	apiVersion: istio-render.dev/v1alpha1
//	kind: IstioMesh
package schema

//go:generate go test -run ^TestComments$ -update
