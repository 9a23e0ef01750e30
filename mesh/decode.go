package mesh

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	yamlv2 "go.yaml.in/yaml/v2"
	yamlv3 "go.yaml.in/yaml/v3"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// MaxSpecBytes is the largest spec Load accepts. Real specs are a few
// kilobytes; the limit keeps a mistaken input from exhausting memory.
const MaxSpecBytes = 1 << 20

// maxValuesDepth is the deepest nesting accepted inside raw Helm values.
const maxValuesDepth = 32

// parseDocument turns one YAML document into a generic JSON-like tree,
// rejecting empty input, several documents, duplicate keys, oversized
// input, text YAML does not allow, and what a JSON tree cannot hold as
// written: keys that are not strings, infinities and NaN.
//
// The document is read as go.yaml.in/yaml/v2 reads it (YAML 1.1, as Helm
// and sigs.k8s.io/yaml do), so a value such as yes or on is a boolean.
// A key is different: a key the decoder would read as a number, boolean or
// null is refused with its path, where sigs.k8s.io/yaml would turn it into
// a string that may differ from what was written (0x1F becomes "31", y
// becomes "true") and may collide with another key.
//
// Beside the tree it returns the document's source text (see sourceTree),
// which checkShape quotes from.
func parseDocument(data []byte) (map[string]any, any, error) {
	if len(data) > MaxSpecBytes {
		return nil, nil, fmt.Errorf("spec is %d bytes; the limit is %d", len(data), MaxSpecBytes)
	}
	text, err := yamlText(data)
	if err != nil {
		return nil, nil, fmt.Errorf("parsing YAML: %w", err)
	}
	doc, docs, err := firstDocument(text)
	if err != nil {
		return nil, nil, err
	}
	switch {
	case docs == 0:
		return nil, nil, errors.New("spec is empty: expected one IstioMesh document")
	case docs > 1:
		return nil, nil, fmt.Errorf("spec has %d YAML documents: expected exactly one IstioMesh", docs)
	}
	p := &problems{}
	checkNodes(p, nil, doc)
	if err := p.err(); err != nil {
		return nil, nil, err
	}
	raw, err := decodeYAML(text)
	if err != nil {
		return nil, nil, fmt.Errorf("parsing YAML: %w", cleanYAMLError(err))
	}
	tree := jsonValue(p, nil, raw)
	if err := p.err(); err != nil {
		return nil, nil, err
	}
	obj, ok := tree.(map[string]any)
	if !ok {
		return nil, nil, fmt.Errorf("spec must be a YAML mapping with apiVersion, kind, metadata and spec; got %s", describe(tree))
	}
	return obj, sourceTree(doc, map[*yamlv3.Node]any{}), nil
}

// sourceTree mirrors a parsed document for messages that quote what was
// written: a mapping becomes a map[string]any and a list an []any, as in
// the decoded tree, and a plain scalar YAML reads as a number holds its
// text (1.30, where the decoded tree holds 1.3); anything else is nil. An
// alias shares its anchor's subtree, so the mirror is no larger than the
// document.
func sourceTree(n *yamlv3.Node, seen map[*yamlv3.Node]any) any {
	if v, ok := seen[n]; ok {
		return v
	}
	var out any
	switch n.Kind {
	case yamlv3.DocumentNode:
		if len(n.Content) > 0 {
			out = sourceTree(n.Content[0], seen)
		}
	case yamlv3.AliasNode:
		if n.Alias != nil {
			out = sourceTree(n.Alias, seen)
		}
	case yamlv3.SequenceNode:
		list := make([]any, len(n.Content))
		for i, c := range n.Content {
			list[i] = sourceTree(c, seen)
		}
		out = list
	case yamlv3.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := n.Content[i]; k.Kind == yamlv3.ScalarNode && k.ShortTag() != "!!merge" {
				m[k.Value] = sourceTree(n.Content[i+1], seen)
			}
		}
		out = m
	case yamlv3.ScalarNode:
		if n.Style == 0 && (n.ShortTag() == "!!int" || n.ShortTag() == "!!float") {
			out = n.Value
		}
	}
	seen[n] = out
	return out
}

// sourceAt is the source of key k of a mapping's source, or of element i
// of a list's (k empty); nil when there is none.
func sourceAt(src any, k string, i int) any {
	switch x := src.(type) {
	case map[string]any:
		return x[k]
	case []any:
		if i < len(x) {
			return x[i]
		}
	}
	return nil
}

// yamlText returns a document as UTF-8, decoding UTF-16 that starts with a
// byte order mark, and refuses invalid UTF-8 and the characters YAML does
// not allow (control characters other than tab and line breaks) with their
// line and column; the YAML parser names neither.
func yamlText(data []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}):
		return fromUTF16(data[2:], binary.LittleEndian)
	case bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		return fromUTF16(data[2:], binary.BigEndian)
	}
	line, col := 1, 1
	for i := 0; i < len(data); {
		c, size := utf8.DecodeRune(data[i:])
		switch {
		case c == utf8.RuneError && size == 1:
			return nil, fmt.Errorf("line %d, column %d: byte 0x%02x is not UTF-8: save the file as UTF-8", line, col, data[i])
		case !yamlChar(c):
			what := "character"
			if unicode.IsControl(c) {
				what = "control character"
			}
			q := strconv.QuoteRune(c)
			return nil, fmt.Errorf("line %d, column %d: %s %U is not allowed in YAML; inside double quotes, write it as %s", line, col, what, c, q[1:len(q)-1])
		case c == '\n', c == '\r' && (i+1 == len(data) || data[i+1] != '\n'):
			line, col = line+1, 1
		default:
			col++
		}
		i += size
	}
	return data, nil
}

// yamlChar reports whether YAML allows c in a document (YAML 1.2, 5.1).
func yamlChar(c rune) bool {
	return c == '\t' || c == '\n' || c == '\r' || c >= 0x20 && c <= 0x7e || c == 0x85 ||
		c >= 0xa0 && c <= 0xd7ff || c >= 0xe000 && c <= 0xfffd || c >= 0x10000 && c <= 0x10ffff
}

// fromUTF16 decodes UTF-16 after its byte order mark, then checks the text
// as UTF-8.
func fromUTF16(data []byte, order binary.ByteOrder) ([]byte, error) {
	if len(data)%2 != 0 {
		return nil, errors.New("the document is not UTF-16: it has an odd number of bytes")
	}
	out := make([]byte, 0, len(data)+len(data)/2)
	line := 1
	for i := 0; i < len(data); i += 2 {
		c := rune(order.Uint16(data[i:]))
		if utf16.IsSurrogate(c) {
			var next rune = utf8.RuneError
			if i+4 <= len(data) {
				next = rune(order.Uint16(data[i+2:]))
			}
			if c = utf16.DecodeRune(c, next); c == utf8.RuneError {
				return nil, fmt.Errorf("line %d: the document is not UTF-16: unpaired surrogate %#04x", line, order.Uint16(data[i:]))
			}
			i += 2
		}
		if c == '\n' {
			line++
		}
		out = utf8.AppendRune(out, c)
	}
	return yamlText(out)
}

// firstDocument parses every document of a stream and returns the first
// that is not empty, and how many are not.
func firstDocument(data []byte) (*yamlv3.Node, int, error) {
	dec := yamlv3.NewDecoder(bytes.NewReader(data))
	var first *yamlv3.Node
	n := 0
	for {
		var node yamlv3.Node
		err := dec.Decode(&node)
		if errors.Is(err, io.EOF) {
			return first, n, nil
		}
		if err != nil {
			return nil, 0, fmt.Errorf("parsing YAML: %s", escapeUnprintable(err.Error()))
		}
		if len(node.Content) > 0 && !(node.Content[0].Kind == yamlv3.ScalarNode && node.Content[0].Tag == "!!null") {
			if n == 0 {
				first = &node
			}
			n++
		}
	}
}

// decodeYAML decodes the first document that is not empty, strictly:
// a key given twice is an error.
func decodeYAML(data []byte) (any, error) {
	dec := yamlv2.NewDecoder(bytes.NewReader(data))
	dec.SetStrict(true)
	for {
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		if v != nil {
			return v, nil
		}
	}
}

// yaml11Booleans are the keys the YAML 1.1 decoder reads as booleans
// beyond true and false.
var yaml11Booleans = map[string]bool{
	"y": true, "Y": true, "yes": true, "Yes": true, "YES": true, "on": true, "On": true, "ON": true,
	"n": true, "N": true, "no": true, "No": true, "NO": true, "off": true, "Off": true, "OFF": true,
}

// checkNodes walks a parsed document and records, with field path and
// line, every key that is not a string, every infinity or NaN, and every
// number written with a leading zero (see checkOctal). jsonValue
// checks the same on the decoded tree, so nothing passes where this walk
// and the decoder disagree; this walk is where the line numbers come from.
// An alias is checked where its anchor is.
func checkNodes(p *problems, path *field.Path, n *yamlv3.Node) {
	switch n.Kind {
	case yamlv3.DocumentNode:
		for _, c := range n.Content {
			checkNodes(p, path, c)
		}
	case yamlv3.SequenceNode:
		for i, c := range n.Content {
			checkNodes(p, path.Index(i), c)
		}
	case yamlv3.MappingNode:
		first := map[string]int{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind == yamlv3.AliasNode && k.Alias != nil {
				k = k.Alias
			}
			if k.Kind != yamlv3.ScalarNode {
				what := "a mapping"
				if k.Kind == yamlv3.SequenceNode {
					what = "a list"
				}
				p.errorf(pathString(path), "line %d: %s cannot be a key; mapping keys must be strings", n.Content[i].Line, what)
				continue
			}
			if what := keyType(k); what != "" {
				if k.Value == "" {
					p.errorf(pathString(path), "line %d: an empty key is null; mapping keys must be strings", n.Content[i].Line)
				} else {
					p.errorf(pathString(path), "line %d: key %s is %s; mapping keys must be strings: write %s in quotes if it is a name",
						n.Content[i].Line, token(k.Value), what, quote(k.Value))
				}
			} else if k.ShortTag() != "!!merge" {
				if line, dup := first[k.Value]; dup {
					p.errorf(pathString(childPath(path, k.Value)), "line %d: given twice; the first is at line %d", n.Content[i].Line, line)
					continue
				}
				first[k.Value] = n.Content[i].Line
			}
			checkNodes(p, childPath(path, k.Value), v)
		}
	case yamlv3.ScalarNode:
		if n.Style&(yamlv3.DoubleQuotedStyle|yamlv3.SingleQuotedStyle|yamlv3.LiteralStyle|yamlv3.FoldedStyle) != 0 {
			return
		}
		checkOctal(p, path, n)
		if n.ShortTag() != "!!float" {
			return
		}
		switch strings.ToLower(strings.TrimPrefix(n.Value, "+")) {
		case ".inf", "-.inf":
			p.errorf(pathString(path), "line %d: %s is infinite, which JSON cannot hold: write a finite number, or %s in quotes for text", n.Line, token(n.Value), quote(n.Value))
		case ".nan":
			p.errorf(pathString(path), "line %d: %s is not a number, which JSON cannot hold: write a number, or %s in quotes for text", n.Line, token(n.Value), quote(n.Value))
		}
	}
}

// keyType names what the decoder reads a scalar key as, unless it is a
// string: "null", "a number" or "a boolean". A key with an explicit tag
// other than !!str is left to jsonValue.
func keyType(k *yamlv3.Node) string {
	if k.Style&yamlv3.TaggedStyle != 0 {
		return ""
	}
	if k.Style&(yamlv3.DoubleQuotedStyle|yamlv3.SingleQuotedStyle|yamlv3.LiteralStyle|yamlv3.FoldedStyle) != 0 {
		return ""
	}
	switch k.ShortTag() {
	case "!!null":
		return "null"
	case "!!int", "!!float":
		return "a number"
	case "!!bool":
		return "a boolean"
	case "!!str":
		if yaml11Booleans[k.Value] {
			return "a boolean"
		}
	}
	return "" // strings, and dates, which the decoder keeps as written
}

// token prints a scalar YAML resolved as a number, boolean or null as
// written; it quotes anything else.
func token(s string) string {
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || strings.ContainsRune("._+-~", c)) {
			return quote(s)
		}
	}
	return s
}

// jsonValue converts a decoded YAML value into the tree encoding/json
// produces (strings, booleans, json.Numbers, nil, []any, map[string]any),
// recording with its field path every key that is not a string and every
// infinity or NaN.
func jsonValue(p *problems, path *field.Path, v any) any {
	switch x := v.(type) {
	case map[any]any:
		out := make(map[string]any, len(x))
		var odd []string
		for k, e := range x {
			s, ok := k.(string)
			if !ok {
				odd = append(odd, fmt.Sprintf("key %s is %s", quote(fmt.Sprint(k)), describeKey(k)))
				continue
			}
			out[s] = e
		}
		slices.Sort(odd)
		for _, msg := range odd {
			p.errorf(pathString(path), "%s; mapping keys must be strings", msg)
		}
		for _, k := range slices.Sorted(maps.Keys(out)) {
			out[k] = jsonValue(p, childPath(path, k), out[k])
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonValue(p, path.Index(i), e)
		}
		return out
	case nil, bool:
		return x
	case string:
		if utf8.ValidString(x) {
			return x
		}
	case int:
		return json.Number(strconv.Itoa(x))
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			p.errorf(pathString(path), "%v cannot be held in JSON: write a finite number", x)
			return nil
		}
	}
	// Other scalars, and text that is not UTF-8 (from !!binary), take the
	// same trip through JSON as before.
	data, err := json.Marshal(v)
	if err != nil {
		p.errorf(pathString(path), "unsupported value of type %T", v)
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var out any
	if err := dec.Decode(&out); err != nil {
		p.errorf(pathString(path), "unsupported value of type %T", v)
		return nil
	}
	return out
}

// describeKey names the type of a key that is not a string.
func describeKey(k any) string {
	switch k.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case int, int64, uint64, float64:
		return "a number"
	default:
		return fmt.Sprintf("a %T", k)
	}
}

// cleanYAMLError drops the parser's prefixes, keeping the line number, and
// escapes any character of the message that could act on a terminal.
func cleanYAMLError(err error) error {
	msg := err.Error()
	for _, p := range []string{"error converting YAML to JSON: ", "yaml: ", "unmarshal errors:\n  "} {
		msg = strings.TrimPrefix(msg, p)
	}
	msg = strings.ReplaceAll(msg, "\n  ", "; ")
	return errors.New(escapeUnprintable(msg))
}

var (
	quantityType    = reflect.TypeFor[Quantity]()
	intOrStringType = reflect.TypeFor[IntOrString]()
)

// checkShape walks a parsed document against a Go type and records unknown
// fields and values of the wrong type, each with its field path. src is
// the document's source (sourceTree), or nil for a tree built in Go.
func checkShape(p *problems, path *field.Path, v any, t reflect.Type, src any) {
	if v == nil {
		return // null: the field is unset
	}
	switch {
	case t == quantityType:
		switch v.(type) {
		case string, json.Number:
		default:
			p.errorf(pathString(path), "expected a quantity such as 500m or 1Gi, got %s", describe(v))
		}
		return
	case t == intOrStringType:
		switch n := v.(type) {
		case string:
		case json.Number:
			checkInt(p, path, n, math.MinInt32, math.MaxInt32)
		default:
			p.errorf(pathString(path), "expected a whole number or a percentage, got %s", describe(v))
		}
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		checkShape(p, path, v, t.Elem(), src)
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			p.errorf(pathString(path), "expected a mapping, got %s", describe(v))
			return
		}
		fields := jsonFields(t)
		for _, k := range slices.Sorted(maps.Keys(m)) {
			ft, ok := fields[k]
			if !ok {
				p.errorf(pathString(childPath(path, k)), "unknown field%s", suggest(k, fields))
				continue
			}
			checkShape(p, path.Child(k), m[k], ft, sourceAt(src, k, 0))
		}
	case reflect.Slice:
		s, ok := v.([]any)
		if !ok {
			p.errorf(pathString(path), "expected a list, got %s", describe(v))
			return
		}
		for i, e := range s {
			checkShape(p, path.Index(i), e, t.Elem(), sourceAt(src, "", i))
		}
	case reflect.Map:
		m, ok := v.(map[string]any)
		if !ok {
			p.errorf(pathString(path), "expected a mapping, got %s", describe(v))
			return
		}
		for _, k := range slices.Sorted(maps.Keys(m)) {
			if t.Elem().Kind() == reflect.Interface {
				checkDepth(p, childPath(path, k), m[k], 1)
				continue
			}
			checkShape(p, keyPath(path, k), m[k], t.Elem(), sourceAt(src, k, 0))
		}
	case reflect.Interface:
		checkDepth(p, path, v, 0)
	case reflect.String:
		if _, ok := v.(string); !ok {
			p.errorf(pathString(path), "expected a string, got %s%s", describe(v), quoteHint(v, src))
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			p.errorf(pathString(path), "expected true or false, got %s", describe(v))
		}
	case reflect.Int32:
		n, ok := v.(json.Number)
		if !ok {
			p.errorf(pathString(path), "expected a whole number, got %s", describe(v))
			return
		}
		checkInt(p, path, n, math.MinInt32, math.MaxInt32)
	case reflect.Float64:
		if _, ok := v.(json.Number); !ok {
			p.errorf(pathString(path), "expected a number, got %s", describe(v))
		}
	default:
		p.errorf(pathString(path), "unsupported field type %s", t)
	}
}

// checkInt records an error unless n is a whole number in [lo, hi].
func checkInt(p *problems, path *field.Path, n json.Number, lo, hi int64) {
	i, err := n.Int64()
	if err != nil {
		p.errorf(pathString(path), "expected a whole number, got %s", n)
		return
	}
	if i < lo || i > hi {
		p.errorf(pathString(path), "%d is out of range", i)
	}
}

// checkDepth bounds the nesting of free-form values.
func checkDepth(p *problems, path *field.Path, v any, depth int) {
	if depth > maxValuesDepth {
		p.errorf(pathString(path), "values nested deeper than %d levels", maxValuesDepth)
		return
	}
	switch x := v.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(x)) {
			checkDepth(p, childPath(path, k), x[k], depth+1)
		}
	case []any:
		for i, e := range x {
			checkDepth(p, path.Index(i), e, depth+1)
		}
	}
}

// jsonFields maps the JSON names of a struct's fields, inlined ones
// included, to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && strings.Contains(opts, "inline") || f.Anonymous && name == "" {
			for k, v := range jsonFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if name == "" || name == "-" || !f.IsExported() {
			continue
		}
		out[name] = f.Type
	}
	return out
}

// suggest names a known field that differs from an unknown one only in case
// or by one edit.
func suggest(unknown string, fields map[string]reflect.Type) string {
	return suggestName(unknown, slices.Sorted(maps.Keys(fields)))
}

// suggestName names one of the sorted known names that differs from an
// unknown one only in case or by one edit.
func suggestName(unknown string, known []string) string {
	for _, k := range known {
		if strings.EqualFold(k, unknown) || editDistance(k, unknown) == 1 {
			return fmt.Sprintf(" (did you mean %s?)", quote(k))
		}
	}
	return ""
}

// editDistance is the Levenshtein distance of two short strings.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// describe names the YAML type of a parsed value for error messages.
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return "string " + quote(x)
	case bool:
		return fmt.Sprintf("boolean %t", x)
	case json.Number:
		return "number " + x.String()
	case []any:
		return "a list"
	case map[string]any:
		return "a mapping"
	default:
		return fmt.Sprintf("%T", v)
	}
}

// quoteHint suggests quoting numbers that were meant as strings, such as
// version: 1.30, as written: the source text src where there is one
// (1.30, where the number read is 1.3), else the number.
func quoteHint(v any, src any) string {
	n, ok := v.(json.Number)
	if !ok {
		return ""
	}
	text := n.String()
	if s, ok := src.(string); ok {
		text = s
	}
	return fmt.Sprintf(" (quote it: %s)", quote(text))
}
