package tree

import (
	"crypto/rand"
	"encoding/hex"
	"path"
	"strings"
)

// tempSuffix ends the name of every temporary file Write creates.
const tempSuffix = ".istio-render-tmp"

// tempRandom is how many random bytes, in hex, a temporary file's name
// holds.
const tempRandom = 6

// tempName returns a new name for a temporary file beside target:
// .<name>.<12 hex digits>.istio-render-tmp, hidden so that no tool that
// reads the folder's YAML picks it up.
func tempName(target string) (string, error) {
	var b [tempRandom]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return path.Join(path.Dir(target), "."+path.Base(target)+"."+hex.EncodeToString(b[:])+tempSuffix), nil
}

// isTempName reports whether a file name is one tempName gives for a file
// of a tree, whose names end in .yaml. Only a file so named that also
// starts with the Marker is a leftover of an interrupted Write.
func isTempName(name string) bool {
	rest, ok := strings.CutSuffix(name, tempSuffix)
	if !ok {
		return false
	}
	rest, ok = strings.CutPrefix(rest, ".")
	if !ok {
		return false
	}
	dot := strings.LastIndexByte(rest, '.')
	if dot < 0 {
		return false
	}
	target, random := rest[:dot], rest[dot+1:]
	if len(random) != 2*tempRandom || strings.Trim(random, "0123456789abcdef") != "" {
		return false
	}
	return len(target) > len(".yaml") && strings.HasSuffix(target, ".yaml") && isSegment(target)
}
