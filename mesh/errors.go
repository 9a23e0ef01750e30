package mesh

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// FieldError is one problem with a spec, located by its field path such as
// spec.gateways[1].tls.mode.
type FieldError struct {
	// Field is the path of the offending field; empty for the whole document.
	Field string
	// Message says what is wrong and, where it helps, what is accepted.
	Message string
	// From is set when Field is inside an element of a named list that
	// the profile gives and the spec does not name, so that its index
	// means nothing in the spec as written: the element's name and the
	// profile, such as "istio-ingressgateway, from profile production".
	From string
}

// Error returns "field: message", or "field (from): message".
func (e FieldError) Error() string {
	return fieldLine(e.Field, e.From, e.Message)
}

// fieldLine prints a problem: its field path, where the element it is in
// comes from, and its message.
func fieldLine(field, from, msg string) string {
	switch {
	case field == "":
		return msg
	case from != "":
		return field + " (" + from + "): " + msg
	}
	return field + ": " + msg
}

// ValidationError lists every problem found in a spec. Nothing is rendered
// from a spec that has one.
type ValidationError struct {
	// Errors are in a fixed order: decoding problems (unknown fields, wrong
	// types) with mapping keys sorted, or else validation problems in the
	// order the fields appear in the spec (fields in the order the types,
	// and the documentation, list them; list elements by index), those at
	// one field in the order they were found.
	Errors []FieldError
}

// Error returns one problem per line.
func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Errors))
	for i, fe := range e.Errors {
		lines[i] = fe.Error()
	}
	if len(lines) == 1 {
		return "invalid IstioMesh: " + lines[0]
	}
	return fmt.Sprintf("invalid IstioMesh (%d problems):\n  %s", len(lines), strings.Join(lines, "\n  "))
}

// Warning is a risky but legal choice in a spec.
type Warning struct {
	// Field is the path the warning is about.
	Field string
	// Message explains the risk.
	Message string
	// From is set as for a FieldError: where the element Field is in
	// comes from, when the spec does not name it.
	From string
}

// String returns "field: message", or "field (from): message".
func (w Warning) String() string {
	return fieldLine(w.Field, w.From, w.Message)
}

// problems collects field errors or warnings while a spec is checked.
type problems struct {
	errs     []FieldError
	warnings []Warning
	// origin, while a document or a spec built in Go is resolved, knows
	// which settings its profile gave; nil otherwise.
	origin *origin
}

func (p *problems) errorf(field, format string, args ...any) {
	p.errs = append(p.errs, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

func (p *problems) warnf(field, format string, args ...any) {
	p.warnings = append(p.warnings, Warning{Field: field, Message: fmt.Sprintf(format, args...)})
}

// err returns a *ValidationError when any error was recorded.
func (p *problems) err() error {
	if len(p.errs) == 0 {
		return nil
	}
	return &ValidationError{Errors: p.errs}
}

// quote prepares text the user wrote (a value, or a key that is not plain)
// for a message: cut to 64 bytes on a character boundary, then quoted with
// Go escapes, so that an escape sequence, a line break, NUL or a
// bidirectional override prints as \x1b, \n, \x00 or \u202e and cannot
// redraw a terminal or forge a line. Every user-written value and key
// reaches a message through quote, directly or through childPath and
// keyPath.
func quote(s string) string {
	return strconv.Quote(truncate(s))
}

// truncate cuts s to at most 64 bytes, ending in "..." when it was longer.
func truncate(s string) string {
	const limit, keep = 64, 61
	if len(s) <= limit {
		return s
	}
	cut := keep
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

// plainKey reports whether a mapping key prints bare in a field path: a
// letter or underscore, then letters, digits, underscores and dashes, at
// most 64 bytes. Any other key prints quoted, so that a path is never
// ambiguous and never carries a control character.
func plainKey(k string) bool {
	if k == "" || len(k) > 64 {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
		case i > 0 && (c >= '0' && c <= '9' || c == '-'):
		default:
			return false
		}
	}
	return true
}

// childPath is the path of key k in the mapping at p: p.k for a plain key,
// p["k"] with Go escapes for any other, such as spec.values.istiod["a.b"].
func childPath(p *field.Path, k string) *field.Path {
	if plainKey(k) {
		return p.Child(k)
	}
	return p.Key(quote(k))
}

// keyPath is the path of key k in a map of names such as labels: p[k] for
// a plain key, p["k"] with Go escapes for any other.
func keyPath(p *field.Path, k string) *field.Path {
	if plainKey(k) {
		return p.Key(k)
	}
	return p.Key(quote(k))
}

// keyAt is keyPath for a path held as a string.
func keyAt(at, k string) string {
	return at + keyPath(nil, k).String()
}

// pathString prints a field path; the document itself is the empty path.
func pathString(p *field.Path) string {
	if p == nil {
		return ""
	}
	return p.String()
}

// escapeUnprintable escapes, Go style, every character of a message from
// a library (such as the YAML parser) that a terminal could act on, keeping
// line breaks.
func escapeUnprintable(msg string) string {
	var b strings.Builder
	for i := 0; i < len(msg); {
		c, size := utf8.DecodeRuneInString(msg[i:])
		switch {
		case c == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, msg[i])
		case c == '\n' || unicode.IsPrint(c):
			b.WriteString(msg[i : i+size])
		default:
			q := strconv.QuoteRune(c)
			b.WriteString(q[1 : len(q)-1])
		}
		i += size
	}
	return b.String()
}
