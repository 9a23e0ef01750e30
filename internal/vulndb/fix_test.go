package vulndb

import (
	"encoding/json"
	"testing"
)

func TestFixBound(t *testing.T) {
	tests := []struct {
		name   string
		ranges string
		want   string
	}{{
		name:   "fixed",
		ranges: `[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"0.3.8"}]}]`,
		want:   "0.3.8",
	}, {
		name:   "the latest of several fixes",
		ranges: `[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.25.13"},{"introduced":"1.26.0-0"},{"fixed":"1.26.6"}]}]`,
		want:   "1.26.6",
	}, {
		name:   "pre-release fix",
		ranges: `[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.26.6"},{"introduced":"1.27.0-0"},{"fixed":"1.27.0-rc.3"}]}]`,
		want:   "1.27.0-rc.3",
	}, {
		name:   "never fixed",
		ranges: `[{"type":"SEMVER","events":[{"introduced":"0"}]}]`,
		want:   "",
	}, {
		name:   "introduced again after its last fix",
		ranges: `[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.2.0"},{"introduced":"1.4.0"}]}]`,
		want:   "",
	}, {
		name:   "a second range never fixed",
		ranges: `[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.2.0"}]},{"type":"SEMVER","events":[{"introduced":"2.0.0"}]}]`,
		want:   "",
	}, {
		name:   "the later of two fixed ranges",
		ranges: `[{"type":"SEMVER","events":[{"introduced":"2.0.0"},{"fixed":"2.1.0"}]},{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.2.0"}]}]`,
		want:   "2.1.0",
	}, {
		name:   "not SEMVER",
		ranges: `[{"type":"GIT","events":[{"introduced":"0"},{"fixed":"1.2.0"}]}]`,
		want:   "",
	}, {
		name:   "no ranges: every version",
		ranges: `[]`,
		want:   "",
	}, {
		name:   "version compared as semver, not as text",
		ranges: `[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"0.9.0"},{"introduced":"0.10.0"},{"fixed":"0.10.2"}]}]`,
		want:   "0.10.2",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ranges []osvRange
			if err := json.Unmarshal([]byte(tt.ranges), &ranges); err != nil {
				t.Fatal(err)
			}
			got, err := fixBound(ranges)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("fixBound(%s) = %q, want %q", tt.ranges, got, tt.want)
			}
		})
	}
}
