package compare

import (
	"strings"

	gocmp "github.com/google/go-cmp/cmp"
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

// diffLines compares two texts line by line with go-cmp's edit script and
// keeps contextLines unchanged lines around each change.
func diffLines(a, b string) []lineOp {
	var rep lineReporter
	gocmp.Equal(strings.Split(a, "\n"), strings.Split(b, "\n"), gocmp.Reporter(&rep))
	return trimContext(rep.ops)
}

// lineReporter records every element of a []string comparison.
type lineReporter struct {
	path gocmp.Path
	ops  []lineOp
}

func (r *lineReporter) PushStep(ps gocmp.PathStep) { r.path = append(r.path, ps) }
func (r *lineReporter) PopStep()                   { r.path = r.path[:len(r.path)-1] }

func (r *lineReporter) Report(res gocmp.Result) {
	if _, ok := r.path.Last().(gocmp.SliceIndex); !ok {
		return
	}
	vx, vy := r.path.Last().Values()
	switch {
	case !vx.IsValid():
		r.ops = append(r.ops, lineOp{'+', vy.String()})
	case !vy.IsValid():
		r.ops = append(r.ops, lineOp{'-', vx.String()})
	case res.Equal():
		r.ops = append(r.ops, lineOp{' ', vx.String()})
	default:
		r.ops = append(r.ops, lineOp{'-', vx.String()}, lineOp{'+', vy.String()})
	}
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
