package mesh

import (
	"fmt"
	"strings"
)

// FieldError is one problem with a spec, located by its field path such as
// spec.gateways[1].tls.mode.
type FieldError struct {
	// Field is the path of the offending field; empty for the whole document.
	Field string
	// Message says what is wrong and, where it helps, what is accepted.
	Message string
}

// Error returns "field: message".
func (e FieldError) Error() string {
	if e.Field == "" {
		return e.Message
	}
	return e.Field + ": " + e.Message
}

// ValidationError lists every problem found in a spec. Nothing is rendered
// from a spec that has one.
type ValidationError struct {
	// Errors are in a fixed order: decoding problems (unknown fields, wrong
	// types) with mapping keys sorted, or else validation problems in the
	// order the fields appear in the spec.
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
}

// String returns "field: message".
func (w Warning) String() string {
	if w.Field == "" {
		return w.Message
	}
	return w.Field + ": " + w.Message
}

// problems collects field errors or warnings while a spec is checked.
type problems struct {
	errs     []FieldError
	warnings []Warning
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
