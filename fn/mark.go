package fn

import (
	"bytes"
	"fmt"
	"unicode"

	sigsyaml "sigs.k8s.io/yaml"
)

// marker adds the GeneratedByAnnotation to rendered objects, in the bytes
// render gives, without parsing them.
//
// render writes every object as sigs.k8s.io/yaml.Marshal does: block
// style, two-space indentation, keys sorted in the order of the YAML
// encoder's key list (letters after other characters, runs of digits by
// value). metadata is a key at the margin; annotations, when present, is
// its first key ("annotations" sorts before every other field of
// ObjectMeta), and its entries are keys four spaces in, or it is empty,
// "annotations: {}", as charts may render it. The annotation is
// added as the entry sigs.k8s.io/yaml.Marshal would write at its sorted
// place, so the marked object is the object render would give with the
// annotation set, byte for byte (a test holds this for every golden spec).
// An object that does not have this shape (no metadata at the margin,
// annotations written as a flow or quoted key, the annotation already
// set) takes the reference path: decoded, annotated and encoded again
// with sigs.k8s.io/yaml.
type marker struct {
	name string
	// entry is the annotation as an entry of metadata.annotations, and
	// block as the whole field; nil when the name cannot be written on
	// one line, so that every object takes the reference path.
	entry, block []byte
	// key is GeneratedByAnnotation as runes, to compare with other keys.
	key []rune
}

// newMarker returns the marker for the IstioMesh named name.
func newMarker(name string) (marker, error) {
	m := marker{name: name, key: []rune(GeneratedByAnnotation)}
	line, err := sigsyaml.Marshal(map[string]string{GeneratedByAnnotation: name})
	if err != nil {
		return marker{}, fmt.Errorf("encoding the %s annotation: %w", GeneratedByAnnotation, err)
	}
	if bytes.IndexByte(line, '\n') == len(line)-1 {
		m.entry = append([]byte("    "), line...)
		m.block = append([]byte("  annotations:\n"), m.entry...)
	}
	return m, nil
}

// marked is a rendered object with the annotation: head, insert and tail
// written in a row. An object that took the reference path is all head.
type marked struct {
	head, insert, tail []byte
	// replaced means insert stands for a line of the object, an empty
	// "annotations: {}", rather than being added between two.
	replaced bool
}

// bytes joins the pieces.
func (d marked) bytes() []byte {
	if d.insert == nil {
		return d.head
	}
	b := make([]byte, 0, len(d.head)+len(d.insert)+len(d.tail))
	return append(append(append(b, d.head...), d.insert...), d.tail...)
}

// needsNode is needsNode for the marked object, whose unmarked bytes
// are doc. The annotation is inserted at the start of a line and ends
// with a line break; it holds no config annotation prefix (a name has no
// slash), and none of its lines is "metadata: " at the margin or
// "annotations: " two spaces in. So it cannot make or break any of the
// patterns needsNode looks for: doc answers for the marked object. An object that took the reference path
// is looked at anew.
func (d marked) needsNode(doc []byte) bool {
	switch {
	case d.insert == nil:
		return needsNode(d.head)
	case d.replaced:
		return needsNode(d.bytes())
	}
	return needsNode(doc)
}

// mark returns doc with the annotation. doc is not changed, and the
// pieces share its memory.
func (m marker) mark(doc []byte) (marked, error) {
	if at, cut, insert, ok := m.place(doc); ok {
		return marked{head: doc[:at], insert: insert, tail: doc[at+cut:], replaced: cut > 0}, nil
	}
	b, err := m.reference(doc)
	return marked{head: b}, err
}

// place finds where the annotation goes in doc, how many bytes from
// there it replaces and what to insert; false when doc does not have the
// shape marker describes.
func (m marker) place(doc []byte) (at, cut int, insert []byte, ok bool) {
	if m.entry == nil || len(doc) == 0 || doc[len(doc)-1] != '\n' {
		return 0, 0, nil, false
	}
	start := 0
	if !bytes.HasPrefix(doc, []byte("metadata:\n")) {
		i := bytes.Index(doc, []byte("\nmetadata:\n"))
		if i < 0 {
			return 0, 0, nil, false
		}
		start = i + 1
	}
	at = start + len("metadata:\n")
	first, ok := keyAt(doc[at:], 2)
	const empty = "  annotations: {}\n"
	switch {
	case !ok:
		return 0, 0, nil, false
	case bytes.HasPrefix(doc[at:], []byte(empty)):
		return at, len(empty), m.block, true
	case string(first) == "annotations":
		if !bytes.HasPrefix(doc[at:], []byte("  annotations:\n")) {
			return 0, 0, nil, false
		}
		at += len("  annotations:\n")
		if _, ok := keyAt(doc[at:], 4); !ok {
			return 0, 0, nil, false
		}
	case keyLess([]rune(string(first)), []rune("annotations")):
		return 0, 0, nil, false
	default:
		return at, 0, m.block, true
	}
	// at is the first line of the annotations' entries.
	for at < len(doc) {
		line := doc[at:]
		if i := bytes.IndexByte(line, '\n'); i >= 0 {
			line = line[:i+1]
		}
		switch {
		case len(line) == 1 || bytes.HasPrefix(line, []byte("     ")):
			// An empty line or a deeper one: a multi-line value goes on.
		case !bytes.HasPrefix(line, []byte("    ")):
			// Less indented: the annotations end here.
			return at, 0, m.entry, true
		default:
			k, ok := keyAt(line, 4)
			if !ok || string(k) == GeneratedByAnnotation {
				return 0, 0, nil, false
			}
			if keyLess(m.key, []rune(string(k))) {
				return at, 0, m.entry, true
			}
		}
		at += len(line)
	}
	return at, 0, m.entry, true
}

// keyAt returns the plain key of the mapping entry that starts doc, whose
// key is indent spaces in; false when doc does not start with such an
// entry or the key is quoted or complex.
func keyAt(doc []byte, indent int) ([]byte, bool) {
	if len(doc) <= indent || doc[indent] == ' ' {
		return nil, false
	}
	for _, c := range doc[:indent] {
		if c != ' ' {
			return nil, false
		}
	}
	line := doc[indent:]
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	switch line[0] {
	case '"', '\'', '?', '-', '{', '[', '!', '&', '*', '#', '|', '>', '%', '@', '`':
		return nil, false
	}
	end := bytes.Index(line, []byte(": "))
	if end < 0 {
		if !bytes.HasSuffix(line, []byte(":")) {
			return nil, false
		}
		end = len(line) - 1
	}
	if end == 0 {
		return nil, false
	}
	return line[:end], true
}

// keyLess orders two keys as the YAML encoder render writes with
// (go.yaml.in/yaml/v2's key list) orders string keys.
func keyLess(a, b []rune) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] == b[i] {
			continue
		}
		al, bl := unicode.IsLetter(a[i]), unicode.IsLetter(b[i])
		if al && bl {
			return a[i] < b[i]
		}
		if al || bl {
			return bl
		}
		var an, bn int64
		if a[i] == '0' || b[i] == '0' {
			for j := i - 1; j >= 0 && unicode.IsDigit(a[j]); j-- {
				if a[j] != '0' {
					an, bn = 1, 1
					break
				}
			}
		}
		ai, bi := i, i
		for ; ai < len(a) && unicode.IsDigit(a[ai]); ai++ {
			an = an*10 + int64(a[ai]-'0')
		}
		for ; bi < len(b) && unicode.IsDigit(b[bi]); bi++ {
			bn = bn*10 + int64(b[bi]-'0')
		}
		if an != bn {
			return an < bn
		}
		if ai != bi {
			return ai < bi
		}
		return a[i] < b[i]
	}
	return len(a) < len(b)
}

// reference marks doc the long way: decoded, annotated and encoded again
// with sigs.k8s.io/yaml, as render encodes.
func (m marker) reference(doc []byte) ([]byte, error) {
	var obj map[string]any
	if err := sigsyaml.Unmarshal(doc, &obj); err != nil {
		return nil, fmt.Errorf("decoding a rendered object to mark it: %w", err)
	}
	if obj == nil {
		obj = map[string]any{}
	}
	md, err := mapField(obj, "metadata")
	if err != nil {
		return nil, err
	}
	annos, err := mapField(md, "annotations")
	if err != nil {
		return nil, fmt.Errorf("metadata.%w", err)
	}
	annos[GeneratedByAnnotation] = m.name
	b, err := sigsyaml.Marshal(obj)
	if err != nil {
		return nil, fmt.Errorf("encoding a marked object: %w", err)
	}
	return b, nil
}

// mapField returns the mapping under key in obj, adding an empty one when
// the key is missing or null.
func mapField(obj map[string]any, key string) (map[string]any, error) {
	switch v := obj[key].(type) {
	case map[string]any:
		return v, nil
	case nil:
		m := map[string]any{}
		obj[key] = m
		return m, nil
	default:
		return nil, fmt.Errorf("%s: a %T, not a mapping", key, v)
	}
}
