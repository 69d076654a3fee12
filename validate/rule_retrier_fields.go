package validate

import (
	"math/big"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "retrier-fields", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "Retry is an array of Retriers with known fields: IntervalSeconds 1..99999999, MaxAttempts 0..99999999, BackoffRate >= 1.0, MaxDelaySeconds 1..31622400, JitterStrategy FULL|NONE",
		Bad:     `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "Retry": [{"ErrorEquals": ["States.ALL"], "BackoffRate": 0.5}], "End": true}}}`,
		Good:    `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "Retry": [{"ErrorEquals": ["States.ALL"], "BackoffRate": 1.5}], "End": true}}}`,
		Check: func(c *Context) {
			checkHandlerList(c, "Retry", "Retrier")
			for _, h := range handlersOf(c, "Retry") {
				checkRetrier(c, h)
			}
		},
	})
}

// checkRetrier checks the fields of one Retrier (ErrorEquals is errorequals-nonempty's).
func checkRetrier(c *Context, h errorHandler) {
	st, n, loc := h.State, h.Node, asl.At(h.At, "")
	for _, f := range n.Fields {
		if !asl.RetrierFields[f.Key] {
			c.Report(f.KeyPos, loc.Pointer(), "Field '%s' is not supported in a Retrier (allowed: ErrorEquals, IntervalSeconds, MaxAttempts, BackoffRate, MaxDelaySeconds, JitterStrategy, Comment)", f.Key)
		}
	}
	checkIntRange(c, st, n.Get("IntervalSeconds"), loc.Sub("/IntervalSeconds"), "IntervalSeconds", 1, 99999999)
	checkIntRange(c, st, n.Get("MaxAttempts"), loc.Sub("/MaxAttempts"), "MaxAttempts", 0, 99999999)
	checkIntRange(c, st, n.Get("MaxDelaySeconds"), loc.Sub("/MaxDelaySeconds"), "MaxDelaySeconds", 1, 31622400)
	checkEnum(c, st, n.Get("JitterStrategy"), loc.Sub("/JitterStrategy"), "JitterStrategy", "FULL", "NONE")
	if b := n.Get("BackoffRate"); b != nil && !dynamic(c, st, b) {
		v, ok := numValue(b)
		switch {
		case !ok:
			c.Report(b.Pos, loc.Sub("/BackoffRate").Pointer(), "The value of 'BackoffRate' must be a number >= 1.0, but it is %s", b.Describe())
		case v.Cmp(big.NewRat(1, 1)) < 0:
			c.Report(b.Pos, loc.Sub("/BackoffRate").Pointer(), "Minimum value is 1.0: 'BackoffRate' is %s (the interval is multiplied by it after each attempt)", b.Text)
		}
	}
	if cm := n.Get("Comment"); cm != nil && cm.Kind != load.String && !c.Opaque(cm) {
		c.Report(cm.Pos, loc.Sub("/Comment").Pointer(), "The field 'Comment' must be a string, but it is %s", cm.Describe())
	}
}
