package validate

import (
	"strconv"
	"testing"

	"github.com/sfn-tool/sfn/internal/shapes"
	"github.com/sfn-tool/sfn/pkg/load"
)

// BenchmarkScale loads, builds and validates each synthetic shape at 1k, 10k and 100k states; the
// cost per state (ns/state, B/state) must stay flat and within 3× of the chain of the same size.
func BenchmarkScale(b *testing.B) {
	for _, sh := range shapes.All {
		for _, n := range []int{1_000, 10_000, 100_000} {
			b.Run(sh.Name+"/"+strconv.Itoa(n), func(b *testing.B) {
				src := sh.Gen(n)
				b.ReportAllocs()
				cpu0 := shapes.CPUTime()
				for b.Loop() {
					doc, err := load.Parse("m.json", src, load.JSON)
					if err != nil {
						b.Fatal(err)
					}
					Check(doc, &Options{})
				}
				shapes.PerState(b, b.N, n, cpu0)
			})
		}
	}
}
