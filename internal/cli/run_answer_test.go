package cli_test

import (
	"os"
	"testing"

	"github.com/goccy/go-yaml"
)

// TestAnswerCLI runs every case of testdata/answer.yaml (sfn run --answer-tokens: callbacks
// answered on standard input, here injected) through cli.Run, in process.
func TestAnswerCLI(t *testing.T) {
	src, err := os.ReadFile("testdata/answer.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cases []cliCase
	if err := yaml.UnmarshalWithOptions(src, &cases, yaml.Strict()); err != nil {
		t.Fatalf("testdata/answer.yaml: %v", err)
	}
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) { runCase(t, tc) })
	}
}
