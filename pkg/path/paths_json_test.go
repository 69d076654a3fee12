package path_test

import (
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/sfn-tool/sfn/internal/testshared"
	"github.com/sfn-tool/sfn/pkg/intrinsic"
	"github.com/sfn-tool/sfn/pkg/path"
)

// pathsJSON is the labelled corpus from asl-path-validator's test suite.
const pathsJSON = "../../../shared/validation/paths.json"

type labelledCase struct {
	Expression string `json:"expression"`
	Context    string `json:"context"`
	Expect     string `json:"expect"`
}

func loadCases(tb testing.TB) []labelledCase {
	tb.Helper()
	data, err := os.ReadFile(pathsJSON)
	if errors.Is(err, os.ErrNotExist) {
		testshared.Skip(tb, "validation", pathsJSON)
	}
	if err != nil {
		tb.Fatal(err)
	}
	var doc struct {
		Cases []labelledCase `json:"cases"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		tb.Fatalf("decoding %s: %v", pathsJSON, err)
	}
	return doc.Cases
}

// strict turns a path that parsed only thanks to a Jayway leniency (see
// Path.Lenient) into its error: the labels follow the ASL grammar.
func strict(p *path.Path, err error) error {
	if err == nil && p != nil && p.Lenient != nil {
		return p.Lenient
	}
	return err
}

// validateIn applies the parser that corresponds to a paths.json context.
func validateIn(tb testing.TB, expr, ctx string) error {
	switch ctx {
	case "path":
		return strict(path.ParseIn(expr, path.ContextPath))
	case "reference_path":
		_, err := path.ParseIn(expr, path.ContextReferencePath)
		return err
	case "result_path":
		_, err := path.ParseIn(expr, path.ContextResultPath)
		return err
	case "payload_template":
		p, call, err := intrinsic.ParsePayloadValue(expr)
		if err := strict(p, err); err != nil {
			return err
		}
		if call != nil {
			if probs := intrinsic.Check(call); len(probs) > 0 {
				return errors.New(probs[0].String())
			}
		}
		return nil
	}
	tb.Fatalf("unknown context %q", ctx)
	return nil
}

func TestPathsJSON(t *testing.T) {
	cases := loadCases(t)
	if len(cases) != 316 {
		t.Errorf("expected 316 cases in %s, found %d", pathsJSON, len(cases))
	}
	passed := 0
	for _, c := range cases {
		err := validateIn(t, c.Expression, c.Context)
		switch c.Expect {
		case "valid":
			if err != nil {
				t.Errorf("%s %q: expected valid, got error: %v", c.Context, c.Expression, err)
				continue
			}
		case "invalid":
			if err == nil {
				t.Errorf("%s %q: expected invalid, got no error", c.Context, c.Expression)
				continue
			}
		default:
			t.Fatalf("unknown expectation %q", c.Expect)
		}
		passed++
	}
	t.Logf("%d/%d labelled cases match", passed, len(cases))
}
