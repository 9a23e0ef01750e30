//go:build conformance

package conformance_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
)

// fieldManager owns every field the conformance run applies.
const fieldManager = "istio-render"

// crdResource is where CustomResourceDefinitions are served.
var crdResource = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}

// cluster is a client of the API server under test.
type cluster struct {
	cfg      *rest.Config
	dyn      dynamic.Interface
	disco    discovery.DiscoveryInterface
	mapper   *restmapper.DeferredDiscoveryRESTMapper
	warnings *warningRecorder
}

// errUnverifiable marks an object the server cannot check: no API serves
// its kind.
var errUnverifiable = errors.New("no API serves this kind")

// connect waits for the API server named by the flags to be ready and
// returns a client of it.
func connect(t *testing.T) *cluster {
	t.Helper()
	if *apiserverURL == "" {
		t.Fatal("-apiserver is required: run make conformance")
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	token, err := os.ReadFile(*tokenFile)
	if err != nil {
		t.Fatalf("reading -token-file: %v", err)
	}
	// kube-apiserver writes its self-signed certificate at start-up.
	if err := poll(ctx, func() error { _, err := os.Stat(*caFile); return err }); err != nil {
		t.Fatalf("waiting for %s: %v", *caFile, err)
	}
	rec := &warningRecorder{}
	cfg := &rest.Config{
		Host:            *apiserverURL,
		BearerToken:     strings.TrimSpace(string(token)),
		TLSClientConfig: rest.TLSClientConfig{CAFile: *caFile},
		UserAgent:       "istio-render-conformance",
		QPS:             100,
		Burst:           200,
		WarningHandler:  rec,
	}
	c, err := clientFor(cfg, rec)
	if err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, func() error { return c.ready(ctx) }); err != nil {
		t.Fatalf("API server at %s not ready: %v", *apiserverURL, err)
	}
	t.Logf("API server at %s ready after %s", *apiserverURL, time.Since(start).Round(100*time.Millisecond))
	rec.take()
	return c
}

// clientFor returns a client of the API server cfg names; rec records its
// warnings.
func clientFor(cfg *rest.Config, rec *warningRecorder) (*cluster, error) {
	disco, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("discovery client: %w", err)
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("dynamic client: %w", err)
	}
	return &cluster{
		cfg:      cfg,
		dyn:      dyn,
		disco:    disco,
		mapper:   restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(disco)),
		warnings: rec,
	}, nil
}

// ready asks the server's /readyz.
func (c *cluster) ready(ctx context.Context) error {
	body, err := c.disco.RESTClient().Get().AbsPath("/readyz").DoRaw(ctx)
	if err != nil {
		return fmt.Errorf("%w: %s", err, body)
	}
	return nil
}

// poll calls f every 200ms until it succeeds or ctx ends, returning f's
// last error then.
func poll(ctx context.Context, f func() error) error {
	for {
		err := f()
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (last error: %v)", ctx.Err(), err)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// apply server-side applies the object with strict field validation, as
// fieldManager, forcing conflicts; with dryRun the server runs every
// admission and validation step but persists nothing.
func (c *cluster) apply(ctx context.Context, obj map[string]any, dryRun bool) error {
	ri, name, err := c.resourceFor(obj)
	if err != nil {
		return err
	}
	data, err := json.Marshal(obj)
	if err != nil {
		return fmt.Errorf("encoding: %w", err)
	}
	force := true
	opts := metav1.PatchOptions{FieldManager: fieldManager, Force: &force, FieldValidation: metav1.FieldValidationStrict}
	if dryRun {
		opts.DryRun = []string{metav1.DryRunAll}
	}
	_, err = ri.Patch(ctx, name, types.ApplyPatchType, data, opts)
	return err
}

// createDryRun creates the object in dry-run mode with strict field
// validation: the plain create path, without server-side apply.
func (c *cluster) createDryRun(ctx context.Context, obj map[string]any) error {
	ri, _, err := c.resourceFor(obj)
	if err != nil {
		return err
	}
	opts := metav1.CreateOptions{FieldManager: fieldManager, FieldValidation: metav1.FieldValidationStrict, DryRun: []string{metav1.DryRunAll}}
	_, err = ri.Create(ctx, &unstructured.Unstructured{Object: obj}, opts)
	return err
}

// resourceFor finds the API resource serving the object and checks the
// object's namespace against the resource's scope.
func (c *cluster) resourceFor(obj map[string]any) (dynamic.ResourceInterface, string, error) {
	u := &unstructured.Unstructured{Object: obj}
	gvk := u.GroupVersionKind()
	m, err := c.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if meta.IsNoMatchError(err) {
		return nil, "", fmt.Errorf("%w: %v", errUnverifiable, err)
	}
	if err != nil {
		return nil, "", fmt.Errorf("mapping %s: %w", gvk, err)
	}
	namespaced := m.Scope.Name() == meta.RESTScopeNameNamespace
	switch {
	case namespaced && u.GetNamespace() == "":
		return nil, "", fmt.Errorf("%s is namespaced but the object has no namespace", m.Resource)
	case !namespaced && u.GetNamespace() != "":
		return nil, "", fmt.Errorf("%s is cluster-scoped but the object has namespace %q", m.Resource, u.GetNamespace())
	case namespaced:
		return c.dyn.Resource(m.Resource).Namespace(u.GetNamespace()), u.GetName(), nil
	}
	return c.dyn.Resource(m.Resource), u.GetName(), nil
}

// waitEstablished waits until the named CRDs are Established and, where the
// server reports it (status.observedGeneration), has acted on their
// latest generation, so that a dry run that follows is checked against
// their new schemas; then it makes the client discover them.
func (c *cluster) waitEstablished(ctx context.Context, names []string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	for _, name := range names {
		observed := func() error {
			crd, err := c.dyn.Resource(crdResource).Get(ctx, name, metav1.GetOptions{})
			if err != nil {
				return err
			}
			gen, _, _ := unstructured.NestedInt64(crd.Object, "metadata", "generation")
			seen, _, _ := unstructured.NestedInt64(crd.Object, "status", "observedGeneration")
			// A server without CRDObservedGenerationTracking leaves it 0.
			if seen != 0 && seen < gen {
				return fmt.Errorf("CRD %s: generation %d, observed %d", name, gen, seen)
			}
			conds, _, _ := unstructured.NestedSlice(crd.Object, "status", "conditions")
			for _, cond := range conds {
				m, _ := cond.(map[string]any)
				if m["type"] == "Established" && m["status"] == "True" {
					return nil
				}
			}
			return fmt.Errorf("CRD %s is not Established", name)
		}
		if err := poll(ctx, observed); err != nil {
			return err
		}
	}
	c.mapper.Reset()
	return nil
}

// serverVersion is the version the API server reports.
func (c *cluster) serverVersion() (string, error) {
	v, err := c.disco.ServerVersion()
	if err != nil {
		return "", err
	}
	return v.GitVersion, nil
}

// warningRecorder collects the warnings the server sends, so each can be
// tied to the request that caused it.
type warningRecorder struct {
	mu   sync.Mutex
	msgs []string
}

// HandleWarningHeader records one warning.
func (w *warningRecorder) HandleWarningHeader(code int, agent, text string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.msgs = append(w.msgs, text)
}

// take returns the warnings recorded since the last call.
func (w *warningRecorder) take() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.msgs
	w.msgs = nil
	return out
}
