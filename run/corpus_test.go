package run_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sfn-tool/sfn/internal/testshared"
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/run"
	"github.com/sfn-tool/sfn/run/handler"
)

// corpusBound is how long one corpus definition may run (real time) before the test calls it a
// hang; a definition normally ends in milliseconds.
const corpusBound = 20 * time.Second

// TestCorpusRunsEnd runs every definition of ../shared/corpus as `sfn run --stub-missing --clock
// virtual --no-validate` would (every Task returns {}, input {}), and asserts that each ends as an
// AWS execution ends: SUCCEEDED, FAILED with an error name, or TIMED_OUT. Definitions the
// interpreter cannot start (unparsed expressions, missing states) are counted apart.
func TestCorpusRunsEnd(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "corpus", "definitions")
	entries, err := os.ReadDir(dir)
	if err != nil {
		testshared.Skip(t, "corpus", dir)
	}
	counts := map[string]int{}
	for _, e := range entries {
		file := filepath.Join(dir, e.Name())
		status := runCorpusFile(t, file)
		counts[status]++
	}
	var keys []string
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, counts[k]))
	}
	t.Logf("%d corpus definitions: %s", len(entries), strings.Join(parts, ", "))
}

// runCorpusFile runs one definition and returns its outcome: a status, with the error name when
// it failed, or "not started".
func runCorpusFile(t *testing.T, file string) string {
	t.Helper()
	name := filepath.Base(file)
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := load.Parse(file, src, load.FormatFor(file, src))
	if err != nil {
		return "not started"
	}
	m := asl.Build(doc)
	if m == nil || !load.IsDefinition(doc.Root) {
		return "not started"
	}
	resolver, err := handler.NewResolver(handler.Options{StubMissing: true})
	if err != nil {
		t.Fatal(err)
	}
	r, err := run.New(m, run.Options{
		Clock:    run.NewVirtualClock(time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)),
		Handlers: resolver.Handler, NoHistory: true, S3Dir: t.TempDir(),
	})
	if err != nil {
		t.Logf("%s: not started: %v", name, err)
		return "not started"
	}
	ctx, cancel := context.WithTimeout(context.Background(), corpusBound)
	defer cancel()
	res := r.Start(ctx, map[string]any{})
	switch res.Status {
	case run.Succeeded, run.TimedOut:
		return string(res.Status)
	case run.Failed:
		if res.Error == "" && res.Cause == "" {
			return "FAILED (a Fail state without Error)" // AWS records neither
		}
		if res.Error == "" {
			t.Errorf("%s: FAILED without an error name (cause %q)", name, res.Cause)
		}
		if os.Getenv("SFN_CORPUS_DEBUG") != "" {
			t.Logf("%s: %s: %s", name, res.Error, res.Cause)
		}
		return "FAILED " + res.Error
	}
	t.Errorf("%s: %s after %v (it did not end by itself)", name, res.Status, corpusBound)
	return string(res.Status)
}
