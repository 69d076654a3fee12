package validate

import (
	"strconv"
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/pkg/load"
)

// TestMissingTargetsWideParallel: 5,000 branches whose state goes to a missing target report one
// finding each, with the hint when the name exists in another branch (the hint scanned every scope
// per finding: quadratic in the branches).
func TestMissingTargetsWideParallel(t *testing.T) {
	const n = 5000
	var b strings.Builder
	b.WriteString(`{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		target := "Nowhere"
		if i%2 == 1 {
			target = "S0" // the state of the first branch
		}
		b.WriteString(`{"StartAt":"S` + strconv.Itoa(i) + `","States":{"S` + strconv.Itoa(i) + `":{"Type":"Pass","Next":"` + target + `"}}}`)
	}
	b.WriteString(`]}}}`)
	doc, err := load.Parse("wide.json", []byte(b.String()), load.JSON)
	if err != nil {
		t.Fatal(err)
	}
	missing, hinted := 0, 0
	for _, d := range Check(doc, &Options{}) {
		if d.Rule == "next-target-exists" {
			missing++
			if strings.Contains(d.Message, "exists in another scope") {
				hinted++
			}
		}
	}
	if missing != n || hinted != n/2 {
		t.Errorf("got %d missing targets (%d with the other-scope hint), want %d (%d)", missing, hinted, n, n/2)
	}
}
