package value

import (
	"encoding/json"
	"errors"
	"io"
)

// Decode reads one JSON value from d (which should have UseNumber set, to keep numbers exact)
// into a run-time value: objects keep their members in document order; a repeated key keeps its
// first position and its last value, as Jackson reads it. It is the lenient reader for JSON text
// built at run time (States.StringToJson, $eval); files the user gives are read by load.DecodeJSON.
func Decode(d *json.Decoder) (any, error) {
	tok, err := d.Token()
	if err != nil {
		return nil, err
	}
	return decodeFrom(d, tok, 0)
}

// maxDecodeDepth bounds nesting, as the strict loader does.
const maxDecodeDepth = 10000

var errTooDeep = errors.New("the JSON text is nested too deeply")

func decodeFrom(d *json.Decoder, tok json.Token, depth int) (any, error) {
	if depth > maxDecodeDepth {
		return nil, errTooDeep
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			o := NewObject(4)
			for d.More() {
				kt, err := d.Token()
				if err != nil {
					return nil, err
				}
				key, _ := kt.(string)
				vt, err := d.Token()
				if err != nil {
					return nil, err
				}
				v, err := decodeFrom(d, vt, depth+1)
				if err != nil {
					return nil, err
				}
				o.Set(key, v)
			}
			if _, err := d.Token(); err != nil { // '}'
				return nil, err
			}
			return o, nil
		case '[':
			a := []any{}
			for d.More() {
				vt, err := d.Token()
				if err != nil {
					return nil, err
				}
				v, err := decodeFrom(d, vt, depth+1)
				if err != nil {
					return nil, err
				}
				a = append(a, v)
			}
			if _, err := d.Token(); err != nil { // ']'
				return nil, err
			}
			return a, nil
		}
		return nil, io.ErrUnexpectedEOF
	}
	return tok, nil // string, bool, nil, json.Number
}
