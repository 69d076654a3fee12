package suite

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/sfn-tool/sfn/internal/atomicfile"
	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/value"
	"github.com/sfn-tool/sfn/run"
	"github.com/sfn-tool/sfn/run/history"
)

// SnapshotDir is the directory, beside the test file, that holds its cases' snapshots:
// __snapshots__/<test file name>/<execution name of the case>.json.
const SnapshotDir = "__snapshots__"

// maxDiffLines is the most lines of each side a snapshot difference shows.
const maxDiffLines = 12

// SnapshotPath is the snapshot file of case c.
func (s *Suite) SnapshotPath(c *Case) string {
	base := filepath.Base(s.Path)
	for _, suf := range Suffixes {
		base = strings.TrimSuffix(base, suf)
	}
	return filepath.Join(s.Dir, SnapshotDir, base, ExecutionName(c.Name)+".json")
}

// Snapshot is the text recorded for an execution: status, output or error and cause, and the
// history as sfn run --history json and --history-file write it (the one JSON history writer,
// AWS's GetExecutionHistory shape). Every part is deterministic: the virtual clock starts at
// StartTime, the execution name and the seed of $uuid / $random follow the case name.
func Snapshot(x *Execution) []byte {
	res := x.Result
	var b bytes.Buffer
	b.WriteString("{\n  \"status\": ")
	b.Write(value.AppendJSON(nil, string(res.Status)))
	if res.Status == run.Succeeded {
		b.WriteString(",\n  \"output\": ")
		out, _ := json.MarshalIndent(json.RawMessage(value.AppendJSON(nil, res.Output)), "  ", "  ")
		b.Write(out)
	} else {
		b.WriteString(",\n  \"error\": ")
		b.Write(value.AppendJSON(nil, res.Error))
		b.WriteString(",\n  \"cause\": ")
		b.Write(value.AppendJSON(nil, res.Cause))
	}
	b.WriteString(",\n  \"history\": ")
	var h bytes.Buffer
	_ = history.WriteJSON(&h, res.Events) // into memory: cannot fail
	text := bytes.TrimSuffix(h.Bytes(), []byte("\n"))
	b.Write(bytes.ReplaceAll(text, []byte("\n"), []byte("\n  "))) // nested one level
	b.WriteString("\n}\n")
	return b.Bytes()
}

// snapshot compares the case's execution with its snapshot, or writes it with update. It returns
// a failure when they differ, or when there is no snapshot yet and update is off.
func (s *Suite) snapshot(r *CaseResult, update bool) *Failure {
	path := s.SnapshotPath(r.Case)
	got := Snapshot(r.Exec)
	old, err := load.ReadFileIn(s.Root, path, load.MaxFileSize)
	switch {
	case err == nil && bytes.Equal(old, got):
		return nil
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return &Failure{Pos: r.Case.Pos, Msg: fmt.Sprintf("snapshot: %v", err)}
	case update:
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return &Failure{Pos: r.Case.Pos, Msg: fmt.Sprintf("snapshot: %v", err)}
		}
		if err := load.CheckInside(s.Root, path); err != nil {
			return &Failure{Pos: r.Case.Pos, Msg: fmt.Sprintf("snapshot %s: %v", path, err)}
		}
		if err := atomicfile.WriteFile(path, got, 0o644); err != nil {
			return &Failure{Pos: r.Case.Pos, Msg: fmt.Sprintf("snapshot: %v", err)}
		}
		r.Snapshot = "written"
		if old != nil {
			r.Snapshot = "updated"
		}
		return nil
	case old == nil:
		return &Failure{Pos: r.Case.Pos, Msg: fmt.Sprintf("snapshot %s does not exist: run sfn test --update to record it", path)}
	}
	return &Failure{Pos: r.Case.Pos, Msg: fmt.Sprintf("snapshot %s differs (sfn test --update records the new one):\n%s", path, LineDiff(string(old), string(got)))}
}

// LineDiff shows where two texts differ: the lines between their common first and last lines,
// "-" the old and "+" the new, at most maxDiffLines of each, with one line of context.
func LineDiff(old, new string) string {
	a, b := strings.Split(old, "\n"), strings.Split(new, "\n")
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		p++
	}
	q := 0
	for q < len(a)-p && q < len(b)-p && a[len(a)-1-q] == b[len(b)-1-q] {
		q++
	}
	var out []string
	if p > 0 {
		out = append(out, fmt.Sprintf("  @@ line %d", p))
		out = append(out, "   "+a[p-1])
	}
	side := func(lines []string, mark string) {
		for i, l := range lines {
			if i == maxDiffLines {
				out = append(out, fmt.Sprintf("  %s … %d more lines", mark, len(lines)-i))
				break
			}
			out = append(out, "  "+mark+l)
		}
	}
	side(a[p:len(a)-q], "-")
	side(b[p:len(b)-q], "+")
	if q > 0 {
		out = append(out, "   "+a[len(a)-q])
	}
	return strings.Join(out, "\n")
}
