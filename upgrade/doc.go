// Package upgrade plans a canary upgrade of an IstioMesh spec the way
// production runs it: the new Istio version installed as a revision beside
// the old one, workloads moved over a tag at a time, the old revision
// removed last.
//
// [Plan] returns the sequence of specs, each one small edit of the one
// before, so that each step is a commit whose render diff
// (istio-render diff) a person reviews:
//
//  1. add the new revision beside the old one; nothing moves to it;
//  2. point the canary tag at it: namespaces on that tag move;
//  3. point every other tag (default included) and every namespace and
//     gateway that names the old revision at the new one;
//  4. remove the old revision.
//
// A spec written with spec.revision and spec.canary is first written as
// spec.revisions, which renders the same objects. Edits keep the spec's
// comments and key order; the spec is decoded and validated after every
// step.
package upgrade
