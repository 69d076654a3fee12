package validate

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/mattn/go-runewidth"
	"github.com/muesli/termenv"

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
	for _, d := range r.Diagnostics {
		sev := f.severity[d.Severity]
		fmt.Fprintf(&b, "%s %s %s %s\n",
			f.pos.Render(fmt.Sprintf("%s:%d:%d:", r.File, d.Pos.Line, d.Pos.Col)),
			sev.Render(d.Severity.String()+":"),
			d.Message,
			f.rule.Render("["+d.Rule+"]"))
		f.snippet(&b, r.Source, d.Pos, sev)
	}
	_, err := io.WriteString(f.w, b.String())
	return err
}

// snippet writes the source line of pos and a caret under its column.
func (f *textFormatter) snippet(b *strings.Builder, src []byte, pos load.Pos, caret lipgloss.Style) {
	if src == nil || pos.Line < 1 {
		return
	}
	line := load.SourceLine(src, pos.Line)
	if strings.TrimSpace(line) == "" {
		return
	}
	num := strconv.Itoa(pos.Line)
	pad := strings.Repeat(" ", len(num))
	fmt.Fprintf(b, "  %s %s\n", f.gutter.Render(num+" |"), line)
	fmt.Fprintf(b, "  %s %s%s\n", f.gutter.Render(pad+" |"), caretIndent(line, pos.Col), caret.Render("^"))
}

// caretIndent returns the whitespace that puts a caret under the 1-based character column col
// of line: tabs are kept as tabs and wide characters count double.
func caretIndent(line string, col int) string {
	var b strings.Builder
	i := 1
	for _, r := range line {
		if i >= col {
			break
		}
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteString(strings.Repeat(" ", runewidth.RuneWidth(r)))
		}
		i++
	}
	return b.String()
}

func (f *textFormatter) Flush() error { return nil }
