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
// # The output folder
//
// [Write] and [Check] follow no symbolic link on the way to the output
// folder, nor at the folder itself. An absolute path is opened one folder
// at a time from /, a relative one from the working directory (however it
// was reached), each folder opened in the one before with O_NOFOLLOW, and
// a missing folder is made with mkdirat in its parent, never through a
// link. A link on the path is an error that names it, says where it
// points and gives the real path to use instead if that is what was
// meant; so is a file where a folder should be. The os.Root all later
// access goes through is checked to be the very folder so reached: a
// folder on the path replaced meanwhile is an error too. Inside the
// output folder, os.Root keeps every access within it, and no link is
// written through (see Ownership). On macOS and the BSDs, which lack
// Linux's O_PATH, each folder on the way must be readable, not only
// searchable.
//
// Where a link in a system path is usual (/tmp and /var on macOS are
// links into /private), give the real path, as the error says.
//
// # Ownership
//
// Every file the package writes starts with the line [Marker]. A file with
// the marker belongs to the tree: [Write] overwrites it when its content
// changes and removes it when the render no longer produces it. A file
// without the marker is never modified or removed, whatever its name, and
// a render that would overwrite one, or write through a symbolic link or
// where a folder is, fails instead. Folders whose name starts with a dot
// (.git) are not looked into. Write reads the folder once, under its lock
// (see Concurrency): a file another program puts at one of the tree's
// paths while Write runs can still be replaced.
//
// Temporary files are named .<file>.<12 hex digits>.istio-render-tmp and
// start with the marker. One left behind by an interrupted Write is removed
// by the next Write only when it has both; anything else, a foreign
// x.istio-render-tmp or a temporary file cut short before its first line,
// stays.
//
// Write removes a folder only when its own removals emptied it, it is
// empty, and it is a folder the layout can make: every name in its path is
// one the layout gives (lower-case letters, digits, dots, dashes and
// underscores, not starting with a dot or a dash). So an old gateway's
// folder goes with its files, while a folder that still holds anything,
// even a hidden file, a folder with another kind of name, an empty folder
// Write did not empty, and the output folder itself all stay.
//
// # Concurrency
//
// Write locks the output folder exclusively and Check takes it shared,
// with flock(2) on the folder's own descriptor, so that no lock file
// enters the folder. A second Write into the folder waits for the first to
// finish, and Check waits for a Write, so it never sees one half done;
// after 30 seconds either gives up with an error saying another
// istio-render is writing the folder. The lock goes with the process, so a
// crashed Write leaves none behind. A file system that cannot lock a
// folder (NFS refuses an exclusive flock on one) is used without the lock.
//
// On systems without openat and flock (Windows among them), Write and
// Check check every folder on the path with Lstat before opening it, which
// a folder replaced between the check and the open escapes except at the
// output folder itself, and concurrent Writes into one folder are not kept
// apart.
//
// [Read] and [Build] read a folder as kustomize does, links included, and
// take no lock; they never write.
//
// # Atomicity
//
// [Write] takes a complete, in-memory tree and changes a directory in three
// steps: it checks every path (no symbolic links, no foreign files in the
// way), writes each new or changed file to a temporary file beside its
// target and syncs it, and only then renames the temporary files over their
// targets, the kustomization.yaml last, and removes the files the render no
// longer produces. A failure before the renames leaves the directory as it
// was, but for the output folder and its parents if Write made them. A
// crash during the renames leaves each file either old or new, never partly
// written, and the kustomization.yaml still lists files that exist; running
// Write again completes the update, and [Check] reports the files that are
// still old.
package tree
