// Command sfn validates, runs and graphs AWS Step Functions state machine definitions.
package main

import (
	"os"

	"github.com/sfn-tool/sfn/internal/cli"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
