package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"
)

// scaffold is one `sfn init` template: files relative to the new directory. "NAME" in a file
// name and "{{NAME}}" in contents are replaced by the machine's name.
type scaffold struct {
	summary string
	files   map[string]string
}

var scaffolds = map[string]scaffold{
	"basic": {
		summary: "one Task and a Succeed state",
		files: map[string]string{
			"NAME.asl.json": `{
  "Comment": "{{NAME}}: say hello",
  "StartAt": "Say Hello",
  "States": {
    "Say Hello": {
      "Type": "Task",
      "Resource": "arn:aws:lambda:us-east-1:123456789012:function:{{NAME}}-hello",
      "ResultPath": "$.greeting",
      "Next": "Done"
    },
    "Done": {
      "Type": "Succeed"
    }
  }
}
`,
			"input.json": `{"name": "World"}
`,
			"sfn.yaml": `# Task handlers for ` + "`sfn run`" + `. Commands run from this directory, without a shell:
# the task's input arrives on stdin as JSON and stdout is the result.
tasks:
  Say Hello:
    command: [sh, handlers/hello.sh]
`,
			"handlers/hello.sh": `#!/bin/sh
# Say Hello: stdin {"name": ...}; stdout the greeting.
input=$(cat)
name=$(printf '%s' "$input" | sed -n 's/.*"name": *"\([^"]*\)".*/\1/p')
printf '"Hello, %s!"\n' "${name:-there}"
`,
			"MockConfigFile.json": `{
  "StateMachines": {
    "{{NAME}}": {
      "TestCases": {
        "HappyPath": {"Say Hello": "Greeting"}
      }
    }
  },
  "MockedResponses": {
    "Greeting": {"0": {"Return": "Hello, mock!"}}
  }
}
`,
		},
	},
	"order": {
		summary: "validate an order, charge it with retries, and branch on the result",
		files: map[string]string{
			"NAME.asl.json": `{
  "Comment": "{{NAME}}: validate an order, then charge it",
  "StartAt": "Validate Order",
  "States": {
    "Validate Order": {
      "Type": "Task",
      "Resource": "arn:aws:lambda:us-east-1:123456789012:function:{{NAME}}-validate",
      "ResultPath": "$.validation",
      "Next": "Is Valid?"
    },
    "Is Valid?": {
      "Type": "Choice",
      "Choices": [
        {"Variable": "$.validation.valid", "BooleanEquals": true, "Next": "Charge Card"}
      ],
      "Default": "Rejected"
    },
    "Charge Card": {
      "Type": "Task",
      "Resource": "arn:aws:lambda:us-east-1:123456789012:function:{{NAME}}-charge",
      "ResultPath": "$.payment",
      "Retry": [
        {"ErrorEquals": ["Gateway.Timeout"], "IntervalSeconds": 1, "MaxAttempts": 2, "BackoffRate": 2}
      ],
      "Catch": [
        {"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Payment Failed"}
      ],
      "Next": "Done"
    },
    "Done": {"Type": "Succeed"},
    "Rejected": {"Type": "Fail", "Error": "Order.Invalid", "Cause": "the order did not validate"},
    "Payment Failed": {"Type": "Fail", "Error": "Payment.Failed", "Cause": "the card could not be charged"}
  }
}
`,
			"input.json": `{"orderId": "o-1", "total": 42.5, "card": "4111111111111111"}
`,
			"sfn.yaml": `# Task handlers for ` + "`sfn run`" + `. Commands run from this directory, without a shell:
# the task's input arrives on stdin as JSON and stdout is the result.
tasks:
  Validate Order:
    command: [sh, handlers/validate.sh]
  Charge Card:
    command: [sh, handlers/charge.sh]
`,
			"handlers/validate.sh": `#!/bin/sh
# Validate Order: an order needs an orderId. stdout: {"valid": ...}
input=$(cat)
case "$input" in
  *'"orderId"'*) printf '{"valid": true}\n' ;;
  *) printf '{"valid": false}\n' ;;
esac
`,
			"handlers/charge.sh": `#!/bin/sh
# Charge Card: a card ending in 0002 is declined (the task fails with Payment.Declined).
input=$(cat)
case "$input" in
  *'0002"'*)
    printf '{"errorType": "Payment.Declined", "errorMessage": "card declined"}\n'
    exit 1
    ;;
esac
printf '{"status": "APPROVED", "transactionId": "txn-1"}\n'
`,
			"MockConfigFile.json": `{
  "StateMachines": {
    "{{NAME}}": {
      "TestCases": {
        "HappyPath": {"Validate Order": "Valid", "Charge Card": "ApprovedAfterTimeout"},
        "Declined": {"Validate Order": "Valid", "Charge Card": "Declined"}
      }
    }
  },
  "MockedResponses": {
    "Valid": {"0": {"Return": {"valid": true}}},
    "ApprovedAfterTimeout": {
      "0": {"Throw": {"Error": "Gateway.Timeout", "Cause": "slow"}},
      "1": {"Return": {"status": "APPROVED", "transactionId": "txn-mock"}}
    },
    "Declined": {"0": {"Throw": {"Error": "Payment.Declined", "Cause": "card declined"}}}
  }
}
`,
		},
	},
	"map": {
		summary: "process every item of a list with a Map state",
		files: map[string]string{
			"NAME.asl.json": `{
  "Comment": "{{NAME}}: process every item",
  "StartAt": "Process Items",
  "States": {
    "Process Items": {
      "Type": "Map",
      "ItemsPath": "$.items",
      "MaxConcurrency": 4,
      "ItemProcessor": {
        "ProcessorConfig": {"Mode": "INLINE"},
        "StartAt": "Process Item",
        "States": {
          "Process Item": {
            "Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:123456789012:function:{{NAME}}-item",
            "End": true
          }
        }
      },
      "ResultPath": "$.results",
      "Next": "Done"
    },
    "Done": {"Type": "Succeed"}
  }
}
`,
			"input.json": `{"items": [{"id": 1}, {"id": 2}, {"id": 3}]}
`,
			"sfn.yaml": `# Task handlers for ` + "`sfn run`" + `. Commands run from this directory, without a shell:
# the task's input arrives on stdin as JSON and stdout is the result.
tasks:
  Process Item:
    command: [sh, handlers/item.sh]
`,
			"handlers/item.sh": `#!/bin/sh
# Process Item: stdin {"id": ...}; stdout {"id": ..., "done": true}
input=$(cat)
id=$(printf '%s' "$input" | sed -n 's/.*"id": *\([0-9]*\).*/\1/p')
printf '{"id": %s, "done": true}\n' "${id:-0}"
`,
			"MockConfigFile.json": `{
  "StateMachines": {
    "{{NAME}}": {
      "TestCases": {
        "HappyPath": {"Process Item": "Processed"}
      }
    }
  },
  "MockedResponses": {
    "Processed": {"0-99": {"Return": {"done": true}}}
  }
}
`,
		},
	},
	"jsonata": {
		summary: "a JSONata state machine with Arguments, Output, Assign and a Choice Condition",
		files: map[string]string{
			"NAME.asl.json": `{
  "Comment": "{{NAME}}: price an order with JSONata",
  "QueryLanguage": "JSONata",
  "StartAt": "Price Order",
  "States": {
    "Price Order": {
      "Type": "Task",
      "Resource": "arn:aws:lambda:us-east-1:123456789012:function:{{NAME}}-price",
      "Arguments": {"items": "{% $states.input.items %}"},
      "Assign": {"total": "{% $states.result.total %}"},
      "Output": "{% $states.result %}",
      "Next": "Large Order?"
    },
    "Large Order?": {
      "Type": "Choice",
      "Choices": [
        {"Condition": "{% $total > 100 %}", "Next": "Needs Approval"}
      ],
      "Default": "Done"
    },
    "Needs Approval": {
      "Type": "Pass",
      "Output": {"total": "{% $total %}", "approval": "required"},
      "End": true
    },
    "Done": {
      "Type": "Succeed",
      "Output": {"total": "{% $total %}"}
    }
  }
}
`,
			"input.json": `{"items": [{"sku": "A-1", "price": 30, "qty": 2}, {"sku": "B-2", "price": 15, "qty": 1}]}
`,
			"sfn.yaml": `# Task handlers for ` + "`sfn run`" + `. Commands run from this directory, without a shell:
# the task's input arrives on stdin as JSON and stdout is the result.
tasks:
  Price Order:
    result: {total: 75}
`,
			"MockConfigFile.json": `{
  "StateMachines": {
    "{{NAME}}": {
      "TestCases": {
        "HappyPath": {"Price Order": "Priced"},
        "LargeOrder": {"Price Order": "PricedLarge"}
      }
    }
  },
  "MockedResponses": {
    "Priced": {"0": {"Return": {"total": 75}}},
    "PricedLarge": {"0": {"Return": {"total": 250}}}
  }
}
`,
		},
	},
}

func scaffoldNames() []string {
	out := make([]string, 0, len(scaffolds))
	for n := range scaffolds {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func newInitCmd() *cobra.Command {
	var tmpl string
	var force bool
	var b strings.Builder
	for _, n := range scaffoldNames() {
		fmt.Fprintf(&b, "  %-8s %s\n", n, scaffolds[n].summary)
	}
	cmd := &cobra.Command{
		Use:   "init NAME",
		Short: "Create a new state machine with an input, task handlers and a mock file",
		Long: "Create the directory NAME with a state machine definition (NAME.asl.json), an execution\n" +
			"input (input.json), task handlers for sfn run (sfn.yaml and handlers/), and an AWS Step\n" +
			"Functions Local mock file (MockConfigFile.json). Existing files are never overwritten\n" +
			"unless --force is given.\n\nTemplates:\n" + b.String(),
		Example: "  sfn init orders --template order\n  sfn run orders/orders.asl.json --input orders/input.json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runInit(cmd, args[0], tmpl, force)
		},
	}
	cmd.Flags().StringVarP(&tmpl, "template", "t", "basic", "what to create: "+strings.Join(scaffoldNames(), ", "))
	cmd.Flags().BoolVar(&force, "force", false, "overwrite existing files")
	return cmd
}

func runInit(cmd *cobra.Command, dir, tmpl string, force bool) error {
	sc, ok := scaffolds[strings.ToLower(tmpl)]
	if !ok {
		return usageErr("unknown --template %q (want %s)", tmpl, strings.Join(scaffoldNames(), ", "))
	}
	name := filepath.Base(filepath.Clean(dir))
	if name == "." || name == ".." || name == string(filepath.Separator) || strings.ContainsAny(name, " \t") {
		return usageErr("NAME %q: want a directory name without spaces, such as orders", dir)
	}
	target := func(p string) string {
		return filepath.Join(dir, filepath.FromSlash(strings.ReplaceAll(p, "NAME", name)))
	}
	paths := make([]string, 0, len(sc.files))
	for p := range sc.files {
		paths = append(paths, p)
	}
	sort.Slice(paths, func(i, j int) bool { return target(paths[i]) < target(paths[j]) })
	if !force {
		var exist []string
		for _, p := range paths {
			if _, err := os.Lstat(target(p)); err == nil {
				exist = append(exist, target(p))
			} else if !errors.Is(err, fs.ErrNotExist) {
				return &exitError{code: exitIO, err: &pathError{target(p), err}}
			}
		}
		if len(exist) > 0 {
			return &exitError{code: exitUsage, err: fmt.Errorf("not overwriting %s (use --force)", strings.Join(exist, ", "))}
		}
	}
	out := cmd.OutOrStdout()
	for _, p := range paths {
		t := target(p)
		if err := os.MkdirAll(filepath.Dir(t), 0o755); err != nil {
			return &exitError{code: exitIO, err: &pathError{filepath.Dir(t), err}}
		}
		mode := os.FileMode(0o644)
		if strings.HasSuffix(p, ".sh") {
			mode = 0o755
		}
		content := strings.ReplaceAll(sc.files[p], "{{NAME}}", name)
		if err := writeFile(t, []byte(content), mode); err != nil {
			return err
		}
		fmt.Fprintf(out, "created %s\n", filepath.ToSlash(t))
	}
	def := filepath.ToSlash(target("NAME.asl.json"))
	in := filepath.ToSlash(target("input.json"))
	mock := filepath.ToSlash(target("MockConfigFile.json"))
	fmt.Fprintf(out, "\nNext:\n  sfn validate %s\n  sfn run %s --input %s\n  sfn run %s --input %s --mock-config %s --test-case HappyPath\n  sfn graph %s\n",
		def, def, in, def, in, mock, def)
	return nil
}
