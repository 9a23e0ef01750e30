package render

import "fmt"

// ChartError is a chart that failed to render: its values did not match
// the chart's schema, or a template failed.
type ChartError struct {
	// Component is what the chart renders: istiod, gateway/<name>, ...
	Component string
	// Chart is the chart's name.
	Chart string
	// Release is the Helm release name.
	Release string
	// Field is the spec field with raw Helm values (spec.values.istiod,
	// spec.gateways[0].values, ...) that made the chart fail: without
	// them it renders. Empty when the chart fails on the spec's own
	// settings, which is a defect of istio-render or of the chart.
	Field string
	// Err is the chart's own error.
	Err error
}

// Error names the field at fault, if any, then the component and the
// cause.
func (e *ChartError) Error() string {
	if e.Field != "" {
		return e.Field + ": " + e.Message()
	}
	return e.Message()
}

// Message is the error without the field: the component and the cause.
func (e *ChartError) Message() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: the %s chart rejects these values: %v", e.Component, e.Chart, e.Err)
	}
	return fmt.Sprintf("%s: the %s chart failed to render: %v", e.Component, e.Chart, e.Err)
}

// Unwrap returns the chart's error.
func (e *ChartError) Unwrap() error { return e.Err }
