package cli

import (
	"context"
	"strings"
	"testing"
	"time"
)

// instantClock sleeps no time.
type instantClock struct{}

func (instantClock) Now() time.Time                             { return time.Unix(0, 0) }
func (instantClock) Sleep(context.Context, time.Duration) error { return nil }

// TestHintClockEveryLongWait: every real wait longer than waitHint is announced; only the first
// suggests --clock virtual; short waits say nothing.
func TestHintClockEveryLongWait(t *testing.T) {
	var notes []string
	c := &hintClock{Clock: instantClock{}, note: func(s string) { notes = append(notes, s) }}
	for _, d := range []time.Duration{time.Second, 10 * time.Second, 2 * time.Second, 90 * time.Second} {
		if err := c.Sleep(context.Background(), d); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{
		"sfn: waiting 10s for real; --clock virtual finishes Waits and retry intervals at once",
		"sfn: waiting 1m30s for real",
	}
	if len(notes) != len(want) || notes[0] != want[0] || notes[1] != want[1] {
		t.Errorf("notes %q, want %q", notes, want)
	}
}

// TestStateColumn: the state column fits the longest name between 12 and 32 columns, and wider
// on a wide terminal, keeping 40 columns for the payload.
func TestStateColumn(t *testing.T) {
	long := "Validate the customer's shipping address"
	for _, tc := range []struct {
		names []string
		term  int
		want  int
	}{
		{[]string{"A"}, 0, 12},
		{[]string{"Charge"}, 200, 12},
		{[]string{long}, 0, 32},
		{[]string{long}, 100, 32},
		{[]string{long}, 200, len(long)},
		{[]string{long + long}, 150, 150 - 9 - 24 - 3 - 40},
	} {
		if got := stateColumn(tc.names, tc.term); got != tc.want {
			t.Errorf("%q on %d columns: %d, want %d", tc.names, tc.term, got, tc.want)
		}
	}
}

// TestHintClockCountdown: on a terminal a long wait is counted down second by second, and the
// line removed at the end.
func TestHintClockCountdown(t *testing.T) {
	var lines []string
	c := &hintClock{Clock: instantClock{}, note: func(string) {}, countdown: func(s string) { lines = append(lines, strings.TrimSpace(s)) }}
	if err := c.Sleep(context.Background(), 6500*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	want := "waiting: 7s left (Ctrl-C stops)|waiting: 6s left (Ctrl-C stops)|waiting: 5s left (Ctrl-C stops)|waiting: 4s left (Ctrl-C stops)|" +
		"waiting: 3s left (Ctrl-C stops)|waiting: 2s left (Ctrl-C stops)|waiting: 1s left (Ctrl-C stops)|"
	if got := strings.Join(lines, "|"); got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}
