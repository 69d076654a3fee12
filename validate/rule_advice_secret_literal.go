package validate

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "secret-literal", Severity: Warning, AWSCode: adviceCode, Category: CategoryAdvice,
		Summary: "advice: no secret is written in a payload (an AWS access key id, a private key, a literal value of a password-, secret- or token-like key)",
		Bad:     `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::http:invoke", "Parameters": {"ApiEndpoint": "https://api.example.com", "Method": "GET", "Headers": {"api_key": "sk_live_4f9a8b7c6d5e"}}, "End": true}}}`,
		Good:    `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::http:invoke", "Parameters": {"ApiEndpoint": "https://api.example.com", "Method": "GET", "Authentication": {"ConnectionArn": "arn:aws:events:us-east-1:123456789012:connection/api/1"}}, "End": true}}}`,
		Check: func(c *Context) {
			eachPayload(c, func(st *asl.State, field string, n *load.Node) {
				w := secretWalk{c: c, st: st, field: field}
				w.walk(st.Pointer()+"/"+field, "", n)
			})
		},
	})
}

var (
	// awsKeyID matches an AWS access key id: AKIA (long-term) or ASIA (temporary) and 16 characters.
	awsKeyID = regexp.MustCompile(`\b(AKIA|ASIA)[A-Z2-7]{16}\b`)
	// privateKey matches the header of a PEM private key.
	privateKey = regexp.MustCompile(`-----BEGIN ([A-Z]+ )*PRIVATE KEY( BLOCK)?-----`)
)

// secretKeyEndings are the normalised key names (lower case, without _ - . and spaces) whose
// literal values are taken for secrets: the key ends with one of them.
var secretKeyEndings = []string{"password", "passwd", "passphrase", "secret", "secretkey", "secretaccesskey",
	"apikey", "apisecret", "accesstoken", "authtoken", "bearertoken", "refreshtoken", "apitoken", "sessiontoken",
	"privatekey", "authorization"}

// secretWalk walks one payload field of a state.
type secretWalk struct {
	c     *Context
	st    *asl.State
	field string
}

// walk looks at a payload value at loc; key is the member name it is the value of ("" for none).
func (w *secretWalk) walk(loc, key string, n *load.Node) {
	c, st := w.c, w.st
	if n == nil || c.Opaque(n) {
		return
	}
	switch n.Kind {
	case load.Object:
		// {"Name": "DB_PASSWORD", "Value": "..."}: ECS, Batch and CodeBuild environment overrides.
		if name := pairName(n); name != "" {
			if v := pairValue(n); v != nil {
				w.walk(loc+"/Value", name, v)
			}
		}
		for _, f := range n.Fields {
			if strings.HasSuffix(f.Key, ".$") {
				continue // a path or an intrinsic function, not a literal
			}
			w.walk(loc+"/"+f.Key, f.Key, f.Value)
		}
	case load.Array:
		for i, it := range n.Items {
			w.walk(loc+"["+strconv.Itoa(i)+"]", key, it)
		}
	case load.String:
		if what := secretIn(key, n.Text, st.QueryLanguage == asl.JSONata); what != "" {
			c.Report(n.Pos, loc, "%s of %q writes %s into the definition, where anyone who can read the state machine or its execution history sees it; keep it in AWS Secrets Manager (an aws-sdk:secretsmanager:getSecretValue Task, or an EventBridge connection for HTTP Tasks) (https://docs.aws.amazon.com/step-functions/latest/dg/sfn-best-practices.html)",
				w.field, st.Name, what)
		}
	}
}

// pairName returns the Name (or Key) of a {"Name": ..., "Value": ...} object, or "".
func pairName(n *load.Node) string {
	for _, k := range []string{"Name", "name", "Key", "key"} {
		if v := n.Get(k); v.IsString() {
			return v.Text
		}
	}
	return ""
}

// pairValue returns the Value of a name/value pair object, or nil.
func pairValue(n *load.Node) *load.Node {
	for _, k := range []string{"Value", "value"} {
		if v := n.Get(k); v != nil {
			return v
		}
	}
	return nil
}

// secretIn describes the secret a literal string holds ("an AWS access key id", ...) or returns "".
func secretIn(key, s string, jsonata bool) string {
	if jsonata && strings.HasPrefix(strings.TrimSpace(s), "{%") {
		return ""
	}
	switch {
	case awsKeyID.MatchString(s):
		return "an AWS access key id"
	case privateKey.MatchString(s):
		return "a private key"
	}
	if key == "" || !secretKey(key) || !literalSecretValue(s) {
		return ""
	}
	return "a literal value for " + quoteKey(key)
}

// secretKey reports whether a key names a secret (password, api_key, client_secret, ...), and not a
// reference to one (SecretId, SecretArn, PasswordPolicy, ...).
func secretKey(key string) bool {
	k := strings.NewReplacer("_", "", "-", "", ".", "", " ", "").Replace(strings.ToLower(key))
	for _, e := range secretKeyEndings {
		if strings.HasSuffix(k, e) {
			return true
		}
	}
	return false
}

// literalSecretValue reports whether a string looks like a secret written out: not empty, not a
// reference (an ARN, a path, a ${...} or {{resolve:...}} placeholder, <angle-bracket> text).
func literalSecretValue(s string) bool {
	t := strings.TrimSpace(s)
	if len(t) < 6 || strings.ContainsAny(t, " \t\n") {
		return false
	}
	for _, p := range []string{"arn:", "$", "{{resolve:", "<", "/aws/", "ssm:", "secretsmanager:"} {
		if strings.HasPrefix(t, p) {
			return false
		}
	}
	return !asl.HasPlaceholder(t)
}

// quoteKey quotes a key for messages.
func quoteKey(k string) string { return "\"" + k + "\"" }
