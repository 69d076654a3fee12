package load

import (
	"bytes"
	"path/filepath"
	"strings"
)

// Format is the syntax of a source document.
type Format string

// The supported formats.
const (
	JSON Format = "json"
	YAML Format = "yaml"
)

// Document is one parsed source file.
type Document struct {
	Name   string // file name as given by the user ("-" or --stdin-filename for stdin)
	Source []byte
	Format Format
	Root   *Node
}

// FormatFor picks the format from a file name's extension; unknown extensions are sniffed from src:
// a document whose first significant character is '{' or '[' is JSON, anything else YAML.
func FormatFor(name string, src []byte) Format {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".json":
		return JSON
	case ".yaml", ".yml":
		return YAML
	}
	return Sniff(src)
}

// Sniff guesses the format of src from its first significant character.
func Sniff(src []byte) Format {
	s := bytes.TrimPrefix(src, []byte{0xEF, 0xBB, 0xBF})
	s = bytes.TrimLeft(s, " \t\r\n")
	if len(s) > 0 && (s[0] == '{' || s[0] == '[') {
		return JSON
	}
	return YAML
}

// Parse parses src in the given format. The error, if any, is an *Error with a position.
func Parse(name string, src []byte, format Format) (*Document, error) {
	doc := &Document{Name: name, Source: src, Format: format}
	var err error
	if format == JSON {
		doc.Root, err = ParseJSON(src)
	} else {
		doc.Root, err = ParseYAML(src)
	}
	if err != nil {
		return doc, err
	}
	return doc, nil
}

// IsDefinition reports whether a parsed root looks like a state machine definition
// (an object with both "States" and "StartAt"). Directory walks use it to pick files.
func IsDefinition(root *Node) bool {
	return root != nil && root.Kind == Object && root.Has("States") && root.Has("StartAt")
}

// DecodeJSON parses strict JSON text into plain Go values (see Node.Interface: numbers are
// json.Number). sfn run uses it for execution inputs, task handler output, mock files and item
// files, so every JSON the user gives is read by the same parser; errors are *Error with a position.
func DecodeJSON(src []byte) (any, error) {
	n, err := ParseJSON(src)
	if err != nil {
		return nil, err
	}
	return n.Interface(), nil
}
