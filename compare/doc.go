// Package compare finds what differs between two sets of Kubernetes
// objects, object by object and field by field, and writes the result for a
// terminal or a pull request comment.
//
// Objects are matched by identity: API group, kind, namespace and name; the
// order of a stream does not matter. Matched objects are compared with
// [github.com/google/go-cmp/cmp] and every differing field is reported with
// its path, such as
//
//	spec.template.spec.containers[name=discovery].resources.requests.cpu
//
// where a list element that has a name is shown by its name rather than its
// index. Multi-line strings, such as the mesh configuration in istiod's
// ConfigMap, are compared line by line. An empty metadata.labels or
// metadata.annotations counts as missing, as it does in Kubernetes (and as
// kustomize writes it).
//
// Use [Decode] to read a YAML stream, [Objects] to compare, and
// [Report.Write] to print:
//
//	old, _ := compare.Decode(oldStream)
//	new, _ := compare.Decode(newStream)
//	r, _ := compare.Objects(old, new)
//	r.Write(os.Stdout, compare.Format{})
//
// The output is deterministic: changes are sorted by kind, then namespace
// and name, and fields in the order of their keys.
package compare
