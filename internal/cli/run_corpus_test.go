package cli_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/internal/cli"
	"github.com/sfn-tool/sfn/internal/testshared"
	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/template"
)

// corpusDir is the real-world corpus of ../shared (absent outside the project's workspace).
const corpusDir = "../../../shared/corpus"

// TestRunCorpusStubMissing runs every state machine of ../shared/corpus (definitions, and each
// machine of each template) with --stub-missing on the virtual clock, from the input {}: none may
// crash or stop sfn with an internal error, and the number that end SUCCEEDED is logged (see the
// README's "Stubs" section). Skipped when ../shared is absent.
func TestRunCorpusStubMissing(t *testing.T) {
	defs, _ := filepath.Glob(filepath.Join(corpusDir, "definitions", "*"))
	tpls, _ := filepath.Glob(filepath.Join(corpusDir, "templates", "*.*"))
	if len(defs) == 0 {
		testshared.Skip(t, "corpus", corpusDir)
	}
	type job struct{ file, id string }
	var jobs []job
	for _, f := range defs {
		jobs = append(jobs, job{file: f})
	}
	for _, f := range tpls {
		if strings.HasSuffix(f, "INDEX.json") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		tpl, err := template.Load(f, src, load.FormatFor(f, src), nil)
		if err != nil || tpl.Kind == template.None {
			continue
		}
		for _, m := range tpl.Machines {
			jobs = append(jobs, job{file: f, id: m.LogicalID})
		}
	}
	counts := map[int]int{}
	for _, j := range jobs {
		args := []string{"run", j.file, "--stub-missing", "--clock", "virtual", "--history", "none", "--no-validate"}
		if j.id != "" {
			args = append(args, "--state-machine", j.id)
		}
		var stdout, stderr bytes.Buffer
		code := cli.Run(args, strings.NewReader(""), &stdout, &stderr)
		counts[code]++
		if code == 3 || strings.Contains(stderr.String(), "panic") || strings.Contains(stderr.String(), "goroutine ") {
			t.Errorf("%s %s: exit %d\n%s", filepath.Base(j.file), j.id, code, stderr.String())
		}
		if testing.Verbose() && code != 0 {
			t.Logf("%s %s: exit %d: %s", filepath.Base(j.file), j.id, code, lastLine(stderr.String()))
		}
	}
	t.Logf("--stub-missing over %d machines of ../shared/corpus: %d SUCCEEDED, %d FAILED, %d could not start", len(jobs), counts[0], counts[1], counts[2])
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	return s
}
