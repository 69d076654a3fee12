package value

import (
	"encoding/json"
	"fmt"
	"sort"
	"testing"
)

// The ordered object against the Go map it replaced, for the operations a state transition does:
// build (templates, decoding), look up (paths), copy with one member more (ResultPath) and encode
// (history payloads; the map's keys sorted, as the map-based encoder did).
func BenchmarkObject(b *testing.B) {
	for _, n := range []int{4, 16} {
		keys := make([]string, n)
		vals := make([]any, n)
		for i := range keys {
			keys[i] = fmt.Sprintf("field%02d", n-i)
			vals[i] = json.Number(fmt.Sprint(i))
		}
		b.Run(fmt.Sprintf("ordered/%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var out []byte
			for b.Loop() {
				o := NewObject(n)
				for i, k := range keys {
					o.Set(k, vals[i])
				}
				for _, k := range keys {
					if _, ok := o.Get(k); !ok {
						b.Fatal(k)
					}
				}
				o2 := o.With("result", true)
				out = AppendJSON(out[:0], o2)
			}
		})
		b.Run(fmt.Sprintf("map/%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var out []byte
			for b.Loop() {
				m := make(map[string]any, n)
				for i, k := range keys {
					m[k] = vals[i]
				}
				for _, k := range keys {
					if _, ok := m[k]; !ok {
						b.Fatal(k)
					}
				}
				m2 := make(map[string]any, len(m)+1)
				for k, v := range m {
					m2[k] = v
				}
				m2["result"] = true
				out = appendSortedMap(out[:0], m2)
			}
		})
	}
}

// appendSortedMap is the map encoder sfn used before objects kept their order.
func appendSortedMap(b []byte, m map[string]any) []byte {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = AppendString(b, k)
		b = append(b, ':')
		b = AppendJSON(b, m[k])
	}
	return append(b, '}')
}
