package cli_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sfn-tool/sfn/internal/cli"
)

// TestInitScaffoldsValidateAndRun creates every `sfn init` template and checks that it validates
// with no finding at all and runs with its mock file.
func TestInitScaffoldsValidateAndRun(t *testing.T) {
	for _, tmpl := range []string{"basic", "order", "map", "jsonata"} {
		t.Run(tmpl, func(t *testing.T) {
			t.Chdir(t.TempDir())
			if err := os.Mkdir(".git", 0o755); err != nil {
				t.Fatal(err)
			}
			run := func(args ...string) (int, string) {
				var out, errb bytes.Buffer
				code := cli.Run(args, strings.NewReader(""), &out, &errb)
				return code, out.String() + errb.String()
			}
			if code, out := run("init", "m", "--template", tmpl); code != 0 {
				t.Fatalf("init: exit %d\n%s", code, out)
			}
			if code, out := run("validate", "--strict", "-v", "m"); code != 0 || !strings.Contains(out, "1 file checked, no problems") {
				t.Fatalf("validate: exit %d\n%s", code, out)
			}
			code, out := run("run", "m/m.asl.json", "--input", "m/input.json", "--mock-config", "m/MockConfigFile.json",
				"--test-case", "HappyPath", "--clock", "virtual", "--history", "none")
			if code != 0 {
				t.Fatalf("run: exit %d\n%s", code, out)
			}
		})
	}
}

func TestWriteDocs(t *testing.T) {
	dir := t.TempDir()
	if err := cli.WriteDocs(dir, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), "v9.9.9"); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"completions/sfn.bash", "completions/sfn.zsh", "completions/sfn.fish", "completions/sfn.ps1",
		"man/sfn.1", "man/sfn-validate.1", "man/sfn-init.1", "man/sfn-convert.1", "man/sfn-completion-bash.1"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	page, _ := os.ReadFile(filepath.Join(dir, "man", "sfn-validate.1"))
	for _, want := range []string{`.TH "SFN-VALIDATE" "1" "Jan 2026" "sfn v9.9.9"`, `\fB\-\-sub\fP=\fIstringArray\fP`, ".SH SEE ALSO"} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("sfn-validate.1 lacks %q", want)
		}
	}
}
