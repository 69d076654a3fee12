// Command gen-docs writes sfn's shell completions and man pages for the release archives:
//
//	go run ./scripts/gen-docs -out build/docs -date 2026-01-02T15:04:05Z -version v1.2.3
//
// The date (RFC 3339 or YYYY-MM-DD; .goreleaser.yaml passes the commit date) goes into the man
// pages instead of today's, so the archives are reproducible.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/sfn-tool/sfn/internal/cli"
)

func main() {
	out := flag.String("out", "build/docs", "output directory (completions/ and man/ are created in it)")
	date := flag.String("date", "", "date of the man pages: RFC 3339 or YYYY-MM-DD (required)")
	version := flag.String("version", "", "version named in the man pages (default: this build's)")
	flag.Parse()
	d, err := time.Parse(time.RFC3339, *date)
	if err != nil {
		d, err = time.Parse("2006-01-02", *date)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "gen-docs: -date %q: want RFC 3339 or YYYY-MM-DD\n", *date)
		os.Exit(2)
	}
	if err := os.RemoveAll(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gen-docs:", err)
		os.Exit(1)
	}
	if err := cli.WriteDocs(*out, d, *version); err != nil {
		fmt.Fprintln(os.Stderr, "gen-docs:", err)
		os.Exit(1)
	}
}
