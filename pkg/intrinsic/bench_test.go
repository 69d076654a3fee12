package intrinsic

import (
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/pkg/path"
	"github.com/sfn-tool/sfn/pkg/value"
)

// payloadLimit is AWS's maximum state input/output size (256 KiB).
const payloadLimit = 256 << 10

// benchInput builds a document of about payloadLimit bytes: "nums", an
// array of distinct integers; "strs", strings with repeats; "objs", small
// objects; "text", one long string of comma-separated words; "a" and "b",
// two objects with many members.
func benchInput() any {
	const part = payloadLimit / 5
	var nums, strs, objs []any
	for i, size := 0, 0; size < part; i++ {
		s := strconv.Itoa(i * 7919)
		nums = append(nums, json.Number(s))
		size += len(s) + 1
	}
	for i, size := 0, 0; size < part; i++ {
		s := "s" + strconv.Itoa(i%500)
		strs = append(strs, s)
		size += len(s) + 3
	}
	for i, size := 0, 0; size < part; i++ {
		objs = append(objs, value.ObjectOf("k", json.Number(strconv.Itoa(i%300)), "v", "x"))
		size += 20
	}
	var text strings.Builder
	for i := 0; text.Len() < part; i++ {
		text.WriteString("word")
		text.WriteString(strconv.Itoa(i))
		text.WriteByte(',')
	}
	a, b := map[string]any{}, map[string]any{}
	for i := 0; i < part/40; i++ {
		a["key"+strconv.Itoa(i)] = json.Number(strconv.Itoa(i))
		b["key"+strconv.Itoa(i+part/80)] = "v"
	}
	return value.FromGo(map[string]any{"nums": nums, "strs": strs, "objs": objs, "text": text.String(), "a": a, "b": b,
		"short": strings.Repeat("é", MaxBase64Input), "noise": strings.Repeat("#", part),
		"encoded": base64.StdEncoding.EncodeToString([]byte(strings.Repeat("xyz", MaxBase64Input/4))),
		"nums5k":  nums[:5000]})
}

// BenchmarkIntrinsics evaluates each function over a 256 KiB input.
func BenchmarkIntrinsics(b *testing.B) {
	input := benchInput()
	ctx := &path.EvalContext{Shared: true}
	for _, c := range []struct{ name, expr string }{
		{"ArrayUnique/numbers", "States.ArrayUnique($.nums)"},
		{"ArrayUnique/numbers5000", "States.ArrayUnique($.nums5k)"},
		{"ArrayUnique/strings", "States.ArrayUnique($.strs)"},
		{"ArrayUnique/objects", "States.ArrayUnique($.objs)"},
		{"ArrayContains", "States.ArrayContains($.objs, $.a)"},
		{"ArrayPartition", "States.ArrayPartition($.nums, 3)"},
		{"ArrayRange", "States.ArrayRange(1, 1000, 1)"},
		{"ArrayGetItem", "States.ArrayGetItem($.nums, 1000)"},
		{"ArrayLength", "States.ArrayLength($.nums)"},
		{"Array", "States.Array($.nums, $.strs, $.objs)"},
		{"JsonMerge", "States.JsonMerge($.a, $.b, false)"},
		{"StringSplit", "States.StringSplit($.text, ',')"},
		{"StringSplit/longDelimiter", "States.StringSplit($.text, $.noise)"},
		{"Format", "States.Format('{} {} {}', $.nums, $.strs, $.objs)"},
		{"JsonToString", "States.JsonToString($)"},
		{"StringToJson", "States.StringToJson(States.JsonToString($.objs))"},
		{"Base64Encode", "States.Base64Encode($.short)"},
		{"Base64Decode", "States.Base64Decode($.encoded)"},
		{"Hash", "States.Hash($.short, 'SHA-256')"},
		{"UUID", "States.UUID()"},
		{"MathAdd", "States.MathAdd(9007199254740993, 1)"},
		{"MathRandom", "States.MathRandom(1, 1000000, 7)"},
	} {
		call, err := Parse(c.expr)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := Eval(call, input, ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
