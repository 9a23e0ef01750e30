package testenv_test

import (
	"testing"

	"github.com/istio-render/istio-render/internal/testenv"
)

// recorder is a testing.TB that records how a test ended; like the real
// one, Fatalf and Skip end the test there.
type recorder struct {
	testing.TB
	skipped, failed bool
}

type ended struct{}

func (r *recorder) Helper()               {}
func (r *recorder) Fatalf(string, ...any) { r.failed = true; panic(ended{}) }
func (r *recorder) Skip(...any)           { r.skipped = true; panic(ended{}) }

// run calls f with r, as the testing package would, until f ends it.
func (r *recorder) run(f func(testing.TB)) {
	defer func() {
		if v := recover(); v != nil && v != (ended{}) {
			panic(v)
		}
	}()
	f(r)
}

// TestMissingProgram skips outside CI and fails under CI=true.
func TestMissingProgram(t *testing.T) {
	for _, ci := range []string{"", "true"} {
		t.Setenv("CI", ci)
		r := &recorder{TB: t}
		r.run(func(tb testing.TB) { testenv.LookPath(tb, "no-such-program-istio-render") })
		if want := ci == "true"; r.failed != want || r.skipped == want {
			t.Errorf("CI=%q: failed %v, skipped %v; want failed %v and not skipped", ci, r.failed, r.skipped, want)
		}
	}
	if p := testenv.LookPath(t, "go"); p == "" {
		t.Error("go not found")
	}
}
