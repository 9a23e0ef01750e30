package mesh

import (
	"strconv"
	"strings"
)

// pathSeg is one step of a printed field path: a key (.name, [name] or
// ["quoted"]) or a list index ([3]).
type pathSeg struct {
	key     string
	index   int
	isIndex bool
}

// parseFieldPath splits a field path as this package prints it, such as
// spec.gateways[1].labels["app.kubernetes.io/name"], into its steps. It
// stops at anything it cannot read and reports whether it read the whole
// path.
func parseFieldPath(s string) ([]pathSeg, bool) {
	var out []pathSeg
	for i := 0; i < len(s); {
		switch s[i] {
		case '.':
			i++
		case '[':
			rest := s[i+1:]
			if strings.HasPrefix(rest, `"`) {
				q, err := strconv.QuotedPrefix(rest)
				if err != nil || !strings.HasPrefix(rest[len(q):], "]") {
					return out, false
				}
				k, _ := strconv.Unquote(q)
				out = append(out, pathSeg{key: k})
				i += 1 + len(q) + 1
				continue
			}
			end := strings.IndexByte(rest, ']')
			if end <= 0 {
				return out, false
			}
			if n, err := strconv.Atoi(rest[:end]); err == nil && n >= 0 {
				out = append(out, pathSeg{index: n, isIndex: true})
			} else {
				out = append(out, pathSeg{key: rest[:end]})
			}
			i += 1 + end + 1
		default:
			end := strings.IndexAny(s[i:], ".[ ")
			if end < 0 {
				end = len(s) - i
			}
			if end == 0 {
				return out, false
			}
			out = append(out, pathSeg{key: s[i : i+end]})
			i += end
		}
	}
	return out, true
}
