package render

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// loadMachine parses a definition file into the model.
func loadMachine(t testing.TB, name string) *asl.Machine {
	t.Helper()
	src, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := load.Parse(name, src, load.FormatFor(name, src))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return asl.Build(doc)
}

// renderBoth renders a machine in both formats.
func renderBoth(t testing.TB, m *asl.Machine, opts Options) (dot, mmd []byte) {
	t.Helper()
	g := Build(m, opts)
	var d, mm bytes.Buffer
	if err := WriteDOT(&d, g); err != nil {
		t.Fatalf("dot: %v", err)
	}
	if err := WriteMermaid(&mm, g); err != nil {
		t.Fatalf("mermaid: %v", err)
	}
	return d.Bytes(), mm.Bytes()
}

// TestGraphGolden renders every testdata/*.asl.json (and .asl.yaml) and compares the output with
// the .dot and .mmd files beside it (go test ./render -run TestGraphGolden -update rewrites them).
// A file NAME.flags.txt beside a definition may hold options: "LR", "collapse", "history=FILE".
func TestGraphGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.asl.*")
	if len(files) == 0 {
		t.Fatal("no golden definitions")
	}
	for _, f := range files {
		base := strings.TrimSuffix(strings.TrimSuffix(f, filepath.Ext(f)), ".asl")
		t.Run(filepath.Base(base), func(t *testing.T) {
			opts := goldenOptions(t, base)
			dot, mmd := renderBoth(t, loadMachine(t, f), opts)
			golden(t, base+".dot", dot)
			golden(t, base+".mmd", mmd)
			// Deterministic: a second build gives the same bytes.
			dot2, mmd2 := renderBoth(t, loadMachine(t, f), goldenOptions(t, base))
			if !bytes.Equal(dot, dot2) || !bytes.Equal(mmd, mmd2) {
				t.Error("output differs between two renderings")
			}
		})
	}
}

func goldenOptions(t *testing.T, base string) Options {
	opts := Options{Name: filepath.Base(base)}
	data, err := os.ReadFile(base + ".flags.txt")
	if err != nil {
		return opts
	}
	for _, w := range strings.Fields(string(data)) {
		switch {
		case w == "LR":
			opts.Direction = "LR"
		case w == "collapse":
			opts.Collapse = true
		case strings.HasPrefix(w, "history="):
			h, err := os.ReadFile(filepath.Join("testdata", strings.TrimPrefix(w, "history=")))
			if err != nil {
				t.Fatal(err)
			}
			if opts.Trace, err = ParseHistory(h); err != nil {
				t.Fatal(err)
			}
		default:
			t.Fatalf("%s.flags.txt: unknown word %q", base, w)
		}
	}
	return opts
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(name, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(name)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs (run with -update to accept)\n--- got\n%s", name, got)
	}
}
