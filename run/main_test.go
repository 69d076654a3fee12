package run

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/sfn-tool/sfn/internal/testshared"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(testshared.Reporting(m))
}
