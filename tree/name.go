package tree

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// maxSegment bounds a file or folder name, well under the 255 bytes most
// file systems allow.
const maxSegment = 120

// fileName turns a base name into a safe file name ending in .yaml.
func fileName(base string) string { return segment(base) + ".yaml" }

// segment turns a string into one safe path segment: lower-case letters,
// digits, dots, dashes and underscores, not starting with a dot or a dash,
// at most maxSegment bytes. A string that needs any change gets a short
// hash of the original appended, so distinct inputs stay distinct.
func segment(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '.', c == '-', c == '_':
			b.WriteRune(c)
		default:
			b.WriteByte('-')
		}
	}
	out := strings.TrimLeft(b.String(), ".-")
	if out == s && out != "" && len(out) <= maxSegment {
		return out
	}
	sum := sha256.Sum256([]byte(s))
	suffix := hex.EncodeToString(sum[:4])
	if len(out) > maxSegment-len(suffix)-1 {
		out = out[:maxSegment-len(suffix)-1]
	}
	if out == "" {
		return suffix
	}
	return out + "-" + suffix
}

// isSegment reports whether s is a name segment gives unchanged: a file or
// folder name the layout can make.
func isSegment(s string) bool { return s != "" && segment(s) == s }
