package validate

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestParallelRulesMatchSequential checks that spreading rules over goroutines changes nothing:
// every labelled file gives the same diagnostics either way (run with -race to check for races).
func TestParallelRulesMatchSequential(t *testing.T) {
	dir := requireShared(t, "validation")
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var entries []manifestEntry
	if err := json.Unmarshal(data, &entries); err != nil {
		t.Fatal(err)
	}
	saved := parallelRulesThreshold
	defer func() { parallelRulesThreshold = saved }()
	for _, e := range entries {
		f := filepath.Join(dir, e.File)
		parallelRulesThreshold = 1 << 30
		seq := validateFile(f, e.Format, &Options{Type: e.SfnType})
		parallelRulesThreshold = 0
		par := validateFile(f, e.Format, &Options{Type: e.SfnType})
		if !reflect.DeepEqual(seq, par) {
			t.Errorf("%s: parallel rules give different diagnostics:\n seq %v\n par %v", e.File, seq, par)
		}
	}
}
