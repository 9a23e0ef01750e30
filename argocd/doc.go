// Package argocd derives the Argo CD settings that keep a rendered Istio
// install in sync.
//
// The cluster changes some fields of the rendered objects once they run:
// istiod writes its CA certificate into every webhook's
// clientConfig.caBundle and switches validating webhooks rendered with
// failurePolicy Ignore, as the charts install them, to Fail once
// validation is ready; an autoscaler sets the replicas of the Deployment
// it scales. Argo CD compares the live objects with the rendered ones,
// reports such fields as drift forever, and a sync puts the rendered
// values back (istio/istio#44285). The list of these fields is kept once,
// in [render.RuntimeFields].
//
// [IgnoreDifferences] turns that list, for one render, into ignore rules by
// object name, so revisions and revision tags are covered. [Snippet] writes
// them as the part of an Application spec that tells Argo CD to ignore
// them both when it compares and when it syncs.
//
// The sync waves that order an install and the annotations that keep Argo
// CD from pruning Namespaces and CRDs are written by render itself
// (spec.gitops), on the objects.
package argocd
