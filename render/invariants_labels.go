package render

import (
	"strings"
	"sync"

	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// labelRules makes the checks of Kubernetes' ValidateLabels and
// ValidateAnnotations (apimachinery's IsQualifiedName, IsValidLabelValue
// and ValidateAnnotationsSize), remembering the verdict on each key and
// value: the objects of one release share most of their labels, and each
// verdict is a regular expression match. One lives as long as one
// release's conversion and is safe for its concurrent use; a nil one
// remembers nothing. TestLabelRulesAreKubernetes holds it to the
// functions it stands for.
type labelRules struct {
	mu           sync.Mutex
	keys, values map[string][]string
}

func newLabelRules() *labelRules {
	return &labelRules{keys: map[string][]string{}, values: map[string][]string{}}
}

// labels checks labels as metav1validation.ValidateLabels does.
func (r *labelRules) labels(m map[string]string, at *field.Path) field.ErrorList {
	var errs field.ErrorList
	for k, v := range m {
		for _, msg := range r.key(k) {
			errs = append(errs, field.Invalid(at, k, msg))
		}
		for _, msg := range r.value(v) {
			errs = append(errs, field.Invalid(at, v, msg))
		}
	}
	return errs
}

// annotations checks annotations as apivalidation.ValidateAnnotations
// does: each key a qualified name in lower case, and their total size.
func (r *labelRules) annotations(m map[string]string, at *field.Path) field.ErrorList {
	var errs field.ErrorList
	for k := range m {
		for _, msg := range r.key(strings.ToLower(k)) {
			errs = append(errs, field.Invalid(at, k, msg))
		}
	}
	if apivalidation.ValidateAnnotationsSize(m) != nil {
		errs = append(errs, field.TooLong(at, "", apivalidation.TotalAnnotationSizeLimitB))
	}
	return errs
}

// key is IsQualifiedName(k), remembered.
func (r *labelRules) key(k string) []string {
	if r == nil {
		return validation.IsQualifiedName(k)
	}
	return r.verdict(r.keys, k, validation.IsQualifiedName)
}

// value is IsValidLabelValue(v), remembered.
func (r *labelRules) value(v string) []string {
	if r == nil {
		return validation.IsValidLabelValue(v)
	}
	return r.verdict(r.values, v, validation.IsValidLabelValue)
}

// verdict is check(s), remembered in m.
func (r *labelRules) verdict(m map[string][]string, s string, check func(string) []string) []string {
	r.mu.Lock()
	msgs, ok := m[s]
	r.mu.Unlock()
	if ok {
		return msgs
	}
	msgs = check(s)
	r.mu.Lock()
	m[s] = msgs
	r.mu.Unlock()
	return msgs
}
