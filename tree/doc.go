// Package tree lays a render out as a directory of YAML files for review in
// a pull request, writes that directory safely, and checks it for drift.
//
// # Layout
//
// [Layout] gives every object a file of its own, so a change to one object
// is a change to one file and the file list of a pull request names what
// changed:
//
//	kustomization.yaml                            every file below, in apply order
//	namespaces/namespace-istio-system.yaml
//	crds/gateways.networking.istio.io.yaml        CRDs, apart from the rest of base
//	base/serviceaccount-istio-reader-service-account.yaml
//	istiod/deployment-istiod.yaml                 istiod-<revision>/ for a canary
//	cni/daemonset-istio-cni-node.yaml
//	ztunnel/daemonset-ztunnel.yaml
//	gateways/istio-ingressgateway/service-istio-ingressgateway.yaml
//	mesh-policy/shop/peerauthentication-default.yaml  one folder per namespace
//
// [LayoutFlux] lays a render out for Flux instead: a folder per install
// phase (render.PhaseOf), each laid out as above and built by kustomize
// alone, and at the root the Flux Kustomizations that apply them in
// order (package flux). [LayoutFor] picks the layout the spec's
// spec.gitops.tool asks for.
//
// File names are <kind>-<name>.yaml in lower case. A name that is not made
// of lower-case letters, digits, dots and dashes, or that is very long, is
// cleaned up and given a short hash of the original, so the writer never
// leaves its directory whatever the objects are called. The
// kustomization.yaml lists the files in the order of the YAML stream and
// asks kustomize to keep that order, so `kustomize build` gives the stream's
// objects in the stream's order.
//
// # Ownership
//
// Every file the package writes starts with the line [Marker]. A file with
// the marker belongs to the tree: [Write] overwrites it when its content
// changes and removes it when the render no longer produces it. A file
// without the marker is never modified or removed, and a render that would
// overwrite one fails instead. Folders whose name starts with a dot (.git)
// are not looked into.
//
// # Atomicity
//
// [Write] takes a complete, in-memory tree and changes a directory in three
// steps: it checks every path (no symbolic links, no foreign files in the
// way), writes each new or changed file to a temporary file beside its
// target and syncs it, and only then renames the temporary files over their
// targets, the kustomization.yaml last, and removes the files the render no
// longer produces. A failure before the renames leaves the directory as it
// was. A crash during the renames leaves each file either old or new, never
// partly written, and the kustomization.yaml still lists files that exist;
// running Write again completes the update, and [Check] reports the files
// that are still old.
package tree
