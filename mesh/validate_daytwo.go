package mesh

// validateDayTwo checks the settings a running production mesh needs
// beyond its first install: platform and Pod Security, egress, scope, the
// CA and multi-cluster networking.
func (s *Spec) validateDayTwo(p *problems, gateways map[string]*Gateway) {
	s.validatePlatform(p)
	s.validateEgress(p, gateways)
	s.validateScope(p)
	s.validateCA(p)
	s.validateMulticluster(p, gateways)
}
