package render_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/render"
)

// TestMarkerPath: a marker names a file relative to the Markdown file; standard input and absolute
// paths are refused (confinement to the project is load.ReadFileIn's job, at read time).
func TestMarkerPath(t *testing.T) {
	for _, tc := range []struct{ arg, want, err string }{
		{"flow.asl.json", filepath.Join("docs", "flow.asl.json"), ""},
		{"../sm/flow.asl.json", filepath.Join("sm", "flow.asl.json"), ""},
		{"./-", filepath.Join("docs", "-"), ""},
		{"-", "", "'-' (standard input) is not allowed"},
		{"/etc/passwd", "", "sfn:graph marker /etc/passwd: absolute paths are not read"},
	} {
		got, err := render.MarkerPath("docs", tc.arg)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: got %q, %v; want error %q", tc.arg, got, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%s: got %q, %v; want %q", tc.arg, got, err, tc.want)
		}
	}
}
