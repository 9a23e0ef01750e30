// Package argocd derives the Argo CD settings that keep a rendered Istio
// install in sync.
//
// istiod changes its own webhook configurations once it runs: it writes
// its CA certificate into every webhook's clientConfig.caBundle, and it
// switches the validating webhooks from failurePolicy Ignore, as the charts
// install them, to Fail once validation is ready. Argo CD compares the live
// objects with the rendered ones and reports those fields as drift forever,
// and a sync puts the rendered values back (istio/istio#44285).
//
// [IgnoreDifferences] lists, for the webhooks of one render, exactly the
// fields istiod owns, by object name, so revisions and revision tags are
// covered. [Snippet] writes them as the part of an Application spec that
// tells Argo CD to ignore them both when it compares and when it syncs.
package argocd
