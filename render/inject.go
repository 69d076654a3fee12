package render

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/sfn-tool/sfn/pkg/load"
)

// Markers of a generated diagram in a Markdown file:
//
//	<!-- sfn:graph PATH [flags] -->
//	...replaced by the diagram...
//	<!-- /sfn:graph -->
var (
	injectOpen  = regexp.MustCompile(`^\s*<!--\s*sfn:graph\s+(.*?)\s*-->\s*$`)
	injectClose = regexp.MustCompile(`^\s*<!--\s*/sfn:graph\s*-->\s*$`)
)

// InjectBlock is one marked block of a Markdown file.
type InjectBlock struct {
	Line int      // 1-based line of the opening marker
	Args []string // PATH and flags from the marker
	Old  string   // the current content between the markers
	New  string   // the content to put there
}

// Inject finds the marked blocks of a Markdown document, asks render for each block's new content
// (given the marker's arguments) and returns the rewritten document with the blocks. Text outside
// the blocks is kept byte for byte; running Inject on its own output changes nothing.
func Inject(md []byte, render func(args []string) (string, error)) ([]byte, []InjectBlock, error) {
	lines := strings.SplitAfter(string(md), "\n")
	var out strings.Builder
	var blocks []InjectBlock
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		out.WriteString(line)
		m := injectOpen.FindStringSubmatch(strings.TrimRight(line, "\r\n"))
		if m == nil {
			continue
		}
		args, err := SplitArgs(m[1])
		if err != nil {
			return nil, nil, fmt.Errorf("line %d: %v", i+1, err)
		}
		if len(args) == 0 {
			return nil, nil, fmt.Errorf("line %d: sfn:graph marker without a definition path", i+1)
		}
		end := -1
		for j := i + 1; j < len(lines); j++ {
			t := strings.TrimRight(lines[j], "\r\n")
			if injectClose.MatchString(t) {
				end = j
				break
			}
			if injectOpen.MatchString(t) {
				break
			}
		}
		if end < 0 {
			return nil, nil, fmt.Errorf("line %d: sfn:graph marker without a closing <!-- /sfn:graph -->", i+1)
		}
		blk := InjectBlock{Line: i + 1, Args: args, Old: strings.Join(lines[i+1:end], "")}
		if blk.New, err = render(args); err != nil {
			return nil, nil, fmt.Errorf("line %d: %w", i+1, err)
		}
		if !strings.HasSuffix(line, "\n") {
			out.WriteString("\n")
		}
		out.WriteString(blk.New)
		blocks = append(blocks, blk)
		i = end - 1
	}
	return []byte(out.String()), blocks, nil
}

// MarkerPath is the file a marker's PATH argument names, relative to dir (the Markdown file's
// directory). '-' (standard input) and absolute paths are refused: a Markdown file may only draw
// files of its own project (the caller reads the path with load.ReadFileIn).
func MarkerPath(dir, arg string) (string, error) {
	if arg == "-" {
		return "", fmt.Errorf("sfn:graph marker: '-' (standard input) is not allowed; name a definition file")
	}
	p, err := load.RefPath(dir, arg)
	if err != nil {
		return "", fmt.Errorf("sfn:graph marker %s: %v", arg, err)
	}
	return p, nil
}

// Fenced wraps a diagram in a Markdown code fence of the given language.
func Fenced(lang string, text []byte) string {
	fence := "```"
	for bytes.Contains(text, []byte(fence)) {
		fence += "`"
	}
	if len(text) > 0 && text[len(text)-1] != '\n' {
		text = append(text, '\n')
	}
	return fence + lang + "\n" + string(text) + fence + "\n"
}

// SplitArgs splits a marker's argument text at white space; single or double quotes group words.
func SplitArgs(s string) ([]string, error) {
	var args []string
	var cur strings.Builder
	inWord := false
	var quote rune
	for _, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '"' || r == '\'':
			quote, inWord = r, true
		case unicode.IsSpace(r):
			if inWord {
				args = append(args, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unclosed %c in %q", quote, s)
	}
	if inWord {
		args = append(args, cur.String())
	}
	return args, nil
}
