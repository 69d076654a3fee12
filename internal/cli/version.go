package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version and commit are set at build time:
//
//	go build -ldflags "-X github.com/sfn-tool/sfn/internal/cli.version=v1.0.0 -X github.com/sfn-tool/sfn/internal/cli.commit=abc1234" ./cmd/sfn
//
// Without them the module version and VCS revision from the build info are used.
var (
	version = ""
	commit  = ""
)

// versionString is "<version> (<commit>) <go version>".
func versionString() string {
	v, c := buildVersion()
	return fmt.Sprintf("%s (%s) %s", v, c, runtime.Version())
}

// buildVersion returns the version and the commit, from -ldflags or the build info.
func buildVersion() (string, string) {
	v, c := version, commit
	if info, ok := debug.ReadBuildInfo(); ok {
		if v == "" && info.Main.Version != "" {
			v = info.Main.Version
		}
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && c == "" {
				c = s.Value
				if len(c) > 12 {
					c = c[:12]
				}
			}
		}
	}
	if v == "" {
		v = "(devel)"
	}
	if c == "" {
		c = "unknown"
	}
	return v, c
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of sfn",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(cmd.OutOrStdout(), "sfn %s\n", versionString())
			return nil
		},
	}
}
