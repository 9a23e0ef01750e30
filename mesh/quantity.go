package mesh

import (
	"encoding/json"
	"fmt"
	"strconv"

	"k8s.io/apimachinery/pkg/api/resource"
)

// Quantity is a Kubernetes resource quantity such as 500m, 2 or 512Mi,
// written as a YAML string or number and kept as written.
type Quantity string

// UnmarshalJSON accepts a string or a number.
func (q *Quantity) UnmarshalJSON(b []byte) error {
	var n json.Number
	if err := json.Unmarshal(b, &n); err == nil {
		*q = Quantity(n.String())
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("expected a quantity such as 500m or 1Gi")
	}
	*q = Quantity(s)
	return nil
}

// validate reports whether q parses as a non-negative Kubernetes quantity.
func (q Quantity) validate() error {
	v, err := resource.ParseQuantity(string(q))
	if err != nil {
		return fmt.Errorf("not a quantity (e.g. 500m, 2, 512Mi)")
	}
	if v.Sign() < 0 {
		return fmt.Errorf("must not be negative")
	}
	return nil
}

// IntOrString is a count or a percentage such as "50%".
type IntOrString struct {
	// Int is set when the value is a number.
	Int *int32
	// Str is set when the value is a string.
	Str *string
}

// UnmarshalJSON accepts a whole number or a string.
func (v *IntOrString) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		v.Str, v.Int = &s, nil
		return nil
	}
	var n int32
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("expected a whole number or a percentage string")
	}
	v.Int, v.Str = &n, nil
	return nil
}

// MarshalJSON writes the number or the string.
func (v IntOrString) MarshalJSON() ([]byte, error) {
	if v.Str != nil {
		return json.Marshal(*v.Str)
	}
	if v.Int != nil {
		return json.Marshal(*v.Int)
	}
	return []byte("null"), nil
}

// Value returns the number or the string, as Helm values want it.
func (v IntOrString) Value() any {
	if v.Str != nil {
		return *v.Str
	}
	if v.Int != nil {
		return int64(*v.Int)
	}
	return nil
}

// isZero reports whether the value is 0 or "0%".
func (v IntOrString) isZero() bool {
	return v.Int != nil && *v.Int == 0 || v.Str != nil && *v.Str == "0%"
}

// validate checks that a string is a percentage and a number is not negative.
func (v IntOrString) validate() error {
	switch {
	case v.Str != nil:
		s := *v.Str
		if len(s) < 2 || s[len(s)-1] != '%' {
			return fmt.Errorf("a string must be a percentage such as \"50%%\"")
		}
		p, err := strconv.Atoi(s[:len(s)-1])
		if err != nil || p < 0 || p > 100 {
			return fmt.Errorf("a percentage must be 0%% to 100%%")
		}
	case v.Int != nil && *v.Int < 0:
		return fmt.Errorf("must not be negative")
	}
	return nil
}
