package compare

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Format says how a Report is written.
type Format struct {
	// Markdown writes a heading per kind and a ```diff block of its objects,
	// for a pull request comment; otherwise plain text for a terminal.
	Markdown bool
	// Brief lists the objects that differ without their fields.
	Brief bool
}

// Write prints the report: a summary line, then per kind the objects that
// differ. A changed object shows each differing field with its old value on
// "-" lines and its new value on "+" lines; an added or removed object
// shows its whole YAML, unless the format is Brief.
func (r *Report) Write(w io.Writer, f Format) error {
	bw := bufio.NewWriter(w)
	p := printer{w: bw}
	if f.Markdown {
		p.printf("**%s**\n", capitalize(r.Summary()))
	} else {
		p.printf("%s\n", capitalize(r.Summary()))
	}
	for i := 0; i < len(r.Changes); {
		j := i
		for j < len(r.Changes) && sameKind(r.Changes[i].Key, r.Changes[j].Key) {
			j++
		}
		p.kind(r.Changes[i:j], f)
		i = j
	}
	if p.err != nil {
		return p.err
	}
	return bw.Flush()
}

// printer writes lines and remembers the first error.
type printer struct {
	w   *bufio.Writer
	err error
}

func (p *printer) printf(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

// line writes a diff line: the marker in the first column, then the text
// indented.
func (p *printer) line(marker byte, indent int, text string) {
	p.printf("%c %s%s\n", marker, strings.Repeat(" ", indent), text)
}

// kind writes the changes of one kind.
func (p *printer) kind(changes []Change, f Format) {
	title := changes[0].Key.Kind
	if g := changes[0].Key.Group; g != "" {
		title += " (" + g + ")"
	}
	if f.Markdown {
		p.printf("\n#### %s\n\n```diff\n", title)
	} else {
		p.printf("\n%s\n", title)
	}
	for _, c := range changes {
		p.change(c, f)
	}
	if f.Markdown {
		p.printf("```\n")
	}
}

// change writes one object.
func (p *printer) change(c Change, f Format) {
	switch c.Op {
	case Added:
		p.line('+', 0, c.Key.Object()+" (added)")
		if !f.Brief {
			p.block('+', 4, c.New)
		}
	case Removed:
		p.line('-', 0, c.Key.Object()+" (removed)")
		if !f.Brief {
			p.block('-', 4, c.Old)
		}
	case Changed:
		p.line('~', 0, fmt.Sprintf("%s (%d %s)", c.Key.Object(), len(c.Fields), plural(len(c.Fields), "field", "fields")))
		if f.Brief {
			return
		}
		for _, fd := range c.Fields {
			p.field(fd)
		}
	}
}

// field writes one differing field. A reordered list shows the names of
// its elements in the old order on the "-" line and in the new order on the
// "+" line.
func (p *printer) field(fd Field) {
	if fd.Op == Reordered {
		p.line(' ', 4, fd.Path+": order changed")
		p.names('-', fd.Old)
		p.names('+', fd.New)
		return
	}
	p.line(' ', 4, fd.Path+":")
	if a, b, ok := multiline(fd.Old, fd.New); ok && fd.Op == Changed {
		for _, l := range diffLines(a, b) {
			if l.op == '.' {
				p.line(' ', 6, "...")
				continue
			}
			p.line(l.op, 6, l.text)
		}
		return
	}
	if fd.Op != Added {
		p.block('-', 6, fd.Old)
	}
	if fd.Op != Removed {
		p.block('+', 6, fd.New)
	}
}

// names writes a list of names on one line; anything else as a block.
func (p *printer) names(marker byte, v any) {
	names, ok := v.([]string)
	if !ok {
		p.block(marker, 6, v)
		return
	}
	p.line(marker, 6, joinNames(names))
}

// block writes a value as YAML lines.
func (p *printer) block(marker byte, indent int, v any) {
	for _, l := range yamlLines(v) {
		p.line(marker, indent, l)
	}
}

func sameKind(a, b Key) bool { return a.Kind == b.Kind && a.Group == b.Group }

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
