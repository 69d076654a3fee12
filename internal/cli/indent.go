package cli

import (
	"bufio"
	"io"
)

// writeIndented writes the compact JSON text src to w indented by two spaces per level, as
// json.Indent does, but streamed: memory does not grow with the output, which for a deeply
// nested value is quadratic in its depth (a 10,000-deep array of 20 KB indents to 100 MB).
func writeIndented(w io.Writer, src []byte) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	depth := 0
	inString, escaped := false, false
	newline := func(d int) {
		bw.WriteByte('\n')
		for range d {
			bw.WriteString("  ")
		}
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		if inString {
			bw.WriteByte(c)
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
			bw.WriteByte(c)
		case '{', '[':
			bw.WriteByte(c)
			if i+1 < len(src) && (src[i+1] == '}' || src[i+1] == ']') { // empty: {} and []
				bw.WriteByte(src[i+1])
				i++
				continue
			}
			depth++
			newline(depth)
		case '}', ']':
			depth--
			newline(depth)
			bw.WriteByte(c)
		case ',':
			bw.WriteByte(c)
			newline(depth)
		case ':':
			bw.WriteString(": ")
		default:
			bw.WriteByte(c)
		}
	}
	bw.WriteByte('\n')
	return bw.Flush()
}
