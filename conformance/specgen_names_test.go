package conformance_test

import (
	"strings"
)

// Characters of the names the spec takes.
const (
	lowerLetters = "abcdefghijklmnopqrstuvwxyz"
	lowerAlnum   = lowerLetters + "0123456789"
	labelAlnum   = lowerAlnum + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
)

// words make the generated names readable where their length does not
// matter.
var words = []string{"shop", "edge", "api", "pay", "web", "core", "data", "ops", "blue", "green", "canary", "stable", "east", "west", "internal", "public"}

// yamlAmbiguous are names of the spec's syntax that YAML 1.1, which Helm
// and kubectl read, takes for something else than text where a chart
// writes them unquoted: booleans, null, numbers. The generator uses them
// now and then, so that validation shows it refuses them or render shows
// it writes them safely.
var yamlAmbiguous = []string{"y", "n", "yes", "no", "on", "off", "true", "false", "null", "123", "0", "0x1f", "1e3", "0b101", "007", "2026-01-01"}

// ambiguousName returns a name of the pool that the check accepts
// (a DNS label, a DNS-1035 label), or "".
func (g *gen) ambiguousName(ok func(string) bool) string {
	var choices []string
	for _, v := range yamlAmbiguous {
		if ok(v) {
			choices = append(choices, v)
		}
	}
	if len(choices) == 0 {
		return ""
	}
	return pick(g, choices...)
}

// length picks a length from 1 to max, biased to the limits: the longest,
// one less, the shortest, then short lengths.
func (g *gen) length(max int) int {
	switch n := g.intn(10); {
	case n < 3:
		return max
	case n == 3:
		return max - 1
	case n == 4:
		return 1
	default:
		return 1 + g.intn(min(max, 16))
	}
}

// runOf returns n characters: the first and last from ends, the others
// from inner.
func (g *gen) runOf(n int, ends, inner string) string {
	if n <= 0 {
		return ""
	}
	b := make([]byte, n)
	for i := range b {
		set := inner
		if i == 0 || i == n-1 {
			set = ends
		}
		b[i] = set[g.intn(len(set))]
	}
	return string(b)
}

// dnsLabel returns a DNS-1123 label (lower-case letters, digits and inner
// dashes) of at most max characters; letterFirst makes it a DNS-1035 label.
// Half are words, the others random of a length biased to the limits.
func (g *gen) dnsLabel(max int, letterFirst bool) string {
	if g.chance(0.005) {
		if v := g.ambiguousName(func(v string) bool { return len(v) <= max && (!letterFirst || v[0] >= 'a') }); v != "" {
			return v
		}
	}
	if g.chance(0.5) {
		w := pick(g, words...)
		if g.chance(0.4) {
			w += "-" + pick(g, words...)
		}
		if len(w) <= max {
			return w
		}
	}
	n := g.length(max)
	s := g.runOf(n, lowerAlnum, lowerAlnum+"--")
	if letterFirst {
		s = string(lowerLetters[g.intn(len(lowerLetters))]) + s[1:]
	}
	return s
}

// dnsSubdomain returns a DNS-1123 subdomain of at most max characters
// (253 for object names): dot-separated labels, biased to the limit.
func (g *gen) dnsSubdomain(max int) string {
	if !g.chance(0.3) {
		return g.dnsLabel(min(max, 63), false)
	}
	n := g.length(max)
	var parts []string
	for n > 0 {
		l := min(n, 63)
		if n-l == 1 {
			l-- // no empty label after the last dot
		}
		parts = append(parts, g.runOf(l, lowerAlnum, lowerAlnum+"-"))
		n -= l + 1
	}
	return strings.Join(parts, ".")
}

// hostName returns a lower-case DNS name: example.com, a wildcard
// *.example.com, or a name of up to 253 characters.
func (g *gen) hostName(wildcard bool) string {
	prefix := ""
	if wildcard && g.chance(0.3) {
		prefix = "*."
	}
	if g.chance(0.25) {
		return prefix + g.dnsSubdomain(253-len(prefix))
	}
	return prefix + pick(g, words...) + "." + pick(g, "example.com", "example.org", "shop.example.com", "svc.cluster.local", "xn--bcher-kva.example")
}

// qualifiedName returns a label or annotation key: a name of up to 63
// characters, with an optional DNS-subdomain prefix of up to 253.
func (g *gen) qualifiedName() string {
	name := g.runOf(g.length(63), labelAlnum, labelAlnum+"-_.")
	if g.chance(0.5) {
		return pick(g, "example.com", "team.example.com", "app.kubernetes.io", "x") + "/" + name
	}
	if g.chance(0.15) {
		return g.dnsSubdomain(253) + "/" + name
	}
	return name
}

// labelValue returns a label value: empty, or up to 63 letters, digits,
// dashes, dots and underscores between alphanumerics.
func (g *gen) labelValue() string {
	if g.chance(0.1) {
		return ""
	}
	if g.chance(0.4) {
		return pick(g, words...)
	}
	return g.runOf(g.length(63), labelAlnum, labelAlnum+"-_.")
}

// labelMap returns up to max labels.
func (g *gen) labelMap(max int) map[string]string {
	n := g.intn(max + 1)
	if n == 0 {
		return nil
	}
	out := map[string]string{}
	for range n {
		out[g.qualifiedName()] = g.labelValue()
	}
	return out
}

// freeText returns an annotation value: any text, unicode, quotes, line
// breaks, JSON with closing braces (which start no template action),
// sometimes long.
func (g *gen) freeText() string {
	switch g.intn(8) {
	case 0:
		return ""
	case 1:
		return "Grüße, 世界 — ✓ \"quoted\" 'single' \\backslash\\"
	case 2:
		return "line one\nline two\n\ttabbed"
	case 3:
		return `{"rules":[{"ports":[443]}]}}`
	case 4:
		return strings.Repeat("x", 1+g.intn(4096))
	case 5:
		return "🚀 emoji and \u00a0non-breaking space"
	case 6:
		return "true"
	default:
		return pick(g, words...)
	}
}

// annotationMap returns up to max annotations.
func (g *gen) annotationMap(max int) map[string]string {
	n := g.intn(max + 1)
	if n == 0 {
		return nil
	}
	out := map[string]string{}
	for range n {
		out[g.qualifiedName()] = g.freeText()
	}
	return out
}
