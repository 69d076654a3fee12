//go:build unix

package shapes

import (
	"syscall"
	"time"
)

// CPUTime returns the user plus system CPU time of the process so far (0 when unknown). The scaling
// benchmarks report it per state: on a shared machine it is steadier than the elapsed time.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
