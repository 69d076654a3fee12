package path

import (
	"strconv"
	"strings"
)

// String returns a canonical rendering of p that Parse accepts and that
// selects the same nodes: plain identifiers use dot notation, other member
// names use single-quoted bracket notation, filters and scripts keep their
// source text.
func (p *Path) String() string {
	var b strings.Builder
	switch p.Root {
	case RootInput:
		b.WriteString("$")
	case RootContext:
		b.WriteString("$$")
	case RootVariable:
		b.WriteString("$" + p.Variable)
	case RootCurrent:
		b.WriteString("@")
	}
	for i := range p.Segments {
		p.Segments[i].format(&b, false)
	}
	return b.String()
}

// format writes s; afterDescent is true right after "..".
func (s *Segment) format(b *strings.Builder, afterDescent bool) {
	switch s.Kind {
	case Field:
		if isPlainName(s.Name) {
			if !afterDescent {
				b.WriteByte('.')
			}
			b.WriteString(s.Name)
		} else {
			b.WriteString("[" + quoteName(s.Name) + "]")
		}
	case Index:
		b.WriteString("[" + strconv.Itoa(s.Index) + "]")
	case Wildcard:
		if afterDescent {
			b.WriteString("*")
		} else {
			b.WriteString("[*]")
		}
	case RecursiveDescent:
		b.WriteString("..")
		if s.Child != nil {
			s.Child.format(b, true)
		} else {
			(&Segment{Kind: Field, Name: s.Name}).format(b, true)
		}
	case Slice:
		b.WriteByte('[')
		if s.Start != nil {
			b.WriteString(strconv.Itoa(*s.Start))
		}
		b.WriteByte(':')
		if s.End != nil {
			b.WriteString(strconv.Itoa(*s.End))
		}
		if s.Step != nil {
			b.WriteString(":" + strconv.Itoa(*s.Step))
		}
		b.WriteByte(']')
	case Union:
		parts := make([]string, 0, len(s.Indexes)+len(s.Names))
		for _, i := range s.Indexes {
			parts = append(parts, strconv.Itoa(i))
		}
		for _, n := range s.Names {
			parts = append(parts, quoteName(n))
		}
		b.WriteString("[" + strings.Join(parts, ",") + "]")
	case Filter:
		b.WriteString("[?(" + s.Expr + ")]")
	case Script:
		b.WriteString("[(" + s.Expr + ")]")
	}
}

// isPlainName reports whether name can be written in dot notation unescaped
// in every context (identifier characters only).
func isPlainName(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		if !isIdentPart(r) {
			return false
		}
	}
	return true
}

// quoteName renders name as a single-quoted bracket name.
func quoteName(name string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for _, r := range name {
		if r == '\'' || r == '\\' {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte('\'')
	return b.String()
}
