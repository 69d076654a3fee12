package validate

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/lipgloss"
	"github.com/mattn/go-runewidth"
	"github.com/muesli/termenv"

	"github.com/sfn-tool/sfn/internal/safetext"
	"github.com/sfn-tool/sfn/pkg/load"
)

// textFormatter prints one diagnostic per line, compiler style, followed by the source line
// and a caret under the column:
//
//	order.asl.json:4:35: error: Missing 'Next' target: Nope [next-target-exists]
//	   4 |       "Next": "Nope"
//	     |               ^
type textFormatter struct {
	w                 io.Writer
	pos, rule, gutter lipgloss.Style
	severity          map[Severity]lipgloss.Style
}

func newTextFormatter(w io.Writer, o FormatOptions) Formatter {
	r := lipgloss.NewRenderer(w)
	if o.Color {
		r.SetColorProfile(termenv.ANSI)
	} else {
		r.SetColorProfile(termenv.Ascii)
	}
	return &textFormatter{
		w:      w,
		pos:    r.NewStyle().Bold(true),
		rule:   r.NewStyle().Faint(true),
		gutter: r.NewStyle().Faint(true),
		severity: map[Severity]lipgloss.Style{
			Error:   r.NewStyle().Foreground(lipgloss.Color("1")).Bold(true),
			Warning: r.NewStyle().Foreground(lipgloss.Color("3")).Bold(true),
			Info:    r.NewStyle().Foreground(lipgloss.Color("6")),
		},
	}
}

func (f *textFormatter) Write(r FileResult) error {
	var b strings.Builder
	file := safetext.Escape(r.File)
	for _, d := range r.Diagnostics {
		sev := f.severity[d.Severity]
		fmt.Fprintf(&b, "%s %s %s %s\n",
			f.pos.Render(fmt.Sprintf("%s:%d:%d:", file, d.Pos.Line, d.Pos.Col)),
			sev.Render(d.Severity.String()+":"),
			safetext.Escape(d.Message),
			f.rule.Render("["+d.Rule+"]"))
		f.snippet(&b, r.Source, d.Pos, sev)
	}
	_, err := io.WriteString(f.w, b.String())
	return err
}

// snippet writes the source line of pos, or the window of it around pos, and a caret under its
// column.
func (f *textFormatter) snippet(b *strings.Builder, src []byte, pos load.Pos, caret lipgloss.Style) {
	if src == nil || pos.Line < 1 {
		return
	}
	line := load.SourceLine(src, pos.Line)
	if strings.TrimSpace(line) == "" {
		return
	}
	shown, indent := sourceWindow(line, pos.Col)
	num := strconv.Itoa(pos.Line)
	pad := strings.Repeat(" ", len(num))
	fmt.Fprintf(b, "  %s %s\n", f.gutter.Render(num+" |"), shown)
	fmt.Fprintf(b, "  %s %s%s\n", f.gutter.Render(pad+" |"), indent, caret.Render("^"))
}

// windowRadius is how many characters of a long source line are shown either side of the
// caret; a minified definition is one long line, which is not repeated whole for every finding.
const windowRadius = 80

// ellipsis marks where a source line is cut.
const ellipsis = "…"

// sourceWindow returns the part of line shown for the 1-based character column col and the
// whitespace that puts a caret under col. A line of at most 2×windowRadius+1 characters is
// shown whole; a longer one as that many characters around col (about windowRadius either
// side), with an ellipsis where it is cut. Control characters are escaped (safetext) except
// tabs; in the indent, tabs are kept as tabs, wide characters count double and an escape
// counts its length.
func sourceWindow(line string, col int) (shown, indent string) {
	n := utf8.RuneCountInString(line) // characters, as the loader counts columns
	col = min(max(col, 1), n+1)       // a caret past the end follows the last character
	first := min(max(col-windowRadius, 1), max(n-2*windowRadius, 1))
	last := first + 2*windowRadius
	var text, ind strings.Builder
	if first > 1 {
		text.WriteString(ellipsis)
		ind.WriteString(strings.Repeat(" ", runewidth.StringWidth(ellipsis)))
	}
	i, c := 0, 1 // byte offset and column of the next character
	for ; c < first; c++ {
		i += charLen(line[i:])
	}
	for ; i < len(line) && c <= last; c++ {
		s, size := line[i:i+1], 1
		if s != "\t" {
			s, size = safetext.Next(line[i:])
		}
		text.WriteString(s)
		if c < col {
			ind.WriteString(indentFor(s))
		}
		i += size
	}
	if i < len(line) {
		text.WriteString(ellipsis)
	}
	return text.String(), ind.String()
}

// charLen is the length in bytes of the first character of s: a rune, or one byte of invalid
// UTF-8 (the loader's columns count the same way).
func charLen(s string) int {
	if s[0] < utf8.RuneSelf {
		return 1
	}
	_, size := utf8.DecodeRuneInString(s)
	return size
}

// indentFor is the whitespace as wide as the printed character s.
func indentFor(s string) string {
	switch {
	case s == "\t":
		return "\t"
	case len(s) == 1:
		return " "
	case s[0] == '\\':
		return strings.Repeat(" ", len(s)) // an escape
	}
	r, _ := utf8.DecodeRuneInString(s)
	return strings.Repeat(" ", runewidth.RuneWidth(r))
}

func (f *textFormatter) Flush() error { return nil }
