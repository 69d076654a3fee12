package run

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/sfn-tool/sfn/pkg/load"
)

// TestChoiceNumericLiteral: a Numeric comparison with a literal operand (parsed once, at New)
// decides as compareNumbers does, for simple numbers and for those compared exactly.
func TestChoiceNumericLiteral(t *testing.T) {
	nums := []string{"0", "-0", "1", "1.5", "-2", "10", "9.999999999999", "123456789012345", "1234567890123456",
		"12345678901234567890", "1e2", "100", "1E-3", "0.001", "3.0000000000000001", "3"}
	for _, lit := range nums {
		for _, op := range []string{"NumericEquals", "NumericLessThan", "NumericGreaterThanEquals"} {
			def := fmt.Sprintf(`{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.v","%s":%s,"Next":"Y"}],"Default":"N"},
				"Y":{"Type":"Pass","Result":"Y","End":true},"N":{"Type":"Pass","Result":"N","End":true}}}`, op, lit)
			r, err := New(machine(t, def), Options{Clock: NewVirtualClock(start()), NoHistory: true})
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range nums {
				in, err := load.DecodeJSON([]byte(`{"v":` + v + `}`))
				if err != nil {
					t.Fatal(err)
				}
				res := r.Start(context.Background(), in)
				c, _ := compareNumbers(json.Number(v), json.Number(lit))
				want := map[string]bool{"NumericEquals": c == 0, "NumericLessThan": c < 0, "NumericGreaterThanEquals": c >= 0}[op]
				if got := res.Output == "Y"; res.Status != Succeeded || got != want {
					t.Errorf("%s %s %s: %s %v, want %v", v, op, lit, res.Status, res.Output, want)
				}
			}
		}
	}
}
