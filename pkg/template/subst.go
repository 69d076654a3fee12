package template

import (
	"strings"

	"github.com/sfn-tool/sfn/pkg/load"
)

// substitute returns n with ${Key} references to literal substitution values replaced, in string
// values and keys. Nodes that change are copies (the template's tree is never modified); they
// keep their positions. A string that is exactly "${Key}" whose value is a number or boolean
// becomes that number or boolean. References to opaque values stay as they are (placeholders).
func substitute(n *load.Node, subs substs) *load.Node {
	if n == nil || len(subs) == 0 {
		return n
	}
	hasLiteral := false
	for _, v := range subs {
		if v.literal {
			hasLiteral = true
			break
		}
	}
	if !hasLiteral {
		return n
	}
	return subst1(n, subs, 0)
}

func subst1(n *load.Node, subs substs, depth int) *load.Node {
	if depth > 10000 {
		return n
	}
	switch n.Kind {
	case load.String:
		if n.Tag != "" || !strings.Contains(n.Text, "${") {
			return n
		}
		if len(n.Text) > 3 && strings.HasPrefix(n.Text, "${") && strings.IndexByte(n.Text, '}') == len(n.Text)-1 {
			if v, ok := subs[n.Text[2:len(n.Text)-1]]; ok && v.literal && v.kind != load.String {
				c := *n
				c.Kind, c.Text = v.kind, v.text
				if v.kind == load.Bool {
					c.Bool, c.Text = v.text == "true", ""
				}
				return &c
			}
		}
		s, changed := substString(n.Text, subs)
		if !changed {
			return n
		}
		c := *n
		c.Text = s
		return &c
	case load.Object:
		var fields []load.Field
		for i, f := range n.Fields {
			v := subst1(f.Value, subs, depth+1)
			k := f.Key
			if strings.Contains(k, "${") {
				k, _ = substString(k, subs)
			}
			if v != f.Value || k != f.Key {
				if fields == nil {
					fields = append([]load.Field(nil), n.Fields...)
				}
				fields[i].Value, fields[i].Key = v, k
			}
		}
		if fields == nil {
			return n
		}
		c := *n
		c.Fields = fields
		return &c
	case load.Array:
		var items []*load.Node
		for i, it := range n.Items {
			v := subst1(it, subs, depth+1)
			if v != it {
				if items == nil {
					items = append([]*load.Node(nil), n.Items...)
				}
				items[i] = v
			}
		}
		if items == nil {
			return n
		}
		c := *n
		c.Items = items
		return &c
	}
	return n
}

// substString replaces ${Key} with literal values in s.
func substString(s string, subs substs) (string, bool) {
	var b strings.Builder
	changed := false
	i := 0
	for {
		j := strings.Index(s[i:], "${")
		if j < 0 {
			break
		}
		j += i
		end := strings.IndexByte(s[j+2:], '}')
		if end < 0 {
			break
		}
		name := s[j+2 : j+2+end]
		if v, ok := subs[name]; ok && v.literal {
			b.WriteString(s[i:j])
			b.WriteString(v.text)
			changed = true
		} else {
			b.WriteString(s[i : j+3+end])
		}
		i = j + 3 + end
	}
	if !changed {
		return s, false
	}
	b.WriteString(s[i:])
	return b.String(), true
}
