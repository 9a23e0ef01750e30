package compare

import (
	"strings"

	"github.com/pmezard/go-difflib/difflib"
)

// contextLines is how many unchanged lines are shown around a change in a
// multi-line string.
const contextLines = 2

// lineOp is one line of a line diff: ' ' unchanged, '-' removed, '+' added,
// or '.' for skipped unchanged lines.
type lineOp struct {
	op   byte
	text string
}

// diffLines compares two texts line by line (a longest-common-subsequence
// match, the same on every run) and keeps contextLines unchanged lines
// around each change.
func diffLines(a, b string) []lineOp {
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	var ops []lineOp
	for _, c := range difflib.NewMatcher(x, y).GetOpCodes() {
		switch c.Tag {
		case 'e':
			for _, l := range x[c.I1:c.I2] {
				ops = append(ops, lineOp{' ', l})
			}
		default: // r(eplace), d(elete), i(nsert)
			for _, l := range x[c.I1:c.I2] {
				ops = append(ops, lineOp{'-', l})
			}
			for _, l := range y[c.J1:c.J2] {
				ops = append(ops, lineOp{'+', l})
			}
		}
	}
	return trimContext(ops)
}

// trimContext drops unchanged lines far from any change, marking each gap.
func trimContext(ops []lineOp) []lineOp {
	keep := make([]bool, len(ops))
	for i, o := range ops {
		if o.op == ' ' {
			continue
		}
		for j := max(0, i-contextLines); j <= min(len(ops)-1, i+contextLines); j++ {
			keep[j] = true
		}
	}
	var out []lineOp
	skipped := false
	for i, o := range ops {
		if !keep[i] {
			skipped = true
			continue
		}
		if skipped {
			out = append(out, lineOp{op: '.'})
			skipped = false
		}
		out = append(out, o)
	}
	if skipped {
		out = append(out, lineOp{op: '.'})
	}
	return out
}
