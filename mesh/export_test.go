package mesh

// ChartDefaults exposes chartDefaults to the package's external tests.
func ChartDefaults(container string) (requests, limits map[string]string) {
	d := chartDefaults(container)
	return d.requests, d.limits
}
