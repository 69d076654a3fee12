package cli

import (
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/sfn-tool/sfn/validate"
)

func newRulesCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "rules [RULE-ID]",
		Short: "List the validation rules, or explain one",
		Long: "Without an argument, list every rule with its default severity, the AWS diagnostic\n" +
			"code it corresponds to and a one-line summary. With a rule id, explain that rule\n" +
			"with an example that violates it and the fixed version.",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return listRules(cmd)
			}
			return explainRule(cmd, args[0])
		},
	}
}

func listRules(cmd *cobra.Command) error {
	tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSEVERITY\tAWS CODE\tSUMMARY")
	for _, r := range validate.Rules() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Severity, r.AWSCode, r.Summary)
	}
	if err := tw.Flush(); err != nil {
		return stdoutError(err)
	}
	return nil
}

func explainRule(cmd *cobra.Command, id string) error {
	r := validate.Lookup(id)
	if rule, note, ok := validate.CoveredBy(id); ok && r == nil {
		// an id of the rule catalogue that another rule checks
		if rule == "" {
			if _, err := fmt.Fprintf(cmd.OutOrStdout(), "%s is not a rule of its own: %s\n", id, note); err != nil {
				return stdoutError(err)
			}
			return nil
		}
		fmt.Fprintf(cmd.OutOrStdout(), "%s is checked by %s: %s\n\n", id, rule, note)
		r = validate.Lookup(rule)
	}
	if r == nil {
		return &exitError{code: exitUsage, err: errors.New(validate.UnknownRuleMessage(id) + "; 'sfn rules' lists them")}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n  %s\n\n", r.ID, r.Summary)
	fmt.Fprintf(&b, "Severity: %s\nAWS code: %s\n", r.Severity, r.AWSCode)
	if r.Category == validate.CategoryAdvice {
		b.WriteString("Category: advice (runs with --advice, advice: true in .sfn.yaml, or a severity set for it)\n")
	}
	if r.ExpressOnly {
		b.WriteString("Applies:  only with --type EXPRESS\n")
	}
	fmt.Fprintf(&b, "\nBad:\n%s\nGood:\n%s", indent(r.Bad), indent(r.Good))
	if _, err := fmt.Fprint(cmd.OutOrStdout(), b.String()); err != nil {
		return stdoutError(err)
	}
	return nil
}

func indent(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		b.WriteString("    " + line + "\n")
	}
	return b.String()
}
