package render

import (
	"bytes"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestGraphMermaidRender renders the Mermaid output of the samples, of the golden definitions and of
// the escaping torture test with @mermaid-js/mermaid-cli in Debian's Chromium, and checks that every
// awkward state name comes out exactly. Opt-in (about 10 s, mostly Chromium start-up):
//
//	SFN_MERMAID_TEST=1 [SFN_MMDC=/path/to/mmdc] [SFN_CHROMIUM=/usr/bin/chromium] go test ./render -run MermaidRender -v
//
// Setup: apt-get install -y chromium; npm install @mermaid-js/mermaid-cli (with
// PUPPETEER_SKIP_DOWNLOAD=1) outside the repository, and put its mmdc on PATH or in SFN_MMDC.
func TestGraphMermaidRender(t *testing.T) {
	if os.Getenv("SFN_MERMAID_TEST") == "" {
		t.Skip("set SFN_MERMAID_TEST=1 to render the Mermaid output with mermaid-cli")
	}
	mmdc := os.Getenv("SFN_MMDC")
	if mmdc == "" {
		var err error
		if mmdc, err = exec.LookPath("mmdc"); err != nil {
			t.Fatal("mmdc not found: npm install @mermaid-js/mermaid-cli and set SFN_MMDC or PATH")
		}
	}
	chromium := os.Getenv("SFN_CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	dir := t.TempDir()
	cfg := fmt.Sprintf(`{"executablePath": %q, "args": ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]}`, chromium)
	if err := os.WriteFile(filepath.Join(dir, "puppeteer.json"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	var files []string
	samples, _ := filepath.Glob("../samples/*/*.asl.*")
	goldens, _ := filepath.Glob("testdata/*.asl.*")
	files = append(append(files, samples...), goldens...)
	var md strings.Builder
	escapeIndex := -1
	for i, f := range files {
		_, mmd := renderBoth(t, loadMachine(t, f), goldenOptions(t, strings.TrimSuffix(strings.TrimSuffix(f, filepath.Ext(f)), ".asl")))
		md.WriteString("## " + f + "\n\n" + Fenced("mermaid", mmd) + "\n")
		if filepath.Base(f) == "escape.asl.json" {
			escapeIndex = i + 1
		}
	}
	in := filepath.Join(dir, "all.md")
	if err := os.WriteFile(in, []byte(md.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	cmd := exec.Command(mmdc, "-q", "-p", filepath.Join(dir, "puppeteer.json"), "-i", in, "-o", filepath.Join(dir, "out.md"), "-e", "svg")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("mmdc: %v\n%s", err, out.String())
	}
	t.Logf("mermaid-cli rendered %d diagrams in %s", len(files), time.Since(start).Round(100*time.Millisecond))
	for i := range files {
		svg, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("out-%d.svg", i+1)))
		if err != nil {
			t.Errorf("%s: %v", files[i], err)
			continue
		}
		if bytes.Contains(svg, []byte("Syntax error")) || bytes.Contains(svg, []byte("aria-roledescription=\"error\"")) {
			t.Errorf("%s: Mermaid drew a syntax error", files[i])
		}
	}
	if escapeIndex > 0 {
		checkEscapedNames(t, filepath.Join(dir, fmt.Sprintf("out-%d.svg", escapeIndex)))
	}
}

// checkEscapedNames checks that every state name of testdata/escape.asl.json appears in the SVG.
func checkEscapedNames(t *testing.T, svgFile string) {
	svg, err := os.ReadFile(svgFile)
	if err != nil {
		t.Fatal(err)
	}
	// Labels are HTML inside foreignObject: drop tags, decode entities.
	text := html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(string(svg), "\n"))
	text = strings.ReplaceAll(text, "\u200b", "") // the zero-width space mermaidEscape puts after a backslash
	m := loadMachine(t, "testdata/escape.asl.json")
	for _, st := range m.All {
		name := strings.Join(strings.Fields(st.Name), " ") // Mermaid collapses white space
		if name == "" {
			continue
		}
		if !strings.Contains(strings.Join(strings.Fields(text), " "), name) {
			t.Errorf("state name %q not found in the rendered SVG", st.Name)
		}
	}
}
