package validate

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/sfn-tool/sfn/internal/testshared"
	"github.com/sfn-tool/sfn/pkg/load"
)

// BenchmarkBigDefinition loads and checks ../shared/bench/big.asl.json (5,505 states, 1.3 MB).
func BenchmarkBigDefinition(b *testing.B) {
	src, err := os.ReadFile(filepath.Join(sharedDir, "bench/big.asl.json"))
	if err != nil {
		testshared.Skip(b, "bench", filepath.Join(sharedDir, "bench/big.asl.json"))
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		doc, err := load.Parse("big.asl.json", src, load.JSON)
		if err != nil {
			b.Fatal(err)
		}
		if ds := Check(doc, &Options{}); len(errorsOf(ds)) != 0 {
			b.Fatalf("unexpected errors: %v", ds[0])
		}
	}
}

// BenchmarkLabelledCorpus loads and checks all 528 files of ../shared/validation in one process.
func BenchmarkLabelledCorpus(b *testing.B) {
	dir := filepath.Join(sharedDir, "validation")
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		testshared.Skip(b, "validation", filepath.Join(dir, "manifest.json"))
	}
	var entries []manifestEntry
	if err := json.Unmarshal(data, &entries); err != nil {
		b.Fatal(err)
	}
	type file struct {
		name   string
		src    []byte
		format load.Format
	}
	var files []file
	for _, e := range entries {
		src, err := os.ReadFile(filepath.Join(dir, e.File))
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, file{e.File, src, load.Format(e.Format)})
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range files {
			doc, err := load.Parse(f.name, f.src, f.format)
			if err != nil {
				continue
			}
			Check(doc, &Options{})
		}
	}
}
