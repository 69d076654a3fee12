package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/sfn-tool/sfn/internal/testshared"
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

// sharedDir holds the corpora shared between the projects (absent in a bare clone).
const sharedDir = "../../shared"

func sharedPath(t testing.TB, sub string) string {
	t.Helper()
	dir := filepath.Join(sharedDir, sub)
	if _, err := os.Stat(dir); err != nil {
		testshared.Skip(t, sub, dir)
	}
	return dir
}

// corpusDef is one definition of a corpus.
type corpusDef struct {
	name string
	src  []byte
}

// corpusDefinitions lists the definitions of the real-world corpus, the validation files labelled
// valid, and the conformance cases.
func corpusDefinitions(t *testing.T) map[string][]corpusDef {
	out := map[string][]corpusDef{}
	dir := sharedPath(t, "corpus/definitions")
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".json", ".yaml", ".yml":
			src, err := os.ReadFile(p)
			if err == nil {
				out["corpus"] = append(out["corpus"], corpusDef{p, src})
			}
		}
		return nil
	})
	vdir := sharedPath(t, "validation")
	var manifest []struct{ File, Expect string }
	data, err := os.ReadFile(filepath.Join(vdir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &manifest); err != nil {
		t.Fatal(err)
	}
	for _, e := range manifest {
		if e.Expect != "valid" {
			continue
		}
		p := filepath.Join(vdir, e.File)
		src, err := os.ReadFile(p)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		out["validation"] = append(out["validation"], corpusDef{p, src})
	}
	cases, _ := filepath.Glob(filepath.Join(sharedPath(t, "conformance/aws"), "*", "*.json"))
	for _, p := range cases {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		var c struct {
			Definition json.RawMessage `json:"definition"`
		}
		if err := json.Unmarshal(data, &c); err != nil || len(c.Definition) == 0 {
			continue
		}
		out["conformance"] = append(out["conformance"], corpusDef{p + "#definition", c.Definition})
	}
	return out
}

// TestGraphCorpus renders every corpus definition in both formats; with Graphviz's dot on PATH, it
// also checks that dot -Tsvg accepts every distinct DOT output.
func TestGraphCorpus(t *testing.T) {
	sets := corpusDefinitions(t)
	dots := map[[32]byte]string{} // distinct DOT outputs → a file that produced it
	names := make([]string, 0, len(sets))
	for k := range sets {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, set := range names {
		rendered, unloadable := 0, 0
		for _, d := range sets[set] {
			doc, err := load.Parse(d.name, d.src, load.FormatFor(d.name, d.src))
			if err != nil {
				unloadable++ // not a definition this loader accepts: nothing to draw
				continue
			}
			m := asl.Build(doc)
			if m == nil {
				unloadable++
				continue
			}
			for _, collapse := range []bool{false, true} {
				g := Build(m, Options{Collapse: collapse})
				var dot, mmd bytes.Buffer
				if err := WriteDOT(&dot, g); err != nil {
					t.Errorf("%s: dot: %v", d.name, err)
				}
				if err := WriteMermaid(&mmd, g); err != nil {
					t.Errorf("%s: mermaid: %v", d.name, err)
				}
				if !collapse {
					dots[sha256.Sum256(dot.Bytes())] = d.name
				}
			}
			rendered++
		}
		t.Logf("graph corpus %s: %d definitions rendered in both formats, %d not loadable", set, rendered, unloadable)
		if set == "validation" && unloadable > 0 {
			t.Errorf("%d validation files labelled valid did not load", unloadable)
		}
	}
	checkDotParses(t, dots)
}

// checkDotParses runs dot -Tsvg on each DOT text (in parallel) and reports the ones it rejects.
func checkDotParses(t *testing.T, dots map[[32]byte]string) {
	bin, err := exec.LookPath("dot")
	if err != nil {
		t.Logf("Graphviz dot not on PATH: the dot -Tsvg check is skipped (apt-get install graphviz)")
		return
	}
	type job struct{ name string }
	var mu sync.Mutex
	var failed []string
	jobs := make(chan job)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if msg := runDotSVG(bin, j.name); msg != "" {
					mu.Lock()
					failed = append(failed, j.name+": "+msg)
					mu.Unlock()
				}
			}
		}()
	}
	names := make([]string, 0, len(dots))
	for _, n := range dots {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		jobs <- job{n}
	}
	close(jobs)
	wg.Wait()
	sort.Strings(failed)
	for _, f := range failed {
		t.Error(f)
	}
	t.Logf("dot -Tsvg: %d distinct DOT outputs checked, %d rejected", len(names), len(failed))
}

// runDotSVG re-renders a definition and pipes its DOT through dot -Tsvg; it returns dot's complaint.
func runDotSVG(bin, name string) string {
	var src []byte
	var err error
	if file, ok := strings.CutSuffix(name, "#definition"); ok {
		var c struct {
			Definition json.RawMessage `json:"definition"`
		}
		data, _ := os.ReadFile(file)
		_ = json.Unmarshal(data, &c)
		src = c.Definition
	} else if src, err = os.ReadFile(name); err != nil {
		return err.Error()
	}
	doc, err := load.Parse(name, src, load.FormatFor(name, src))
	if err != nil {
		return err.Error()
	}
	var dot bytes.Buffer
	if err := WriteDOT(&dot, Build(asl.Build(doc), Options{})); err != nil {
		return err.Error()
	}
	cmd := exec.Command(bin, "-Tsvg", "-o", os.DevNull)
	cmd.Stdin = &dot
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Sprintf("%v: %s", err, strings.TrimSpace(stderr.String()))
	}
	if s := strings.TrimSpace(stderr.String()); s != "" && strings.Contains(s, "rror") {
		return s
	}
	return ""
}

// BenchmarkGraphBigDOT renders ../shared/bench/big.asl.json (5,505 states) to DOT.
func BenchmarkGraphBigDOT(b *testing.B) {
	m := loadMachine(b, filepath.Join(sharedPath(b, "bench"), "big.asl.json"))
	b.ReportAllocs()
	for b.Loop() {
		var buf bytes.Buffer
		if err := WriteDOT(&buf, Build(m, Options{})); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGraphBigMermaid renders big.asl.json to Mermaid.
func BenchmarkGraphBigMermaid(b *testing.B) {
	m := loadMachine(b, filepath.Join(sharedPath(b, "bench"), "big.asl.json"))
	for b.Loop() {
		var buf bytes.Buffer
		if err := WriteMermaid(&buf, Build(m, Options{})); err != nil {
			b.Fatal(err)
		}
	}
}
