package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sfn-tool/sfn/internal/safetext"
	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/validate"
)

func newConvertCmd() *cobra.Command {
	var to, out string
	cmd := &cobra.Command{
		Use:   "convert FILE --to yaml|json",
		Short: "Convert a definition between JSON and YAML, keeping the order of states and keys",
		Long: "Convert a state machine definition (or any JSON or YAML document) between JSON and YAML.\n" +
			"States and keys keep their order and numbers keep their exact digits. YAML comments are\n" +
			"not carried over and anchors are expanded; CloudFormation short tags (!Ref, !Sub, ...) become\n" +
			"their long form ({\"Ref\": ...}, {\"Fn::Sub\": ...}) in JSON. '-' reads standard input.",
		Example: "  sfn convert order.asl.json --to yaml > order.asl.yaml\n  sfn convert order.asl.yaml --to json -o order.asl.json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runConvert(cmd, args[0], to, out)
		},
	}
	cmd.Flags().StringVar(&to, "to", "", "output format: yaml or json (required)")
	cmd.Flags().StringVarP(&out, "output", "o", "", "write to FILE instead of standard output")
	return cmd
}

func runConvert(cmd *cobra.Command, name, to, out string) error {
	to = strings.ToLower(to)
	switch to {
	case "yaml", "yml":
		to = "yaml"
	case "json":
	case "":
		return usageErr("--to is required (yaml or json)")
	default:
		return usageErr("unknown --to %q (want yaml or json)", to)
	}
	var src []byte
	var err error
	format := load.Format("")
	if name == "-" {
		src, err = load.ReadAll(cmd.InOrStdin(), load.MaxFileSize)
		name = stdinDefaultName
		format = load.Sniff(src)
	} else {
		src, err = load.ReadFile(name, load.MaxFileSize)
		format = load.FormatFor(name, src)
	}
	if err != nil {
		return &exitError{code: exitIO, err: &pathError{name, err}}
	}
	doc, err := load.Parse(name, src, format)
	if err != nil {
		fm, _ := validate.NewFormatter("text", cmd.ErrOrStderr(), validate.FormatOptions{Color: useColor("auto", cmd.ErrOrStderr())})
		_ = fm.Write(validate.FileResult{File: name, Source: src, Diagnostics: []validate.Diagnostic{validate.LoadError(name, err, nil)}})
		return &exitError{code: exitFindings}
	}
	var b bytes.Buffer
	if to == "json" {
		writeJSON(&b, doc.Root, "")
		b.WriteByte('\n')
	} else {
		writeYAML(&b, doc.Root, 0, false)
	}
	return writeResult(cmd.OutOrStdout(), out, b.Bytes())
}

// untag turns a YAML short-tagged value (!Ref X, !GetAtt A.B, !Sub s) into CloudFormation's
// long form; other nodes are returned as they are.
func untag(n *load.Node) *load.Node {
	if n.Tag == "" || strings.HasPrefix(n.Tag, "!!") {
		return n
	}
	v := *n
	v.Tag = ""
	name := strings.TrimPrefix(n.Tag, "!")
	key := "Fn::" + name
	if name == "Ref" || name == "Condition" {
		key = name
	}
	if name == "GetAtt" && v.Kind == load.String {
		if res, attr, ok := strings.Cut(v.Text, "."); ok {
			v = load.Node{Kind: load.Array, Pos: v.Pos, Items: []*load.Node{{Kind: load.String, Text: res}, {Kind: load.String, Text: attr}}}
		}
	}
	return &load.Node{Kind: load.Object, Pos: n.Pos, Fields: []load.Field{{Key: key, Value: &v}}}
}

// jsonString quotes s as JSON without escaping <, > and &; control characters (C0 and, by
// safetext.JSON, C1), bidi controls and line separators are \u escapes (also valid in a YAML
// double-quoted scalar), so the output is safe to print on a terminal.
func jsonString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(string(safetext.JSON(b.Bytes())), "\n")
}

// writeJSON writes n as JSON indented by two spaces, keys in source order, numbers exact.
func writeJSON(b *bytes.Buffer, n *load.Node, indent string) {
	n = untag(n)
	switch n.Kind {
	case load.Null:
		b.WriteString("null")
	case load.Bool:
		fmt.Fprint(b, n.Bool)
	case load.Number:
		b.WriteString(n.Text)
	case load.String:
		b.WriteString(jsonString(n.Text))
	case load.Array:
		if len(n.Items) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteString("[\n")
		for i, it := range n.Items {
			b.WriteString(indent + "  ")
			writeJSON(b, it, indent+"  ")
			if i < len(n.Items)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "]")
	case load.Object:
		if len(n.Fields) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteString("{\n")
		for i, f := range n.Fields {
			b.WriteString(indent + "  " + jsonString(f.Key) + ": ")
			writeJSON(b, f.Value, indent+"  ")
			if i < len(n.Fields)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "}")
	}
}

// plainYAML matches strings that YAML reads back as the same string when written unquoted.
var plainYAML = regexp.MustCompile(`^[A-Za-z_$/][A-Za-z0-9_$/ .()*+=@:,?-]*$`)

// yamlSpecial are plain words YAML (1.1 or 1.2) would read as something else than a string.
var yamlSpecial = map[string]bool{
	"true": true, "false": true, "null": true, "yes": true, "no": true, "on": true, "off": true,
	"y": true, "n": true, "~": true, ".inf": true, ".nan": true,
}

func yamlScalarString(s string) string {
	if plainYAML.MatchString(s) && !strings.HasSuffix(s, " ") && !yamlSpecial[strings.ToLower(s)] &&
		!strings.Contains(s, " #") && !strings.Contains(s, "${") && !strings.Contains(s, ": ") && !strings.HasSuffix(s, ":") {
		return s
	}
	return jsonString(s) // a JSON string is a valid YAML double-quoted scalar
}

// writeYAML writes n as block YAML indented by two spaces. inSeq says the value follows "- ".
func writeYAML(b *bytes.Buffer, n *load.Node, level int, inline bool) {
	pad := strings.Repeat("  ", level)
	if n.Tag != "" && !strings.HasPrefix(n.Tag, "!!") && (n.Kind == load.String || n.Kind == load.Number || n.Kind == load.Null || n.Kind == load.Bool) {
		v := *n
		v.Tag = ""
		b.WriteString(n.Tag + " ")
		writeYAML(b, &v, level, inline)
		return
	}
	n = untag(n)
	switch n.Kind {
	case load.Null:
		b.WriteString("null\n")
	case load.Bool:
		fmt.Fprintln(b, n.Bool)
	case load.Number:
		b.WriteString(n.Text + "\n")
	case load.String:
		b.WriteString(yamlScalarString(n.Text) + "\n")
	case load.Array:
		if len(n.Items) == 0 {
			b.WriteString("[]\n")
			return
		}
		if inline {
			b.WriteByte('\n')
		}
		for _, it := range n.Items {
			b.WriteString(pad + "- ")
			writeYAMLItem(b, it, level+1)
		}
	case load.Object:
		if len(n.Fields) == 0 {
			b.WriteString("{}\n")
			return
		}
		if inline {
			b.WriteByte('\n')
		}
		for _, f := range n.Fields {
			b.WriteString(pad + yamlScalarString(f.Key) + ":")
			v := f.Value
			if isBlock(v) {
				writeYAML(b, v, level+1, true)
			} else {
				b.WriteByte(' ')
				writeYAML(b, v, level+1, false)
			}
		}
	}
}

// writeYAMLItem writes a sequence item after "- ": an object's first key goes on the same line.
func writeYAMLItem(b *bytes.Buffer, n *load.Node, level int) {
	u := untag(n)
	if n.Tag == "" || u == n {
		if u.Kind == load.Object && len(u.Fields) > 0 {
			var inner bytes.Buffer
			writeYAML(&inner, u, level, false)
			b.WriteString(strings.TrimPrefix(inner.String(), strings.Repeat("  ", level)))
			return
		}
		if u.Kind == load.Array && len(u.Items) > 0 {
			var inner bytes.Buffer
			writeYAML(&inner, u, level, false)
			b.WriteString(strings.TrimPrefix(inner.String(), strings.Repeat("  ", level)))
			return
		}
	}
	writeYAML(b, n, level, false)
}

// isBlock reports whether the value is written on the lines below its key.
func isBlock(n *load.Node) bool {
	if n.Tag != "" && !strings.HasPrefix(n.Tag, "!!") && n.Kind != load.Object && n.Kind != load.Array {
		return false
	}
	u := untag(n)
	return (u.Kind == load.Object && len(u.Fields) > 0) || (u.Kind == load.Array && len(u.Items) > 0)
}
