package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// WriteDocs writes shell completions (completions/sfn.bash, sfn.zsh, sfn.fish, sfn.ps1) and man
// pages (man/sfn.1, man/sfn-validate.1, ...) under dir. The pages carry date, not today's, so
// release archives are reproducible, and name version (default: this binary's). scripts/gen-docs
// calls it for .goreleaser.yaml.
func WriteDocs(dir string, date time.Time, version string) error {
	if version == "" {
		version, _ = buildVersion()
	}
	root := newRootCmd()
	root.InitDefaultCompletionCmd()
	comp := filepath.Join(dir, "completions")
	man := filepath.Join(dir, "man")
	for _, d := range []string{comp, man} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	gens := map[string]func(*bytes.Buffer) error{
		"sfn.bash": func(b *bytes.Buffer) error { return root.GenBashCompletionV2(b, true) },
		"sfn.zsh":  func(b *bytes.Buffer) error { return root.GenZshCompletion(b) },
		"sfn.fish": func(b *bytes.Buffer) error { return root.GenFishCompletion(b, true) },
		"sfn.ps1":  func(b *bytes.Buffer) error { return root.GenPowerShellCompletionWithDesc(b) },
	}
	for name, gen := range gens {
		var b bytes.Buffer
		if err := gen(&b); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(comp, name), b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return writeMan(root, man, date, version)
}

// writeMan writes one roff man page per available command.
func writeMan(cmd *cobra.Command, dir string, date time.Time, version string) error {
	if !cmd.IsAvailableCommand() && cmd.HasParent() {
		return nil
	}
	name := strings.ReplaceAll(cmd.CommandPath(), " ", "-")
	if err := os.WriteFile(filepath.Join(dir, name+".1"), manPage(cmd, date, version), 0o644); err != nil {
		return err
	}
	for _, c := range cmd.Commands() {
		if err := writeMan(c, dir, date, version); err != nil {
			return err
		}
	}
	return nil
}

// roff escapes text for a man page line.
func roff(s string) string {
	s = strings.ReplaceAll(s, `\`, `\e`)
	s = strings.ReplaceAll(s, "-", `\-`)
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, ".") || strings.HasPrefix(l, "'") {
			l = `\&` + l
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

func manPage(cmd *cobra.Command, date time.Time, v string) []byte {
	var b bytes.Buffer
	name := strings.ReplaceAll(cmd.CommandPath(), " ", "-")
	fmt.Fprintf(&b, ".TH \"%s\" \"1\" \"%s\" \"sfn %s\" \"sfn manual\"\n", strings.ToUpper(name), date.UTC().Format("Jan 2006"), v)
	fmt.Fprintf(&b, ".SH NAME\n%s \\- %s\n", roff(name), roff(cmd.Short))
	fmt.Fprintf(&b, ".SH SYNOPSIS\n.nf\n%s\n.fi\n", roff(cmd.UseLine()))
	long := cmd.Long
	if long == "" {
		long = cmd.Short
	}
	fmt.Fprintf(&b, ".SH DESCRIPTION\n.nf\n%s\n.fi\n", roff(long))
	flags := cmd.NonInheritedFlags()
	if flags.HasAvailableFlags() {
		b.WriteString(".SH OPTIONS\n")
		manFlags(&b, flags)
	}
	if inh := cmd.InheritedFlags(); inh.HasAvailableFlags() {
		b.WriteString(".SH OPTIONS INHERITED FROM PARENT COMMANDS\n")
		manFlags(&b, inh)
	}
	if cmd.Example != "" {
		fmt.Fprintf(&b, ".SH EXAMPLE\n.nf\n%s\n.fi\n", roff(cmd.Example))
	}
	var see []string
	if cmd.HasParent() {
		see = append(see, strings.ReplaceAll(cmd.Parent().CommandPath(), " ", "-"))
	}
	for _, c := range cmd.Commands() {
		if c.IsAvailableCommand() {
			see = append(see, strings.ReplaceAll(c.CommandPath(), " ", "-"))
		}
	}
	sort.Strings(see)
	if len(see) > 0 {
		b.WriteString(".SH SEE ALSO\n")
		for i, s := range see {
			sep := ","
			if i == len(see)-1 {
				sep = ""
			}
			fmt.Fprintf(&b, "\\fB%s\\fP(1)%s\n", roff(s), sep)
		}
	}
	return b.Bytes()
}

func manFlags(b *bytes.Buffer, fs *pflag.FlagSet) {
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		b.WriteString(".TP\n")
		if f.Shorthand != "" {
			fmt.Fprintf(b, "\\fB\\-%s\\fP, ", f.Shorthand)
		}
		fmt.Fprintf(b, "\\fB\\-\\-%s\\fP", roff(f.Name))
		if f.Value.Type() != "bool" {
			fmt.Fprintf(b, "=\\fI%s\\fP", roff(f.Value.Type()))
		}
		usage := f.Usage
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "[]" && f.Value.Type() != "bool" {
			usage += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		fmt.Fprintf(b, "\n%s\n", roff(usage))
	})
}
