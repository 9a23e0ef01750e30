package mesh

import (
	"strconv"
	"strings"
)

// KubernetesAtLeast reports whether a validated Kubernetes version such as
// 1.36.0 or v1.29 is 1.minor or later.
func KubernetesAtLeast(version string, minor int) bool {
	parts := strings.SplitN(strings.TrimPrefix(version, "v"), ".", 3)
	if len(parts) < 2 {
		return false
	}
	major, err1 := strconv.Atoi(parts[0])
	m, err2 := strconv.Atoi(parts[1])
	return err1 == nil && err2 == nil && (major > 1 || major == 1 && m >= minor)
}
