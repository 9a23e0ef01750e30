package render

import (
	"bytes"
	"fmt"

	"sigs.k8s.io/yaml"
)

// addAnnotations returns an object's YAML, as render writes it, with
// annotations added to metadata.annotations; keys the object already has
// keep their values. The result is what writing the whole object again
// with sigs.k8s.io/yaml gives, but only the top-level metadata block is
// parsed and written, the short way canonical.go takes: in the sorted,
// block-style YAML render writes, a
// mapping's block is the same wherever it sits, and a CRD's metadata is a
// few hundred bytes of its hundred kilobytes. TestAddAnnotations holds the
// short way to the whole-object way for every object of every golden spec.
// A document whose metadata is not such a block takes the whole-object way.
// data is not modified.
func addAnnotations(data []byte, add map[string]string) ([]byte, error) {
	start, end, ok := metadataBlock(data)
	if !ok {
		return addAnnotationsWhole(data, add)
	}
	// The short canonical path of canonical.go writes what
	// sigs.k8s.io/yaml writes, with a fraction of the allocations.
	block, err := parseCanonical(data[start:end], true)
	if err != nil {
		return nil, err
	}
	md, ok := block.fields["metadata"].(map[string]any)
	if !ok || len(block.fields) != 1 {
		return addAnnotationsWhole(data, add)
	}
	if !mergeAnnotations(md, add) {
		return data, nil
	}
	written, err := block.encode(end - start + 128)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(data)-(end-start)+len(written))
	out = append(out, data[:start]...)
	out = append(out, written...)
	return append(out, data[end:]...), nil
}

// addAnnotationsWhole parses and writes the whole object.
func addAnnotationsWhole(data []byte, add map[string]string) ([]byte, error) {
	var obj map[string]any
	if err := yaml.Unmarshal(data, &obj); err != nil {
		return nil, err
	}
	if obj == nil {
		return nil, fmt.Errorf("not an object")
	}
	md, ok := obj["metadata"].(map[string]any)
	if !ok {
		if obj["metadata"] != nil {
			return nil, fmt.Errorf("metadata is not a mapping")
		}
		md = map[string]any{}
		obj["metadata"] = md
	}
	if !mergeAnnotations(md, add) {
		return data, nil
	}
	return yaml.Marshal(obj)
}

// mergeAnnotations adds the annotations md lacks; false when it has them
// all.
func mergeAnnotations(md map[string]any, add map[string]string) bool {
	ann, ok := md["annotations"].(map[string]any)
	if !ok {
		ann = map[string]any{}
	}
	changed := false
	for k, v := range add {
		if _, have := ann[k]; !have {
			ann[k] = v
			changed = true
		}
	}
	if changed {
		md["annotations"] = ann
	}
	return changed
}

// metadataBlock finds the top-level "metadata:" key and the lines of its
// value: from the key's line up to the next line that starts a top-level
// key. A line at column 0 is always a top-level key in the YAML render
// writes: nested values, multi-line strings and block scalars are
// indented (an empty line inside a block scalar has no indentation, and
// does not end the block).
func metadataBlock(data []byte) (start, end int, ok bool) {
	const key = "metadata:\n"
	switch {
	case bytes.HasPrefix(data, []byte(key)):
		start = 0
	default:
		i := bytes.Index(data, []byte("\n"+key))
		if i < 0 {
			return 0, 0, false
		}
		start = i + 1
	}
	end = start + len(key)
	for end < len(data) {
		nl := bytes.IndexByte(data[end:], '\n')
		if nl < 0 {
			// The last line has no newline: render always ends one.
			return 0, 0, false
		}
		if nl > 0 && data[end] != ' ' {
			break
		}
		end += nl + 1
	}
	return start, end, true
}
