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

	lineNo int          // the source line held by line (0: none)
	line   *lineWindows // windows of the last source line shown
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
	f.lineNo, f.line = 0, nil
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
	if f.lineNo != pos.Line { // diagnostics are sorted: consecutive ones often share a line
		f.lineNo, f.line = pos.Line, newLineWindows(load.SourceLine(src, pos.Line))
	}
	if strings.TrimSpace(f.line.text) == "" {
		return
	}
	shown, indent := f.line.window(pos.Col)
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
// whitespace that puts a caret under col (see lineWindows.window).
func sourceWindow(line string, col int) (shown, indent string) {
	return newLineWindows(line).window(col)
}

// lineWindows cuts windows out of one source line. Calls with increasing columns (diagnostics
// are sorted) resume the scan where the previous window started, so a long line with many
// findings is scanned about once, not once per finding.
type lineWindows struct {
	text string
	n    int // characters, as the loader counts columns
	i, c int // the byte offset and column of a character start already reached
}

func newLineWindows(text string) *lineWindows {
	return &lineWindows{text: text, n: utf8.RuneCountInString(text), c: 1}
}

// window returns the part of the line shown for the 1-based character column col and the
// whitespace that puts a caret under col. A line of at most 2×windowRadius+1 characters is
// shown whole; a longer one as that many characters around col (about windowRadius either
// side), with an ellipsis where it is cut. Control characters are escaped (safetext) except
// tabs; in the indent, tabs are kept as tabs, wide characters count double and an escape
// counts its length.
func (w *lineWindows) window(col int) (shown, indent string) {
	col = min(max(col, 1), w.n+1) // a caret past the end follows the last character
	first := min(max(col-windowRadius, 1), max(w.n-2*windowRadius, 1))
	last := first + 2*windowRadius
	var text, ind strings.Builder
	if first > 1 {
		text.WriteString(ellipsis)
		ind.WriteString(strings.Repeat(" ", runewidth.StringWidth(ellipsis)))
	}
	if first < w.c {
		w.i, w.c = 0, 1
	}
	for ; w.c < first; w.c++ {
		w.i += charLen(w.text[w.i:])
	}
	line := w.text
	i, c := w.i, w.c
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
