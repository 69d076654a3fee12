package validate

import (
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "credentials-shape", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "a Task's Credentials is an object with a string RoleArn (JSONPath: or RoleArn.$)",
		Bad:     `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Credentials": {}, "End": true}}}`,
		Good:    `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Credentials": {"RoleArn": "arn:aws:iam::111122223333:role/R"}, "End": true}}}`,
		Check: func(c *Context) {
			eachState(c, "Task", func(st *asl.State) { checkCredentials(c, st) })
		},
	})
}

// checkCredentials checks one Task's Credentials field.
func checkCredentials(c *Context, st *asl.State) {
	cr := st.Field("Credentials")
	if skipValue(c, st, cr) {
		return
	}
	loc := asl.At(st, "/Credentials")
	if cr.Kind != load.Object {
		c.Report(cr.Pos, loc.Pointer(), "The field 'Credentials' must be an object with a 'RoleArn' field, but it is %s", cr.Describe())
		return
	}
	names := []string{"RoleArn"}
	if !isJSONataState(st) {
		names = append(names, "RoleArn.$")
	}
	found := false
	for _, name := range names {
		v := cr.Get(name)
		if v == nil {
			continue
		}
		found = true
		if v.Kind != load.String && !skipValue(c, st, v) {
			c.Report(v.Pos, loc.Sub("/"+name).Pointer(), "The field '%s' must be a string, but it is %s", name, v.Describe())
		}
	}
	if !found {
		c.Report(cr.Pos, loc.Pointer(), "The field 'RoleArn' is required but was missing")
	}
}
