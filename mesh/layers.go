package mesh

import (
	"errors"
	"fmt"
	"reflect"

	"github.com/istio-render/istio-render/internal/merge"
)

// LayerError is a problem in one of the documents given to LoadLayers,
// found before they are merged, so that a caller can name the file it came
// from. Problems of the merged spec are not LayerErrors.
type LayerError struct {
	// Index is the document's position among LoadLayers' arguments, from 0.
	Index int
	// Err is what is wrong: a *ValidationError with field paths, or a
	// plain error for a document that is not YAML at all.
	Err error
}

// Error returns "document N: problem", counting from 1.
func (e *LayerError) Error() string {
	return fmt.Sprintf("document %d: %v", e.Index+1, e.Err)
}

// Unwrap returns the problem.
func (e *LayerError) Unwrap() error { return e.Err }

// LoadLayers loads one spec written as several documents laid over each
// other in order, the way helm and istioctl layer repeated -f files: a
// base, then overlays such as one per cluster or environment. Later
// documents win. They merge as a profile sits under a spec: mappings key by
// key, lists of named items (gateways, namespaces) by name with the later
// document's items first, other lists replaced, and null removes a setting
// of an earlier document or of the profile, exactly as null does in one
// document.
//
// Any document may be partial, such as only a few fields under spec:;
// where one gives apiVersion or kind, they must be those of an IstioMesh.
// Each document is decoded as strictly as by Load, and a problem in one
// (bad YAML, an unknown field, a wrong type) is a *LayerError naming it and
// the field path; the first document with problems is reported. The merged
// document must then be a whole spec: it is completed and validated as by
// Load, and its problems come back as from Load. With one document,
// LoadLayers is Load, every error wrapped in a *LayerError for document 0.
// The arguments are never modified.
func LoadLayers(docs ...[]byte) (*Resolved, []Warning, error) {
	if len(docs) == 0 {
		return nil, nil, errors.New("no IstioMesh document to load")
	}
	if len(docs) == 1 {
		m, warnings, err := Load(docs[0])
		if err != nil {
			return nil, nil, &LayerError{Index: 0, Err: err}
		}
		return m, warnings, nil
	}
	var merged map[string]any
	for i, d := range docs {
		tree, src, err := parseDocument(d)
		if err != nil {
			return nil, nil, &LayerError{Index: i, Err: err}
		}
		p := &problems{}
		checkShape(p, nil, tree, reflect.TypeFor[IstioMesh](), src)
		checkLayerTypeMeta(p, tree)
		if err := p.err(); err != nil {
			return nil, nil, &LayerError{Index: i, Err: err}
		}
		merged = merge.Maps(merged, markRemoved(tree).(map[string]any), merge.ByName)
	}
	return resolve(unmarkRemoved(merged).(map[string]any), nil, nil, false)
}

// checkLayerTypeMeta requires apiVersion and kind, where a layer gives
// them, to be those of an IstioMesh.
func checkLayerTypeMeta(p *problems, tree map[string]any) {
	for _, f := range []struct{ name, want string }{{"apiVersion", APIVersion}, {"kind", Kind}} {
		if v, ok := tree[f.name].(string); ok && v != f.want {
			p.errorf(f.name, "unsupported value %s: expected %s", quote(v), f.want)
		}
	}
}

// removed stands for a null while layers merge. merge.Maps deletes a key
// whose overlay value is null, which would lose the null before the
// profile is merged under the result; a removed value is a scalar to it,
// so it survives until a later layer sets the key again.
type removed struct{}

// markRemoved returns a copy of a tree with every null in a mapping or
// list replaced by removed{}.
func markRemoved(v any) any {
	switch x := v.(type) {
	case nil:
		return removed{}
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = markRemoved(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = markRemoved(e)
		}
		return out
	default:
		return v
	}
}

// unmarkRemoved turns removed{} back into null, in place.
func unmarkRemoved(v any) any {
	switch x := v.(type) {
	case removed:
		return nil
	case map[string]any:
		for k, e := range x {
			x[k] = unmarkRemoved(e)
		}
	case []any:
		for i, e := range x {
			x[i] = unmarkRemoved(e)
		}
	}
	return v
}
