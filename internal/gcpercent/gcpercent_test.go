package gcpercent

import "testing"

func TestWanted(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want bool
	}{
		{name: "unset", env: map[string]string{}, want: true},
		{name: "other variables", env: map[string]string{"GODEBUG": "gctrace=1", "GOMEMLIMIT": "1GiB"}, want: true},
		{name: "a percentage", env: map[string]string{"GOGC": "100"}, want: false},
		{name: "off", env: map[string]string{"GOGC": "off"}, want: false},
		{name: "empty", env: map[string]string{"GOGC": ""}, want: false},
		{name: "not a number", env: map[string]string{"GOGC": "lots"}, want: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			getenv := func(key string) (string, bool) {
				v, ok := tc.env[key]
				return v, ok
			}
			if got := wanted(getenv); got != tc.want {
				t.Errorf("wanted with %v = %v, want %v", tc.env, got, tc.want)
			}
		})
	}
}
