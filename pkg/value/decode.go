package value

import (
	"encoding/json"
)

// Decode reads one JSON value from d into a run-time value: objects keep their members in
// document order; a repeated key keeps its first position and its last value, as Jackson reads
// it; numbers are json.Number (their exact text). It is the lenient reader for JSON text built at
// run time (States.StringToJson, $parse); files the user gives are read by load.DecodeJSON.
// Errors are those of d.Decode (the same texts as decoding into an any); encoding/json's scanner
// also bounds the nesting (10,000 levels).
func Decode(d *json.Decoder) (any, error) {
	var raw json.RawMessage
	if err := d.Decode(&raw); err != nil {
		return nil, err
	}
	p := &parser{s: raw}
	return p.value(), nil
}

// parser reads JSON text that encoding/json has already validated.
type parser struct {
	s []byte
	i int
}

func (p *parser) space() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *parser) value() any {
	p.space()
	switch p.s[p.i] {
	case '{':
		p.i++
		o := NewObject(4)
		p.space()
		if p.s[p.i] == '}' {
			p.i++
			return o
		}
		for {
			p.space()
			k := p.str()
			p.space()
			p.i++ // ':'
			o.Set(k, p.value())
			p.space()
			if p.s[p.i] == ',' {
				p.i++
				continue
			}
			p.i++ // '}'
			return o
		}
	case '[':
		p.i++
		a := []any{}
		p.space()
		if p.s[p.i] == ']' {
			p.i++
			return a
		}
		for {
			a = append(a, p.value())
			p.space()
			if p.s[p.i] == ',' {
				p.i++
				continue
			}
			p.i++ // ']'
			return a
		}
	case '"':
		return p.str()
	case 't':
		p.i += 4
		return true
	case 'f':
		p.i += 5
		return false
	case 'n':
		p.i += 4
		return nil
	}
	start := p.i
	for p.i < len(p.s) && isNumberByte(p.s[p.i]) {
		p.i++
	}
	return json.Number(p.s[start:p.i])
}

func isNumberByte(c byte) bool {
	return c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
}

// str reads a string: plain ASCII directly, anything with escapes or other bytes through
// encoding/json (which decodes escapes and surrogate pairs and replaces invalid UTF-8 as Decode
// into an any does).
func (p *parser) str() string {
	start := p.i + 1
	j := start
	for ; p.s[j] != '"'; j++ {
		if c := p.s[j]; c == '\\' || c >= 0x80 {
			return p.slowStr()
		}
	}
	p.i = j + 1
	return string(p.s[start:j])
}

func (p *parser) slowStr() string {
	j := p.i + 1
	for p.s[j] != '"' {
		if p.s[j] == '\\' {
			j++
		}
		j++
	}
	var s string
	_ = json.Unmarshal(p.s[p.i:j+1], &s) // valid: the whole text was validated
	p.i = j + 1
	return s
}
