package cli

import (
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/internal/shapes"
)

// BenchmarkValidateManyFiles runs `sfn validate DIR` in process on a directory of 1k, 10k and 100k
// small definitions (4 states each); the cost per state must stay flat like the single-file shapes.
func BenchmarkValidateManyFiles(b *testing.B) {
	for _, files := range []int{250, 2_500, 25_000} {
		b.Run(strconv.Itoa(files*4)+"-states", func(b *testing.B) {
			dir := b.TempDir()
			for i := 0; i < files; i++ {
				if err := os.WriteFile(filepath.Join(dir, "m"+strconv.Itoa(i)+".asl.json"), shapes.Small(i), 0o644); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			cpu0 := shapes.CPUTime()
			for b.Loop() {
				var errs strings.Builder
				if code := Run([]string{"validate", dir}, strings.NewReader(""), io.Discard, &errs); code != 0 {
					b.Fatalf("exit %d: %s", code, errs.String())
				}
			}
			shapes.PerState(b, b.N, files*4, cpu0)
		})
	}
}
