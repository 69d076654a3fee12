package testshared

import (
	"bytes"
	"testing"
)

type fakeM struct{ run func() }

func (f fakeM) Run() int { f.run(); return 3 }

// TestReporting: each suite is named once, in order, after the tests ran; nothing is printed
// when nothing was skipped.
func TestReporting(t *testing.T) {
	mu.Lock()
	saved := skipped
	skipped = nil
	mu.Unlock()
	t.Cleanup(func() { mu.Lock(); skipped = saved; mu.Unlock() })

	var out bytes.Buffer
	if code := (reporting{fakeM{func() {}}, &out}).Run(); code != 3 || out.Len() != 0 {
		t.Errorf("nothing skipped: code %d, output %q", code, out.String())
	}
	code := (reporting{fakeM{func() {
		t.Run("a", func(t *testing.T) { Skip(t, "conformance", "../shared/conformance") })
		t.Run("b", func(t *testing.T) { Skip(t, "jsonata suite", "../shared/jsonata-suite") })
		t.Run("c", func(t *testing.T) { Skip(t, "conformance", "../shared/conformance/aws") })
	}}, &out}).Run()
	if want := "sfn: ../shared not found: skipped conformance, jsonata suite\n"; code != 3 || out.String() != want {
		t.Errorf("code %d, output %q, want %q", code, out.String(), want)
	}
}
