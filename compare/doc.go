// Package compare finds what differs between two sets of Kubernetes
// objects, object by object and field by field, and writes the result for a
// terminal or a pull request comment.
//
// Objects are matched by identity: API group, kind, namespace and name; the
// order of a stream does not matter. Matched objects are walked as trees of
// YAML values, and every differing field is reported with its path, such as
//
//	spec.template.spec.containers[name=discovery].resources.requests.cpu
//
// A list whose elements are all mappings with distinct names is matched by
// name, so a changed element is shown by its name rather than its index,
// however the list moved. Order still matters, as it does in env (where
// $(VAR) sees only the variables before it) and in initContainers (which
// run one after another): when the elements kept in such a list change
// their order, the list's path is reported as [Reordered] with the names in
// the old and the new order. Any other list is compared by index. Values of
// added and removed fields and objects keep their lists in their order.
//
// Multi-line strings, such as the mesh configuration in istiod's
// ConfigMap, are compared line by line. An empty metadata.labels or
// metadata.annotations counts as missing, as it does in Kubernetes (and as
// kustomize writes it); an empty list does not. Numbers compare as Decode
// writes them: 1, 1.0 and 1e0 decode alike, 1 and 2 differ.
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
// and name, and fields follow the object, mapping keys sorted and list
// elements in list order.
package compare
