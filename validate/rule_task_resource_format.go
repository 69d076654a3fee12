package validate

import (
	"regexp"
	"strings"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "task-resource-format", Severity: Error, AWSCode: "INVALID_RESOURCE",
		Summary: "a Task's Resource is a URI, and a Lambda function ARN has a valid name and qualifier",
		Bad:     `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "my function", "End": true}}}`,
		Good:    `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:111122223333:function:my-function", "End": true}}}`,
		Check: func(c *Context) {
			eachState(c, "Task", func(st *asl.State) {
				r := st.Field("Resource")
				if r == nil || c.Opaque(r) {
					return
				}
				loc := asl.At(st, "/Resource")
				if r.Kind != load.String {
					c.Report(r.Pos, loc.Pointer(), "The field 'Resource' must be a string (a URI, usually an ARN), but it is %s", r.Describe())
					return
				}
				if msg := resourceSyntaxProblem(r.Text); msg != "" {
					c.Report(r.Pos, loc.Pointer(), "%s", msg)
					return
				}
				if msg := lambdaARNProblem(r.Text); msg != "" {
					c.Report(r.Pos, loc.Pointer(), "%s", msg)
				}
			})
		},
	})
}

// lambdaARNProblem reports a Lambda function ARN whose name or qualifier cannot name a function
// (Lambda's documented pattern: function:name with an optional :version, :$LATEST or :alias).
func lambdaARNProblem(res string) string {
	parts := strings.SplitN(res, ":", 6)
	if len(parts) == 6 && parts[0] == "arn" && parts[2] == "lambda" && strings.HasPrefix(parts[5], "function:") && !lambdaFunctionRe.MatchString(parts[5]) {
		return "The resource " + res + " is not a valid Lambda function ARN: expected function:NAME with an optional :VERSION, :$LATEST or :ALIAS (letters, digits, '-' and '_')"
	}
	return ""
}

var (
	resourceSchemeRe  = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)
	resourceURIChars  = regexp.MustCompile(`^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*$`)
	lambdaFunctionRe  = regexp.MustCompile(`^function:[A-Za-z0-9_-]+(:(\$LATEST|[A-Za-z0-9_-]+))?$`)
	resourcePartition = map[string]bool{"aws": true, "aws-cn": true, "aws-us-gov": true, "aws-iso": true, "aws-iso-b": true, "aws-iso-e": true, "aws-iso-f": true, "aws-eusc": true}
)

// resourceSyntaxProblem returns why res is not a URI at all, or "".
func resourceSyntaxProblem(res string) string {
	switch {
	case res == "":
		return "The field 'Resource' must be a URI (usually an ARN), but it is empty"
	case strings.TrimSpace(res) != res || strings.ContainsAny(res, " \t\r\n"):
		return "The field 'Resource' must be a URI (usually an ARN), but it contains white space: " + res
	case !resourceSchemeRe.MatchString(res):
		return "The field 'Resource' must be a URI such as an ARN (arn:partition:service:region:account:resource), but it is " + res
	}
	return ""
}

// resourceCharProblem reports characters a URI cannot have. They are usually unsubstituted
// placeholders such as {region} or <PARTITION>, so this is a warning.
func resourceCharProblem(res string) string {
	if resourceURIChars.MatchString(res) {
		return ""
	}
	return "The resource " + res + " contains characters a URI cannot have (an unsubstituted placeholder?); AWS accepts only ARNs"
}

// resourceARNProblem returns why a URI is not an ARN AWS would accept, or "".
func resourceARNProblem(res string) string {
	parts := strings.SplitN(res, ":", 6)
	if parts[0] != "arn" {
		return "The resource " + res + " is not an ARN: AWS Step Functions accepts only ARNs (activities, Lambda functions, service integrations)"
	}
	if len(parts) < 6 || parts[2] == "" {
		return "The resource " + res + " is not a well-formed ARN (arn:partition:service:region:account:resource)"
	}
	if !resourcePartition[parts[1]] {
		return "The resource " + res + " has an unknown partition '" + parts[1] + "' (expected aws, aws-cn, aws-us-gov or an isolated partition)"
	}
	return ""
}
