//go:build conformance

package conformance_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
)

// liveManager is the field manager of the objects the live proof makes
// itself, standing in for a controller: EndpointSlices, Pods, the default
// ServiceAccount.
const liveManager = "istio-render-live"

// applyOpts says how applyWith calls the server.
type applyOpts struct {
	force, dryRun bool
}

// applyWith server-side applies obj as fieldManager with strict field
// validation and returns the live object the server answers with.
func (c *cluster) applyWith(ctx context.Context, obj map[string]any, o applyOpts) (map[string]any, error) {
	ri, name, err := c.resourceFor(obj)
	if err != nil {
		return nil, err
	}
	data, err := json.Marshal(obj)
	if err != nil {
		return nil, fmt.Errorf("encoding: %w", err)
	}
	opts := metav1.PatchOptions{FieldManager: fieldManager, Force: &o.force, FieldValidation: metav1.FieldValidationStrict}
	if o.dryRun {
		opts.DryRun = []string{metav1.DryRunAll}
	}
	got, err := ri.Patch(ctx, name, types.ApplyPatchType, data, opts)
	if err != nil {
		return nil, err
	}
	return got.Object, nil
}

// create creates obj (metadata.generateName allowed) as liveManager.
func (c *cluster) create(ctx context.Context, obj map[string]any, dryRun bool) (map[string]any, error) {
	ri, _, err := c.resourceFor(obj)
	if err != nil {
		return nil, err
	}
	opts := metav1.CreateOptions{FieldManager: liveManager, FieldValidation: metav1.FieldValidationStrict}
	if dryRun {
		opts.DryRun = []string{metav1.DryRunAll}
	}
	got, err := ri.Create(ctx, &unstructured.Unstructured{Object: obj}, opts)
	if err != nil {
		return nil, err
	}
	return got.Object, nil
}

// get reads the live version of obj.
func (c *cluster) get(ctx context.Context, obj map[string]any) (map[string]any, error) {
	ri, name, err := c.resourceFor(obj)
	if err != nil {
		return nil, err
	}
	got, err := ri.Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return nil, err
	}
	return got.Object, nil
}

// remove deletes obj; one already gone is no error.
func (c *cluster) remove(ctx context.Context, obj map[string]any) error {
	ri, name, err := c.resourceFor(obj)
	if err != nil {
		return err
	}
	err = ri.Delete(ctx, name, metav1.DeleteOptions{})
	if apierrors.IsNotFound(err) {
		return nil
	}
	return err
}

// token mints a token of a ServiceAccount with the TokenRequest API, as
// the kubelet does for a pod.
func (c *cluster) token(ctx context.Context, namespace, account string, audiences []string, seconds int64) (string, error) {
	spec := map[string]any{"expirationSeconds": seconds}
	if len(audiences) > 0 {
		var as []any
		for _, a := range audiences {
			as = append(as, a)
		}
		spec["audiences"] = as
	}
	req := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": spec,
		// The dynamic client names the ServiceAccount of the subresource
		// by the object's name.
		"metadata": map[string]any{"name": account},
	}}
	sa := schema.GroupVersionResource{Version: "v1", Resource: "serviceaccounts"}
	got, err := c.dyn.Resource(sa).Namespace(namespace).Create(ctx, req, metav1.CreateOptions{}, "token")
	if err != nil {
		return "", fmt.Errorf("token of ServiceAccount %s/%s: %w", namespace, account, err)
	}
	tok, _, _ := unstructured.NestedString(got.Object, "status", "token")
	if tok == "" {
		return "", fmt.Errorf("token of ServiceAccount %s/%s: empty", namespace, account)
	}
	return tok, nil
}

// Outcomes of a write, by who decided it.
const (
	outcomeAccepted    = "accepted"
	outcomeDenied      = "webhook-denied"      // a webhook answered no
	outcomeUnreachable = "webhook-unreachable" // a webhook with failurePolicy Fail could not be called
	outcomeRejected    = "rejected"            // the API server itself said no (schema, CEL, missing kind or namespace)
	outcomeInjected    = "injected"            // a pod came back with its proxy
	outcomeNotInjected = "accepted-not-injected"
)

var webhookName = regexp.MustCompile(`(?:admission webhook|calling webhook) "([^"]+)"`)

// outcome classifies a write's error.
func outcome(err error) (string, string) {
	if err == nil {
		return outcomeAccepted, ""
	}
	msg := err.Error()
	var hook string
	if m := webhookName.FindStringSubmatch(msg); m != nil {
		hook = m[1]
	}
	switch {
	case strings.Contains(msg, "denied the request"):
		return outcomeDenied, hook
	case strings.Contains(msg, "failed calling webhook"):
		return outcomeUnreachable, hook
	}
	return outcomeRejected, hook
}

// listAll reads every object of every kind the server can list, but
// Events, by id.
func (c *cluster) listAll(ctx context.Context) (map[string]map[string]any, error) {
	lists, err := c.disco.ServerPreferredResources()
	if err != nil {
		return nil, fmt.Errorf("discovery: %w", err)
	}
	out := map[string]map[string]any{}
	for _, l := range lists {
		gv, err := schema.ParseGroupVersion(l.GroupVersion)
		if err != nil {
			return nil, err
		}
		for _, res := range l.APIResources {
			if strings.Contains(res.Name, "/") || !slices.Contains(res.Verbs, "list") || res.Kind == "Event" {
				continue
			}
			items, err := c.dyn.Resource(gv.WithResource(res.Name)).List(ctx, metav1.ListOptions{})
			if err != nil {
				return nil, fmt.Errorf("listing %s: %w", res.Name, err)
			}
			for _, item := range items.Items {
				item.SetAPIVersion(l.GroupVersion)
				item.SetKind(res.Kind)
				out[objectID(item.Object)] = item.Object
			}
		}
	}
	// Listing every kind lists deprecated ones, which warn; no write
	// caused those warnings.
	c.warnings.take()
	return out, nil
}

// permanentError ends until at once.
type permanentError struct{ error }

func (e permanentError) Unwrap() error { return e.error }

// permanent marks an error that no retry can change.
func permanent(err error) error { return permanentError{err} }

// until calls f every interval until it succeeds, returns a permanent
// error, or ctx ends; then it returns f's last error.
func until(ctx context.Context, every time.Duration, f func() error) error {
	for {
		err := f()
		if err == nil {
			return nil
		}
		var p permanentError
		if errors.As(err, &p) {
			return p.error
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (last: %v)", ctx.Err(), err)
		case <-time.After(every):
		}
	}
}
