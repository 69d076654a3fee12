package render

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/jsonata"
	"github.com/sfn-tool/sfn/pkg/load"
)

// Label lengths, in runes; longer texts are cut with "…" and kept whole in a tooltip.
const (
	ruleLineWidth  = 32 // Choice rule labels wrap at this width...
	ruleLines      = 2  // ...onto at most this many lines
	maxErrorsLabel = 40
	maxDetailLabel = 36
)

// wrap breaks s at spaces into lines of at most width runes (a longer word gets a line of its
// own); past maxLines lines the text is cut with "…". It returns the wrapped and the full text.
func wrap(s string, width, maxLines int) (wrapped, full string) {
	var lines []string
	cur := ""
	for _, w := range strings.Fields(s) {
		switch {
		case cur == "":
			cur = w
		case len([]rune(cur))+1+len([]rune(w)) <= width:
			cur += " " + w
		default:
			lines = append(lines, cur)
			cur = w
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	if len(lines) > maxLines {
		lines = lines[:maxLines]
		last := []rune(lines[maxLines-1])
		if len(last) >= width {
			last = last[:width-1]
		}
		lines[maxLines-1] = strings.TrimRightFunc(string(last), unicode.IsSpace) + "…"
	}
	for i, l := range lines {
		if len([]rune(l)) > width*2 {
			lines[i] = cut(l, width*2)
		}
	}
	return strings.Join(lines, "\n"), s
}

// shorten cuts s to n runes with a trailing "…"; it returns the short and the full text.
func shorten(s string, n int) (short, full string) {
	r := []rune(s)
	if len(r) <= n {
		return s, s
	}
	return strings.TrimRightFunc(string(r[:n-1]), unicode.IsSpace) + "…", s
}

func cut(s string, n int) string {
	short, _ := shorten(s, n)
	return short
}

// collapseSpace replaces every run of white space with one space.
func collapseSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// detail is the second label line of a state: its type and a short resource or duration.
func detail(st *asl.State, collapsed bool) string {
	switch st.Type {
	case "Task":
		if r := st.Field("Resource"); r != nil && r.Kind == load.String {
			return "Task: " + cut(shortResource(r.Text), maxDetailLabel)
		}
		return "Task"
	case "Wait":
		return waitDetail(st)
	case "Fail":
		if e := st.Field("Error"); e != nil && e.Kind == load.String {
			return "Fail: " + cut(collapseSpace(e.Text), maxDetailLabel)
		}
		return "Fail"
	case "Map":
		if collapsed || st.Processor == nil {
			if isDistributed(st) {
				return "Map (distributed)"
			}
			return "Map"
		}
	case "Parallel":
		if collapsed || st.Branches == nil {
			return "Parallel: " + plural(len(st.Branches), "branch", "branches")
		}
	case "Choice":
		return ""
	case "":
		if t := st.Field("Type"); t == nil {
			return "no Type"
		}
		return "invalid Type"
	}
	return st.Type
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// shortResource shortens a Task resource ARN as asl.ParseResource reads it, in any partition:
// "arn:aws:states:::lambda:invoke" → "lambda:invoke", "arn:aws:states:::aws-sdk:s3:getObject" →
// "s3:getObject", a Lambda function ARN → "lambda:NAME", an activity ARN → "activity:NAME".
func shortResource(arn string) string {
	if s := asl.ParseResource(arn).Short(arn); s != "" {
		return s
	}
	return collapseSpace(arn)
}

func waitDetail(st *asl.State) string {
	for _, f := range []struct{ field, prefix, suffix string }{
		{"Seconds", "Wait ", "s"}, {"SecondsPath", "Wait ", ""},
		{"Timestamp", "Wait until ", ""}, {"TimestampPath", "Wait until ", ""},
	} {
		n := st.Field(f.field)
		if n == nil {
			continue
		}
		switch n.Kind {
		case load.Number:
			return f.prefix + n.Text + f.suffix
		case load.String:
			v := n.Text
			if t, ok := jsonataTemplate(v); ok {
				return f.prefix + cut(shortJSONata(t), maxDetailLabel)
			}
			return f.prefix + cut(collapseSpace(v), maxDetailLabel)
		}
	}
	return "Wait"
}

// retryLines describes the retriers: "↻ States.TaskFailed ×3".
func retryLines(st *asl.State) []string {
	var out []string
	for _, r := range st.Retry {
		if r.Node == nil || r.Node.Kind != load.Object {
			continue
		}
		attempts := "3"
		if n := r.Node.Get("MaxAttempts"); n != nil && n.Kind == load.Number {
			attempts = n.Text
		}
		out = append(out, "↻ "+errorSummary(r.Node.Get("ErrorEquals"))+" ×"+attempts)
	}
	return out
}

// errorSummary is an ErrorEquals array in short form: the names joined when they fit, else the
// first name cut to fit and how many more ("Lambda.TooManyRequestsException +1"; a single long
// name is only cut).
func errorSummary(n *load.Node) string {
	names := errorNames(n)
	switch all := joinErrors(names); {
	case len([]rune(all)) <= maxErrorsLabel:
		return all
	case len(names) == 1:
		return cut(names[0], maxErrorsLabel)
	default:
		return cut(names[0], maxErrorsLabel) + " +" + strconv.Itoa(len(names)-1)
	}
}

// errorList joins an ErrorEquals array.
func errorList(n *load.Node) string { return joinErrors(errorNames(n)) }

// errorNames are the string items of an ErrorEquals array, white space collapsed.
func errorNames(n *load.Node) []string {
	if n == nil || n.Kind != load.Array {
		return nil
	}
	names := make([]string, 0, len(n.Items))
	for _, it := range n.Items {
		if it.Kind == load.String {
			names = append(names, collapseSpace(it.Text))
		}
	}
	return names
}

// joinErrors joins error names, "?" when there are none.
func joinErrors(names []string) string {
	if len(names) == 0 {
		return "?"
	}
	return strings.Join(names, ", ")
}

func isDistributed(st *asl.State) bool {
	if st.Processor == nil || st.Processor.Node == nil {
		return false
	}
	mode := st.Processor.Node.Get("ProcessorConfig").Get("Mode")
	return mode != nil && mode.Kind == load.String && mode.Text == "DISTRIBUTED"
}

// clusterLabel is the title of a Parallel or Map cluster: "Process Items (Map)".
func clusterLabel(st *asl.State) string {
	switch {
	case st.Type == "Map" && isDistributed(st):
		return st.Name + " (Map, distributed)"
	default:
		return st.Name + " (" + st.Type + ")"
	}
}

// comparison operators in short form; "" means the operator is a type test.
var comparisonSymbols = map[string]string{
	"Equals": "==", "LessThan": "<", "GreaterThan": ">", "LessThanEquals": "<=", "GreaterThanEquals": ">=",
}

// ruleLabel returns the short and the full text of a Choice rule.
func (b *builder) ruleLabel(st *asl.State, r *asl.ChoiceRule) (short, full string) {
	var s string
	if st.QueryLanguage == asl.JSONata {
		s = b.conditionText(r)
	} else {
		s = b.ruleText(r, false)
	}
	return wrap(s, ruleLineWidth, ruleLines)
}

// ruleExprs returns the parsed expressions of a rule by field name.
func (b *builder) ruleExprs(r *asl.ChoiceRule) map[string]*asl.Expr {
	if b.exprs == nil {
		b.exprs = map[*asl.ChoiceRule]map[string]*asl.Expr{}
		if b.m != nil {
			for _, e := range b.m.Exprs {
				if e.Rule == nil {
					continue
				}
				if b.exprs[e.Rule] == nil {
					b.exprs[e.Rule] = map[string]*asl.Expr{}
				}
				b.exprs[e.Rule][e.Key] = e
			}
		}
	}
	return b.exprs[r]
}

func (b *builder) conditionText(r *asl.ChoiceRule) string {
	e := b.ruleExprs(r)["Condition"]
	switch {
	case e != nil && e.JSONata != nil:
		return shortJSONata(e.JSONata.Root.String())
	case e != nil:
		return collapseSpace(e.Source())
	}
	if c := r.Node.Get("Condition"); c != nil {
		return collapseSpace(c.Describe())
	}
	return "?"
}

// pathText is the canonical text of a path-valued field of a rule.
func (b *builder) pathText(r *asl.ChoiceRule, key string) string {
	if e := b.ruleExprs(r)[key]; e != nil && e.Path != nil {
		return e.Path.String()
	}
	if n := r.Node.Get(key); n != nil && n.Kind == load.String {
		return collapseSpace(n.Text)
	}
	return "?"
}

// ruleText renders a JSONPath choice rule: `$.type == "batch"`, `$.n > 10 and $.ok`.
func (b *builder) ruleText(r *asl.ChoiceRule, nested bool) string {
	n := r.Node
	if n == nil || n.Kind != load.Object {
		return "?"
	}
	for _, op := range []string{"And", "Or"} {
		if n.Has(op) {
			parts := make([]string, 0, len(r.Nested))
			for _, nr := range r.Nested {
				parts = append(parts, b.ruleText(nr, true))
			}
			s := strings.Join(parts, " "+strings.ToLower(op)+" ")
			if nested && len(parts) > 1 {
				s = "(" + s + ")"
			}
			return s
		}
	}
	if n.Has("Not") && len(r.Nested) == 1 {
		if s, ok := b.negatedTest(r.Nested[0]); ok {
			return s
		}
		return "not " + b.ruleText(r.Nested[0], true)
	}
	v := b.pathText(r, "Variable")
	for _, f := range n.Fields {
		if _, ok := asl.ComparisonOperators[f.Key]; ok {
			return b.comparison(r, v, f.Key, f.Value, nested)
		}
	}
	return v
}

// negatedTest renders Not over a type test or a boolean comparison as the opposite test
// ("$.b is not null" rather than "not $.b is null").
func (b *builder) negatedTest(r *asl.ChoiceRule) (string, bool) {
	if r.Node == nil || r.Node.Kind != load.Object {
		return "", false
	}
	for _, f := range r.Node.Fields {
		if f.Value.Kind != load.Bool || !(strings.HasPrefix(f.Key, "Is") || f.Key == "BooleanEquals") {
			continue
		}
		if _, ok := asl.ComparisonOperators[f.Key]; ok {
			flipped := &load.Node{Kind: load.Bool, Bool: !f.Value.Bool, Pos: f.Value.Pos}
			return b.comparison(r, b.pathText(r, "Variable"), f.Key, flipped, true), true
		}
	}
	return "", false
}

func (b *builder) comparison(r *asl.ChoiceRule, v, op string, val *load.Node, nested bool) string {
	isTrue := val.Kind == load.Bool && val.Bool
	switch op {
	case "IsPresent":
		return v + map[bool]string{true: " is present", false: " is absent"}[isTrue]
	case "IsNull", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp":
		what := strings.ToLower(strings.TrimPrefix(op, "Is"))
		if isTrue {
			return v + " is " + what
		}
		return v + " is not " + what
	case "BooleanEquals":
		if val.Kind == load.Bool {
			if val.Bool {
				return v
			}
			if nested {
				return "(not " + v + ")"
			}
			return "not " + v
		}
	case "StringMatches":
		return v + " like " + literal(val)
	}
	operand := literal(val)
	if strings.HasSuffix(op, "Path") {
		op = strings.TrimSuffix(op, "Path")
		operand = b.pathText(r, op+"Path")
	}
	for _, kind := range []string{"String", "Numeric", "Timestamp", "Boolean"} {
		if rest, ok := strings.CutPrefix(op, kind); ok {
			if sym := comparisonSymbols[rest]; sym != "" {
				return v + " " + sym + " " + operand
			}
		}
	}
	return v + " " + op + " " + operand
}

// literal renders a comparison operand.
func literal(n *load.Node) string {
	switch n.Kind {
	case load.String:
		return strconv.Quote(n.Text)
	case load.Number:
		return n.Text
	case load.Bool:
		return strconv.FormatBool(n.Bool)
	case load.Null:
		return "null"
	}
	return n.Kind.String()
}

// jsonataTemplate returns the expression inside "{% ... %}" (pkg/jsonata decides what a template is).
func jsonataTemplate(s string) (string, bool) {
	expr, ok := jsonata.Template(s)
	return strings.TrimSpace(expr), ok
}

// shortJSONata shortens a JSONata expression for a label: white space is collapsed and, outside
// string literals, "$states.input" becomes "$input" (likewise context, result and errorOutput).
func shortJSONata(src string) string {
	src = collapseSpace(src)
	var out strings.Builder
	var quote byte
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case quote != 0:
			if c == '\\' && i+1 < len(src) {
				out.WriteByte(c)
				i++
				c = src[i]
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '$' && (i == 0 || !isIdentByte(src[i-1])):
			if f := statesField(src[i:]); f != "" {
				out.WriteString("$" + f)
				i += len("$states.") + len(f) - 1
				continue
			}
		}
		out.WriteByte(c)
	}
	return out.String()
}

// statesField returns "input", "context", "result" or "errorOutput" when s starts with
// "$states." followed by that name.
func statesField(s string) string {
	rest, ok := strings.CutPrefix(s, "$states.")
	if !ok {
		return ""
	}
	for _, f := range []string{"input", "context", "result", "errorOutput"} {
		if strings.HasPrefix(rest, f) && (len(rest) == len(f) || !isIdentByte(rest[len(f)])) {
			return f
		}
	}
	return ""
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
