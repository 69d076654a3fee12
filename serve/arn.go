package serve

import (
	"crypto/rand"
	"fmt"
	"strings"
	"unicode/utf8"
)

// arn is a parsed Step Functions ARN: arn:aws:states:REGION:ACCOUNT:KIND:REST.
type arn struct {
	Region, Account string
	Kind            string   // stateMachine, execution, express, activity
	Parts           []string // after the kind: [name], [machine, execution], [machine, execution, uuid]
}

// maxArn is the longest ARN the API takes (AWS: 256 characters for every ARN member).
const maxArn = 256

// parseArn splits s into an arn of one of the kinds given, or returns AWS's InvalidArn.
func parseArn(s string, kinds ...string) (arn, *apiError) {
	if utf8.RuneCountInString(s) > maxArn {
		return arn{}, invalidArn(s, "")
	}
	f := strings.Split(s, ":")
	if len(f) < 7 || f[0] != "arn" || f[1] == "" || f[2] != "states" || f[3] == "" || f[4] == "" {
		return arn{}, invalidArn(s, "")
	}
	a := arn{Region: f[3], Account: f[4], Kind: f[5], Parts: f[6:]}
	want := 1
	switch a.Kind {
	case "execution":
		want = 2
	case "express":
		want = 3
	}
	ok := false
	for _, k := range kinds {
		ok = ok || k == a.Kind
	}
	if !ok {
		return arn{}, invalidArn(s, "Resource type not valid in this context: "+a.Kind)
	}
	if len(a.Parts) != want {
		return arn{}, invalidArn(s, "")
	}
	for _, p := range a.Parts {
		if p == "" {
			return arn{}, invalidArn(s, "")
		}
	}
	return a, nil
}

// smArn, execArn and activityArn build ARNs in AWS's shapes.
func (s *Server) smArn(name string) string {
	return fmt.Sprintf("arn:aws:states:%s:%s:stateMachine:%s", s.opts.Region, s.opts.Account, name)
}

func (s *Server) execArn(machine, name, typ string) string {
	if typ == "EXPRESS" {
		// run names an Express execution with a zero id in the context object; the ARN the API
		// answers is the same, so $$.Execution.Id and executionArn agree.
		return fmt.Sprintf("arn:aws:states:%s:%s:express:%s:%s:%s", s.opts.Region, s.opts.Account, machine, name, zeroUUID)
	}
	return fmt.Sprintf("arn:aws:states:%s:%s:execution:%s:%s", s.opts.Region, s.opts.Account, machine, name)
}

func (s *Server) activityArn(name string) string {
	return fmt.Sprintf("arn:aws:states:%s:%s:activity:%s", s.opts.Region, s.opts.Account, name)
}

const zeroUUID = "00000000-0000-0000-0000-000000000000"

// maxName is the longest name of a state machine, execution or activity.
const maxName = 80

// checkName applies AWS's naming rules to the name of a state machine, execution or activity:
// 1 to 80 characters, none of whitespace, brackets, wildcards, the special characters
// " # % \ ^ | ~ ` $ & , ; : / and control characters (U+0000-001F, U+007F-009F).
func checkName(member, name string) *apiError {
	if name == "" {
		return errorf(errValidation, "1 validation error detected: Value at '%s' failed to satisfy constraint: Member must have length greater than or equal to 1", member)
	}
	if utf8.RuneCountInString(name) > maxName {
		return tooLong(member, maxName)
	}
	if !utf8.ValidString(name) {
		return errorf(errInvalidName, "Invalid Name: '%s'", strings.ToValidUTF8(name, "\uFFFD"))
	}
	for _, r := range name {
		if r <= 0x20 || (r >= 0x7f && r <= 0x9f) || strings.ContainsRune("<>{}[]?*\"#%\\^|~`$&,;:/", r) ||
			r == 0x85 || r == 0xa0 || r == 0x1680 || (r >= 0x2000 && r <= 0x200a) || r == 0x2028 || r == 0x2029 ||
			r == 0x202f || r == 0x205f || r == 0x3000 {
			return errorf(errInvalidName, "Invalid Name: '%s'", name)
		}
	}
	return nil
}

// newUUID returns a random version 4 UUID (the default execution name, as AWS's).
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
