package render

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"

	yamlv2 "go.yaml.in/yaml/v2"
	"sigs.k8s.io/yaml"
)

// A chart's output is made canonical by parsing each document and writing
// it back: keys sorted, one quoting and indentation style, YAML 1.1 scalars
// resolved. The reference for the bytes is sigs.k8s.io/yaml, the library
// Kubernetes tools use: Unmarshal into a map, then Marshal. It gets there
// through JSON four times (YAML to JSON, JSON to a map, the map to JSON,
// JSON back to YAML) and that was a quarter of a cold render's CPU.
//
// parseCanonical takes the short way for the documents charts render,
// which are plain maps, lists, strings, booleans and numbers: it parses
// once with the same YAML parser, applies the same conversions the JSON
// trips apply (numbers become float64 and back, keys must be strings), and
// encode leaves the rest to the same YAML encoder. Anything else (non-string
// keys, binary, infinities, characters JSON leaves raw but YAML will not
// read, a document that is not a map) takes the reference path, so errors
// and edge cases are the reference's own. TestShortcutsChangeNoByte and
// FuzzCanonical prove the two paths give the same bytes.

// parsed is a rendered document ready to encode.
type parsed struct {
	fields map[string]any
	// fast tells which path parsed it, and so which encoder writes it.
	fast bool
}

// parseCanonical parses one rendered document, the short way when short is
// set and the document allows it; a nil map for an empty one.
func parseCanonical(doc []byte, short bool) (parsed, error) {
	if short {
		if fields, ok := fastParse(doc); ok {
			return parsed{fields: fields, fast: true}, nil
		}
	}
	var fields map[string]any
	if err := yaml.Unmarshal(doc, &fields); err != nil {
		return parsed{}, err
	}
	return parsed{fields: fields}, nil
}

// encode writes the object as sigs.k8s.io/yaml.Marshal would. sizeHint is
// the expected length, the source document's: the short path writes into a
// buffer of about that size instead of growing one, which halves what a
// large document allocates.
func (o parsed) encode(sizeHint int) ([]byte, error) {
	if !o.fast {
		return yaml.Marshal(o.fields)
	}
	var buf bytes.Buffer
	buf.Grow(sizeHint + sizeHint/8 + 64)
	enc := yamlv2.NewEncoder(&buf)
	if err := enc.Encode(o.fields); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// fastParse parses a document into the values the reference path would
// hand its encoder; false when the document needs the reference path.
func fastParse(doc []byte) (map[string]any, bool) {
	var raw any
	if err := yamlv2.Unmarshal(doc, &raw); err != nil {
		return nil, false
	}
	if _, isMap := raw.(map[any]any); !isMap {
		return nil, false
	}
	v, ok := jsonValue(raw)
	if !ok {
		return nil, false
	}
	return v.(map[string]any), true
}

// jsonValue converts a parsed YAML value into what survives a trip through
// JSON and back through the YAML parser; false for a value the fast path
// does not handle.
func jsonValue(v any) (any, bool) {
	switch t := v.(type) {
	case nil, bool:
		return t, true
	case string:
		return t, plainText(t)
	case map[any]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			ks, isString := k.(string)
			if !isString || !plainText(ks) {
				return nil, false
			}
			c, ok := jsonValue(e)
			if !ok {
				return nil, false
			}
			out[ks] = c
		}
		return out, true
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			c, ok := jsonValue(e)
			if !ok {
				return nil, false
			}
			out[i] = c
		}
		return out, true
	case int:
		return jsonInt(int64(t))
	case int64:
		return jsonInt(t)
	case uint64:
		return jsonNumber(float64(t))
	case float64:
		return jsonNumber(t)
	default:
		return nil, false
	}
}

// jsonInt is an integer after the reference path's trips: one that a
// float64 holds exactly comes back as the int YAML parses its digits into.
func jsonInt(i int64) (any, bool) {
	const exact = 1 << 53
	if i >= -exact && i <= exact {
		return int(i), true
	}
	return jsonNumber(float64(i))
}

// jsonNumber is a number after the reference path's trips: decoded from
// JSON as a float64, encoded as JSON, and parsed as YAML, which makes
// integral values integers again.
func jsonNumber(f float64) (any, bool) {
	data, err := json.Marshal(f)
	if err != nil {
		// NaN and infinities: JSON has no encoding for them.
		return nil, false
	}
	var v any
	if err := yamlv2.Unmarshal(data, &v); err != nil {
		return nil, false
	}
	return v, true
}

// plainText reports whether a string crosses JSON and back unchanged by the
// reference path: valid UTF-8 (JSON replaces invalid bytes) without the
// characters JSON leaves unescaped but YAML refuses to read (DEL, C1
// controls, U+FFFE and U+FFFF).
func plainText(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x7f {
			return plainRunes(s[i:])
		}
	}
	return true
}

func plainRunes(s string) bool {
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			return false // invalid UTF-8, or a literal U+FFFD: either way, the reference decides
		case r >= 0x7f && r <= 0x9f, r == 0xfffe, r == 0xffff:
			return false
		}
	}
	return true
}
