package load

import (
	"fmt"
	"strings"
	"testing"
)

// definitionOfSize is a JSON definition of about n bytes: a chain of Pass states.
func definitionOfSize(n int) string {
	var b strings.Builder
	b.WriteString(`{"StartAt": "S0", "States": {`)
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, `"S%d": {"Type": "Pass", "Result": {"a": %d, "b": "x%d"}, "Next": "S%d"}, `, i, i, i, i+1)
	}
	b.WriteString(`"End": {"Type": "Succeed"}}}`)
	return b.String()
}

// BenchmarkParseJSONSize: the JSON parser is linear (ns/op and B/op double with the size).
func BenchmarkParseJSONSize(b *testing.B) {
	for _, mb := range []int{1, 2, 4} {
		src := []byte(definitionOfSize(mb << 20))
		b.Run(fmt.Sprintf("%dMiB", mb), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for range b.N {
				if _, err := ParseJSON(src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkParseYAMLWorst: the costliest YAML documents the pre-scan accepts (most tokens per
// byte, and the most keys per block mapping); compare with the limits' documentation.
func BenchmarkParseYAMLWorst(b *testing.B) {
	for name, src := range map[string]string{
		"flow-tokens":  "[" + strings.Repeat("1,", MaxYAMLTokens/2-1) + "]",
		"block-tokens": strings.Repeat("- 1\n", MaxYAMLTokens/2-1),
		"mapping-keys": keys(2, MaxYAMLMappingKeys-1),
	} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for range b.N {
				if _, err := ParseYAML([]byte(src)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
