package cli_test

import (
	"os"
	"testing"

	"github.com/goccy/go-yaml"
)

// TestRunCLI runs every case of testdata/run.yaml (sfn run's development loop: the same format
// as testdata/cli.yaml) through cli.Run, in process.
func TestRunCLI(t *testing.T) {
	src, err := os.ReadFile("testdata/run.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cases []cliCase
	if err := yaml.UnmarshalWithOptions(src, &cases, yaml.Strict()); err != nil {
		t.Fatalf("testdata/run.yaml: %v", err)
	}
	names := map[string]bool{}
	for _, tc := range cases {
		if names[tc.Name] {
			t.Errorf("duplicate case name %q", tc.Name)
		}
		names[tc.Name] = true
		t.Run(tc.Name, func(t *testing.T) { runCase(t, tc) })
	}
}
