package render

import (
	"io"
	"strconv"
	"testing"

	"github.com/sfn-tool/sfn/internal/shapes"
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

// BenchmarkScale loads, builds and draws each synthetic shape at 1k, 10k and 100k states as DOT and
// as Mermaid; the cost per state must stay flat and within 3× of the chain of the same size.
func BenchmarkScale(b *testing.B) {
	writers := []struct {
		name  string
		write func(io.Writer, *Graph) error
	}{{"dot", WriteDOT}, {"mermaid", WriteMermaid}}
	for _, w := range writers {
		for _, sh := range shapes.All {
			for _, n := range []int{1_000, 10_000, 100_000} {
				b.Run(w.name+"/"+sh.Name+"/"+strconv.Itoa(n), func(b *testing.B) {
					src := sh.Gen(n)
					b.ReportAllocs()
					cpu0 := shapes.CPUTime()
					for b.Loop() {
						doc, err := load.Parse("m.json", src, load.JSON)
						if err != nil {
							b.Fatal(err)
						}
						if err := w.write(io.Discard, Build(asl.Build(doc), Options{})); err != nil {
							b.Fatal(err)
						}
					}
					shapes.PerState(b, b.N, n, cpu0)
				})
			}
		}
	}
}
