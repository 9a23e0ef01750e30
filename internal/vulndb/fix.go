package vulndb

import (
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/mod/semver"
)

// fixBound returns the version that bounds the ranges from above: the
// latest version that fixes them, where no range is open (unfixed, or
// re-introduced after its last fix) and every range is of type SEMVER.
// Otherwise it returns "": govulncheck then reads the entry for every
// version of the module and matches the ranges itself.
//
// The version is written as the entry writes it (no "v" prefix).
func fixBound(ranges []osvRange) (string, error) {
	bound := ""
	for i, r := range ranges {
		fixed, err := rangeFix(r)
		if err != nil {
			return "", fmt.Errorf("ranges[%d]: %w", i, err)
		}
		if fixed == "" {
			return "", nil
		}
		if bound == "" || versionLess(bound, fixed) {
			bound = fixed
		}
	}
	return bound, nil
}

// rangeFix returns the latest fixed version of one range, or "" where the
// range is not SEMVER, has no fix, or is introduced again after it. It
// fails on a version that is not semantic.
func rangeFix(r osvRange) (string, error) {
	for i, e := range r.Events {
		for _, v := range []string{e.Introduced, e.Fixed} {
			if v != "" && v != "0" && !semver.IsValid(canonical(v)) {
				return "", fmt.Errorf("events[%d]: version %s is not semantic", i, strconv.Quote(v))
			}
		}
	}
	if r.Type != "SEMVER" || len(r.Events) == 0 {
		return "", nil
	}
	latest := ""
	for _, e := range r.Events {
		if e.Fixed != "" && (latest == "" || versionLess(latest, e.Fixed)) {
			latest = e.Fixed
		}
	}
	if latest == "" {
		return "", nil
	}
	for _, e := range r.Events {
		if e.Introduced != "" && e.Introduced != "0" && !versionLess(e.Introduced, latest) {
			return "", nil
		}
	}
	return latest, nil
}

// versionLess reports whether a < b for versions written with or without
// a "v" prefix.
func versionLess(a, b string) bool {
	return semver.Compare(canonical(a), canonical(b)) < 0
}

// canonical writes an OSV version ("1.2.3") as the semver package wants it
// ("v1.2.3").
func canonical(v string) string {
	return "v" + strings.TrimPrefix(v, "v")
}
