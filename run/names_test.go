package run

import "testing"

func TestMachineName(t *testing.T) {
	for file, want := range map[string]string{
		"dir/order.asl.json": "order", "a/b/pay-v2_x.yaml": "pay-v2_x", "m.asl.yml": "m",
		"héllo wörld.json": "hllowrld", "...json": "StateMachine", "-": "-",
	} {
		if got := MachineName(file); got != want {
			t.Errorf("MachineName(%q) = %q, want %q", file, got, want)
		}
	}
}
