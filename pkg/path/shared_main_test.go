package path

import (
	"os"
	"testing"

	"github.com/sfn-tool/sfn/internal/testshared"
)

// TestMain names the ../shared suites skipped in this package, in one line (testshared).
func TestMain(m *testing.M) { os.Exit(testshared.Reporting(m).Run()) }
