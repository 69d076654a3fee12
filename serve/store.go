package serve

import (
	"context"
	"encoding/base64"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/run"
)

// machineRec is a state machine.
type machineRec struct {
	Arn, Name, Definition, RoleArn, Type, Description string
	Created                                           time.Time
	RevisionID                                        string
	Logging, Tracing                                  map[string]any
	machine                                           *asl.Machine // built from Definition
}

// execRec is an execution: running (cancel, done) or finished.
type execRec struct {
	Arn, Name, MachineArn, Type, TestCase string
	Start                                 time.Time
	Input                                 string
	// Machine is the state machine as it was when the execution started.
	Machine *machineRec

	mu     sync.Mutex
	status string
	stop   time.Time
	output *string
	err    *string
	cause  *string
	events []run.Event
	cancel context.CancelCauseFunc
	done   chan struct{}
}

// activityRec is an activity.
type activityRec struct {
	Arn, Name string
	Created   time.Time
}

// memStore holds the server's resources in memory.
type memStore struct {
	mu         sync.RWMutex
	machines   map[string]*machineRec
	execs      map[string]*execRec
	byMachine  map[string][]*execRec // in start order
	activities map[string]*activityRec
	tags       map[string][]tag // resource ARN → tags
}

func newMemStore() *memStore {
	return &memStore{machines: map[string]*machineRec{}, execs: map[string]*execRec{}, byMachine: map[string][]*execRec{},
		activities: map[string]*activityRec{}, tags: map[string][]tag{}}
}

// page is one page of a listing: the items from offset, at most max of them (0: default), and
// the next page's token ("" at the end).
func page(total int, token string, maxResults int) (from, to int, next string, aerr *apiError) {
	if maxResults < 0 || maxResults > 1000 {
		return 0, 0, "", errorf(errValidation, "1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000", maxResults)
	}
	if maxResults == 0 {
		maxResults = 100
	}
	if token != "" {
		n, ok := decodeToken(token)
		if !ok || n > total {
			return 0, 0, "", errorf(errInvalidToken, "Invalid Token: '%s'", clipText(token, 100))
		}
		from = n
	}
	to = min(total, from+maxResults)
	if to < total {
		next = encodeToken(to)
	}
	return from, to, next, nil
}

func encodeToken(n int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("sfn-page:%d", n)))
}

func decodeToken(s string) (int, bool) {
	if len(s) > 1024 {
		return 0, false
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return 0, false
	}
	rest, ok := strings.CutPrefix(string(b), "sfn-page:")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	return n, err == nil && n >= 0
}

// sortByName sorts items by the name key gives.
func sortByName[T any](items []T, key func(T) string) {
	sort.Slice(items, func(i, j int) bool { return key(items[i]) < key(items[j]) })
}

// sortedMachines lists the state machines by name.
func (st *memStore) sortedMachines() []*machineRec {
	st.mu.RLock()
	defer st.mu.RUnlock()
	out := make([]*machineRec, 0, len(st.machines))
	for _, m := range st.machines {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
