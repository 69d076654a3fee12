package history

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestTableWholeCause: a failure whose cause the line cuts shows it whole below, wrapped to the
// payload column with its line breaks, each line behind "│ " (a generated cause cannot forge a
// CI command line), and at most maxCauseLines lines of it.
func TestTableWholeCause(t *testing.T) {
	words := strings.Repeat("the payment service said no ", 8)
	for _, tc := range []struct {
		name, cause string
		lines       int // continuation lines
	}{
		{"short", "declined", 0},
		{"folded fits", "card\ndeclined", 0},
		{"long", words, 5},
		{"stack trace", "Error: boom\n    at charge (index.js:10)\n::warning::forged\n    at main (index.js:20)", 4},
		{"huge", strings.Repeat("x", 100_000), maxCauseLines + 1},
	} {
		b := &builder{}
		s := b.add(0, 0, "ExecutionStarted", "executionStartedEventDetails", map[string]any{"input": "{}"})
		typ, key, d := entered("Task", "Charge", "{}")
		s = b.add(s, time.Millisecond, typ, key, d)
		b.add(s, time.Millisecond, "TaskFailed", "taskFailedEventDetails", map[string]any{"resourceType": "lambda", "resource": "invoke", "error": "Payment.Declined", "cause": tc.cause})
		var buf bytes.Buffer
		tab := NewTable(&buf, TableOptions{Width: 100, StateWidth: 12})
		for _, e := range b.events {
			tab.Event(e)
		}
		tab.Close()
		lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
		more := lines[3:]
		if len(more) != tc.lines {
			t.Errorf("%s: %d continuation lines, want %d:\n%s", tc.name, len(more), tc.lines, buf.String())
			continue
		}
		var joined []string
		for _, l := range more {
			if len([]rune(l)) > 100 || !strings.HasPrefix(strings.TrimLeft(l, " "), "│ ") {
				t.Errorf("%s: line %q", tc.name, l)
			}
			joined = append(joined, strings.TrimPrefix(strings.TrimLeft(l, " "), "│ "))
		}
		switch tc.name {
		case "long":
			if strings.Join(strings.Fields(strings.Join(joined, " ")), " ") != strings.TrimSpace(words) {
				t.Errorf("long: the cause is not whole: %q", joined)
			}
		case "stack trace":
			if joined[1] != "    at charge (index.js:10)" {
				t.Errorf("stack trace: indentation lost: %q", joined)
			}
		case "huge":
			if !strings.Contains(more[len(more)-1], "100000 characters: --history json") {
				t.Errorf("huge: last line %q", more[len(more)-1])
			}
		}
	}
}

// TestTableLog: handler stderr lines go under the events, naming their state unless on a
// terminal, escaped and behind "│ ".
func TestTableLog(t *testing.T) {
	for _, live := range []bool{false, true} {
		var buf bytes.Buffer
		tab := NewTable(&buf, TableOptions{Live: live, StateWidth: 12, Now: func() time.Time { return t0 }})
		tab.Log("Charge", "charging card \x1b[31m4242")
		tab.Log("Charge", "::warning::forged")
		tab.Close()
		want := strings.Repeat(" ", 35) + "Charge       │ charging card \\x1b[31m4242\n" + strings.Repeat(" ", 35) + "Charge       │ ::warning::forged\n"
		if live {
			want = strings.Repeat(" ", 35) + "│ charging card \\x1b[31m4242\n" + strings.Repeat(" ", 35) + "│ ::warning::forged\n"
		}
		if buf.String() != want {
			t.Errorf("live=%v:\n%q\nwant\n%q", live, buf.String(), want)
		}
	}
}

// TestTableLocatedClipsTheName: a long state name is cut so that its place still shows.
func TestTableLocatedClipsTheName(t *testing.T) {
	tab := NewTable(&bytes.Buffer{}, TableOptions{StateWidth: 12, Where: func(string) (bool, int) { return false, 3 }})
	if got := tab.located("A very long state name", nil); got != "A very… [b3]" {
		t.Errorf("got %q", got)
	}
	tab = NewTable(&bytes.Buffer{}, TableOptions{StateWidth: 12, Where: func(string) (bool, int) { return true, 0 }})
	if got := tab.located("Work", &iterLoc{index: 41}); got != "Work [41]" {
		t.Errorf("got %q", got)
	}
	if got := tab.located("Work", nil); got != "Work" {
		t.Errorf("outside an iteration: %q", got)
	}
	// The last place is remembered, per name and iteration.
	for _, c := range []struct {
		name  string
		index int
		want  string
	}{{"Work", 41, "Work [41]"}, {"Work", 41, "Work [41]"}, {"Work", 42, "Work [42]"}, {"Rest", 42, "Rest [42]"}, {"Work", 41, "Work [41]"}} {
		if got := tab.located(c.name, &iterLoc{index: c.index}); got != c.want {
			t.Errorf("%s %d: %q, want %q", c.name, c.index, got, c.want)
		}
	}
}

// TestElapsedColumnWidth: the time column keeps its width from 0 to AWS's maximum duration (a
// year), and its text grows with the time.
func TestElapsedColumnWidth(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0.000s"},
		{59*time.Second + 999*time.Millisecond, "59.999s"},
		{9*time.Minute + 59*time.Second + 999*time.Millisecond, "9m59.999s"},
		{10 * time.Minute, "10m00.0s"},
		{59*time.Minute + 59*time.Second + 950*time.Millisecond, "59m59.9s"},
		{time.Hour, "1h00m00s"},
		{99*time.Hour + 59*time.Minute + 59*time.Second, "99h59m59s"},
		{100 * time.Hour, "4d04h00m"},
		{99*24*time.Hour + 23*time.Hour + 59*time.Minute, "99d23h59m"},
		{365 * 24 * time.Hour, "365d00h"},
	} {
		if got := formatElapsed(tc.d); got != tc.want || len(got) > elapsedWidth {
			t.Errorf("%v: %q, want %q (at most %d wide)", tc.d, got, tc.want, elapsedWidth)
		}
	}
	for d := time.Duration(0); d <= 366*24*time.Hour; d += 7*time.Minute + 13*time.Second + 7*time.Millisecond {
		if got := formatElapsed(d); len(got) > elapsedWidth {
			t.Fatalf("%v: %q is wider than %d", d, got, elapsedWidth)
		}
	}
}

// TestTableCountdown: on a terminal the countdown line is rewritten in place and removed; an
// event line removes it first; off a terminal nothing is drawn.
func TestTableCountdown(t *testing.T) {
	var buf bytes.Buffer
	tab := NewTable(&buf, TableOptions{Live: true, Width: 80, Now: func() time.Time { return t0 }})
	tab.Countdown("waiting 3s")
	tab.Countdown("waiting 2s")
	tab.Print("note")
	tab.Countdown("")
	tab.Close()
	if got, want := buf.String(), "waiting 3s\r\x1b[2Kwaiting 2s\r\x1b[2Knote\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	buf.Reset()
	tab = NewTable(&buf, TableOptions{})
	tab.Countdown("waiting 3s")
	tab.Close()
	if buf.Len() != 0 {
		t.Errorf("off a terminal: %q", buf.String())
	}
}
