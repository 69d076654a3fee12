package handler

import (
	"errors"
	"testing"
)

// FuzzParseConfig: any text is either a config or a *ConfigError with a position (never a
// panic), and a config's tasks all have a position.
func FuzzParseConfig(f *testing.F) {
	for _, s := range []string{
		"tasks:\n  A: {result: 1}\n",
		"tasks:\n  A: {command: [sh, -c, 'echo 1']}\nresources:\n  - {match: 'arn:*', error: E, cause: c}\ns3: data\n",
		"tasks:\n  A:\n    sequence: [{result: 1}, {error: E}]\n",
		"task:\n  A: {}\n", "", "[1]", "{\"tasks\": {\"A\": {\"result\": null}}}", "tasks: {A: {cuase: x}}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		c, err := ParseConfig(src, "/tmp")
		if err != nil {
			var ce *ConfigError
			if errors.As(err, &ce) && (ce.Pos.Line < 1 || ce.Pos.Col < 1) {
				t.Fatalf("error without a position: %v", err)
			}
			return
		}
		for name := range c.Tasks {
			if p := c.TaskPos[name]; p.Line < 1 {
				t.Fatalf("task %q without a position", name)
			}
		}
	})
}
