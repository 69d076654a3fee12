package cli_test

import (
	"os"
	"testing"

	"github.com/goccy/go-yaml"
)

// TestTestCLI runs every case of testdata/test.yaml (sfn test: every format and exit code, in
// the format of testdata/cli.yaml) through cli.Run, in process.
func TestTestCLI(t *testing.T) {
	src, err := os.ReadFile("testdata/test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cases []cliCase
	if err := yaml.UnmarshalWithOptions(src, &cases, yaml.Strict()); err != nil {
		t.Fatalf("testdata/test.yaml: %v", err)
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
