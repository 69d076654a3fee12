package intrinsic

import (
	"bytes"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"math"
	"math/big"
	mrand "math/rand/v2"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sfn-tool/sfn/pkg/path"
	"github.com/sfn-tool/sfn/pkg/value"
)

// EvalError is an intrinsic function failure at run time; the interpreter
// reports it as States.IntrinsicFailure with Message as the cause.
type EvalError struct {
	// Message describes the failure.
	Message string
	// Err is the underlying error, if any (for example the
	// *path.NotFoundError of an argument path that selects nothing).
	Err error
}

// Error implements error.
func (e *EvalError) Error() string { return e.Message }

// Unwrap returns the underlying error.
func (e *EvalError) Unwrap() error { return e.Err }

func failf(format string, args ...any) error {
	return &EvalError{Message: fmt.Sprintf(format, args...)}
}

// Eval evaluates the intrinsic call c. Arguments are evaluated first, left to
// right: literals give their value (numbers as json.Number), paths are
// evaluated with path.Eval against input (`$`) and ctx (`$$`, `$name`), and
// nested calls recursively. Every error is an *EvalError; an argument path
// that selects nothing gives an *EvalError wrapping the *path.NotFoundError.
//
// The result shares no maps or slices with input or the context object.
// States.MathRandom without a seed and States.UUID use a process-wide
// random source; see EvalWith to supply one.
func Eval(c *Call, input any, ctx *path.EvalContext) (any, error) {
	return EvalWith(c, input, ctx, nil)
}

// Env supplies the sources of randomness of States.MathRandom (unseeded)
// and States.UUID, so that runs can be reproducible. A nil *Env or nil
// fields use crypto-quality defaults.
type Env struct {
	// Int63n returns a uniform random integer in [0, n) (n > 0).
	Int63n func(n int64) int64
	// UUID returns a new random (version 4) UUID in canonical form.
	UUID func() string
}

// EvalWith is Eval with an explicit source of randomness.
func EvalWith(c *Call, input any, ctx *path.EvalContext, env *Env) (any, error) {
	ev := &evaluator{input: input, ctx: ctx, env: env}
	return ev.call(c)
}

type evaluator struct {
	input any
	ctx   *path.EvalContext
	env   *Env
}

func (ev *evaluator) arg(c *Call, a Arg) (any, error) {
	if a.lit != nil {
		return a.lit, nil
	}
	switch a.Kind {
	case ArgString:
		return a.String, nil
	case ArgNumber:
		return json.Number(a.Number), nil
	case ArgBool:
		return a.Bool, nil
	case ArgNull:
		return nil, nil
	case ArgPath:
		v, err := a.Path.Eval(ev.input, ev.ctx)
		if err != nil {
			return nil, &EvalError{Message: fmt.Sprintf("The JsonPath argument %s of %s could not be resolved: %v", a.Path.Source, c.Name, err), Err: err}
		}
		return v, nil
	case ArgCall:
		return ev.call(a.Call)
	}
	return nil, failf("unknown argument kind %v", a.Kind)
}

func (ev *evaluator) call(c *Call) (any, error) {
	f, ok := Lookup(c.Name)
	if !ok {
		return nil, failf("The intrinsic function %s is not supported", c.Name)
	}
	n := len(c.Args)
	if n < f.MinArgs || (f.MaxArgs != Variadic && n > f.MaxArgs) {
		return nil, failf("Invalid number of arguments for %s: %d", c.Name, n)
	}
	var few [4]any
	args := few[:0]
	if n > len(few) {
		args = make([]any, 0, n)
	}
	args = args[:n]
	for i, a := range c.Args {
		v, err := ev.arg(c, a)
		if err != nil {
			return nil, err
		}
		args[i] = v
	}
	return ev.apply(c, args)
}

// apply computes the function c names over its evaluated arguments.
func (ev *evaluator) apply(c *Call, args []any) (any, error) {
	switch c.Name {
	case "States.Format":
		return format(c, args)
	case "States.StringToJson":
		return stringToJSON(c, args[0])
	case "States.JsonToString":
		return jsonToString(c, args[0])
	case "States.Array":
		return append([]any{}, args...), nil
	case "States.ArrayPartition":
		return arrayPartition(c, args)
	case "States.ArrayContains":
		return arrayContains(c, args)
	case "States.ArrayRange":
		return arrayRange(c, args)
	case "States.ArrayGetItem":
		return arrayGetItem(c, args)
	case "States.ArrayLength":
		a, err := wantArray(c, 0, args[0])
		if err != nil {
			return nil, err
		}
		return json.Number(strconv.Itoa(len(a))), nil
	case "States.ArrayUnique":
		a, err := wantArray(c, 0, args[0])
		if err != nil {
			return nil, err
		}
		return arrayUnique(c, a)
	case "States.Base64Encode":
		return base64Encode(c, args[0])
	case "States.Base64Decode":
		return base64Decode(c, args[0])
	case "States.Hash":
		return hashValue(c, args)
	case "States.JsonMerge":
		return jsonMerge(c, args)
	case "States.MathRandom":
		return ev.mathRandom(c, args)
	case "States.MathAdd":
		return mathAdd(c, args)
	case "States.StringSplit":
		return stringSplitArgs(c, args)
	case "States.UUID":
		if ev.env != nil && ev.env.UUID != nil {
			return ev.env.UUID(), nil
		}
		return newUUID(), nil
	}
	return nil, failf("The intrinsic function %s is not supported", c.Name)
}

// jsonToString is States.JsonToString: the compact JSON text of v, within the text limit.
func jsonToString(c *Call, v any) (any, error) {
	if err := checkText(c, v, 0); err != nil {
		return nil, err
	}
	return FormatJSON(v), nil
}

// arrayContains is States.ArrayContains(array, value), with Jackson's equality.
func arrayContains(c *Call, args []any) (any, error) {
	a, err := wantArray(c, 0, args[0])
	if err != nil {
		return nil, err
	}
	// Comparing costs at most the size of the array: bound it, for
	// values that share parts many times.
	if err := checkText(c, args, 0); err != nil {
		return nil, err
	}
	for _, e := range a {
		if jsonEqual(e, args[1]) {
			return true, nil
		}
	}
	return false, nil
}

// arrayGetItem is States.ArrayGetItem(array, index).
func arrayGetItem(c *Call, args []any) (any, error) {
	a, err := wantArray(c, 0, args[0])
	if err != nil {
		return nil, err
	}
	i, err := wantInt(c, 1, args[1])
	if err != nil {
		return nil, err
	}
	if i < 0 || i >= int64(len(a)) {
		return nil, failf("The index %d provided to %s is out of bounds for an array of length %d", i, c.Name, len(a))
	}
	return a[i], nil
}

// base64Encode is States.Base64Encode(string), its input bounded as AWS bounds it.
func base64Encode(c *Call, v any) (any, error) {
	s, err := wantString(c, 0, v)
	if err != nil {
		return nil, err
	}
	if utf8.RuneCountInString(s) > MaxBase64Input {
		return nil, failf("The input to %s exceeds the maximum length of %d characters", c.Name, MaxBase64Input)
	}
	return base64.StdEncoding.EncodeToString([]byte(s)), nil
}

// base64Decode is States.Base64Decode(string); invalid UTF-8 in the result becomes U+FFFD.
func base64Decode(c *Call, v any) (any, error) {
	s, err := wantString(c, 0, v)
	if err != nil {
		return nil, err
	}
	if utf8.RuneCountInString(s) > MaxBase64Input {
		return nil, failf("The input to %s exceeds the maximum length of %d characters", c.Name, MaxBase64Input)
	}
	data, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, failf("The input to %s is not valid base64: %v", c.Name, err)
	}
	return strings.ToValidUTF8(string(data), "\uFFFD"), nil
}

// stringSplitArgs is States.StringSplit(string, delimiters).
func stringSplitArgs(c *Call, args []any) (any, error) {
	s, err := wantString(c, 0, args[0])
	if err != nil {
		return nil, err
	}
	d, err := wantString(c, 1, args[1])
	if err != nil {
		return nil, err
	}
	return stringSplit(s, d), nil
}

// typeName names the JSON type of v for messages.
func typeName(v any) string { return value.TypeName(v) }

func wantString(c *Call, i int, v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", failf("Invalid argument %d of %s: expected a string, got %s", i+1, c.Name, typeName(v))
	}
	return s, nil
}

func wantArray(c *Call, i int, v any) ([]any, error) {
	a, ok := v.([]any)
	if !ok {
		return nil, failf("Invalid argument %d of %s: expected an array, got %s", i+1, c.Name, typeName(v))
	}
	return a, nil
}

func wantObject(c *Call, i int, v any) (*value.Object, error) {
	m, ok := v.(*value.Object)
	if !ok {
		return nil, failf("Invalid argument %d of %s: expected an object, got %s", i+1, c.Name, typeName(v))
	}
	return m, nil
}

func wantNumber(c *Call, i int, v any) (float64, error) {
	f, ok := toFloat(v)
	if !ok {
		return 0, failf("Invalid argument %d of %s: expected a number, got %s", i+1, c.Name, typeName(v))
	}
	return f, nil
}

// wantInt accepts a number with an integral value that fits in an int64.
func wantInt(c *Call, i int, v any) (int64, error) {
	if n, ok := v.(json.Number); ok && isIntegerText(string(n)) {
		if x, err := strconv.ParseInt(string(n), 10, 64); err == nil {
			return x, nil
		}
		return 0, failf("Invalid argument %d of %s: %s is out of range", i+1, c.Name, n)
	}
	f, err := wantNumber(c, i, v)
	if err != nil {
		return 0, err
	}
	if f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, failf("Invalid argument %d of %s: expected an integer, got %s", i+1, c.Name, javaString(v))
	}
	return int64(f), nil
}

// toFloat converts a JSON number to float64 as Jackson reads a double (AWS's arithmetic works
// on them): beyond the range of a double it is ±Inf or 0.
func toFloat(v any) (float64, bool) { return value.JacksonFloat(v) }

// javaRound is Java's Math.round: the closest integer, ties rounding up
// (towards positive infinity): 1.5 → 2, -1.5 → -1, 2.5 → 3.
func javaRound(f float64) int64 {
	if math.IsNaN(f) {
		return 0
	}
	fl := math.Floor(f)
	if f-fl >= 0.5 {
		fl++
	}
	if fl >= math.MaxInt64 {
		return math.MaxInt64
	}
	if fl <= math.MinInt64 {
		return math.MinInt64
	}
	return int64(fl)
}

// format implements States.Format: each unescaped `{}` of the template is
// replaced by the next argument, printed as Java prints it (strings as they
// are, objects as `{a=1, b=[]}`). `\{`, `\}`, `\'` and `\\` stand for the
// character itself.
func format(c *Call, args []any) (any, error) {
	var raw string
	if a := c.Args[0]; a.Kind == ArgString {
		raw = a.Raw
	} else {
		s, err := wantString(c, 0, args[0])
		if err != nil {
			return nil, err
		}
		raw = s
	}
	values := args[1:]
	var b strings.Builder
	b.Grow(len(raw) + 16*len(values))
	used := 0
	for i := 0; i < len(raw); i++ {
		switch ch := raw[i]; {
		case ch == '\\' && i+1 < len(raw):
			i++
			b.WriteByte(raw[i])
		case ch == '{' && i+1 < len(raw) && raw[i+1] == '}':
			if used >= len(values) {
				return nil, failf("The number of arguments of %s does not match the number of placeholders in its template", c.Name)
			}
			if err := checkText(c, values[used], b.Len()); err != nil {
				return nil, err
			}
			writeJava(&b, values[used])
			used++
			i++
		default:
			b.WriteByte(ch)
		}
	}
	if used != len(values) {
		return nil, failf("The number of arguments of %s does not match the number of placeholders in its template", c.Name)
	}
	return b.String(), nil
}

// stringToJSON implements States.StringToJson: an empty or blank string
// gives null.
func stringToJSON(c *Call, v any) (any, error) {
	s, err := wantString(c, 0, v)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	out, err := value.Decode(d)
	if err != nil {
		return nil, failf("The argument of %s is not valid JSON text: %v", c.Name, err)
	}
	if _, err := d.Token(); err == nil {
		return nil, failf("The argument of %s is not valid JSON text: unexpected data after the value", c.Name)
	}
	return normalizeNumbers(out), nil
}

func arrayPartition(c *Call, args []any) (any, error) {
	a, err := wantArray(c, 0, args[0])
	if err != nil {
		return nil, err
	}
	size, err := wantInt(c, 1, args[1])
	if err != nil {
		return nil, err
	}
	if size <= 0 {
		return nil, failf("Invalid argument 2 of %s: the chunk size must be greater than 0, got %d", c.Name, size)
	}
	out := []any{}
	for i := 0; i < len(a); {
		end := len(a)
		if int64(end-i) > size {
			end = i + int(size)
		}
		out = append(out, append([]any{}, a[i:end]...))
		i = end
	}
	return out, nil
}

func arrayRange(c *Call, args []any) (any, error) {
	var v [3]int64
	for i := range v {
		x, err := wantInt(c, i, args[i])
		if err != nil {
			return nil, err
		}
		v[i] = x
	}
	start, end, step := v[0], v[1], v[2]
	if step == 0 {
		return nil, failf("Invalid argument 3 of %s: the step must not be 0", c.Name)
	}
	count := rangeLen(big.NewInt(start), big.NewInt(end), big.NewInt(step))
	if count.Cmp(big.NewInt(MaxArrayRange)) > 0 {
		return nil, failf("The array returned by %s would have %s elements; at most %d are allowed", c.Name, count, MaxArrayRange)
	}
	out := make([]any, 0, count.Int64())
	for x, k := start, int64(0); k < count.Int64(); x, k = x+step, k+1 {
		out = append(out, json.Number(strconv.FormatInt(x, 10)))
	}
	return out, nil
}

var hashes = map[string]func() hash.Hash{
	"MD5":     md5.New,
	"SHA-1":   sha1.New,
	"SHA-256": sha256.New,
	"SHA-384": sha512.New384,
	"SHA-512": sha512.New,
}

// hashValue implements States.Hash: the lowercase hex digest of the UTF-8
// bytes of the data (a string, or the JSON text of any other value).
func hashValue(c *Call, args []any) (any, error) {
	alg, err := wantString(c, 1, args[1])
	if err != nil {
		return nil, err
	}
	newHash, ok := hashes[alg]
	if !ok {
		return nil, failf("Invalid argument 2 of %s: the hash algorithm '%s' is not supported; use one of %s", c.Name, alg, strings.Join(HashAlgorithms, ", "))
	}
	var data string
	switch t := args[0].(type) {
	case string:
		data = t
	case nil:
		return nil, failf("Invalid argument 1 of %s: the data to hash must not be null", c.Name)
	default:
		if _, over := textSize(t, MaxTextSize); over {
			return nil, failf("The input to %s exceeds the maximum length of %d characters", c.Name, MaxBase64Input)
		}
		data = FormatJSON(t)
	}
	if utf8.RuneCountInString(data) > MaxBase64Input {
		return nil, failf("The input to %s exceeds the maximum length of %d characters", c.Name, MaxBase64Input)
	}
	h := newHash()
	h.Write([]byte(data))
	return hex.EncodeToString(h.Sum(nil)), nil
}

// jsonMerge implements States.JsonMerge: a shallow merge where members of
// the second object replace those of the first. AWS supports only the
// shallow mode: the third argument must be false.
func jsonMerge(c *Call, args []any) (any, error) {
	a, err := wantObject(c, 0, args[0])
	if err != nil {
		return nil, err
	}
	b, err := wantObject(c, 1, args[1])
	if err != nil {
		return nil, err
	}
	deep, ok := args[2].(bool)
	if !ok {
		return nil, failf("Invalid argument 3 of %s: expected a boolean, got %s", c.Name, typeName(args[2]))
	}
	if deep {
		return nil, failf("Invalid argument 3 of %s: only the shallow merging mode (false) is supported", c.Name)
	}
	out := a.Clone(b.Len())
	for _, m := range b.Members() {
		out.Set(m.Key, m.Value)
	}
	return javaHashMapOrder(out), nil
}

// mathRandom implements States.MathRandom(start, end[, seed]): an integer in
// [start, end). Arguments are rounded like States.MathAdd's. With a seed the
// result is that of Java's new Random(seed).nextInt(end - start) + start.
func (ev *evaluator) mathRandom(c *Call, args []any) (any, error) {
	var v [3]int64
	for i, a := range args {
		x, err := wantLong(c, i, a)
		if err != nil {
			return nil, err
		}
		v[i] = x
	}
	start, end := v[0], v[1]
	if end <= start {
		return nil, failf("Invalid arguments of %s: the end (%d) must be greater than the start (%d)", c.Name, end, start)
	}
	span := end - start
	var r int64
	switch {
	case len(args) == 3:
		if span > math.MaxInt32 {
			return nil, failf("Invalid arguments of %s: the range is too large", c.Name)
		}
		r = int64(newJavaRandom(v[2]).nextInt(int32(span)))
	case ev.env != nil && ev.env.Int63n != nil:
		r = ev.env.Int63n(span)
	default:
		r = mrand.Int64N(span)
	}
	return json.Number(strconv.FormatInt(start+r, 10)), nil
}

// javaRandom is java.util.Random's linear congruential generator.
type javaRandom struct{ seed int64 }

const (
	javaMultiplier = 0x5DEECE66D
	javaMask       = (1 << 48) - 1
)

func newJavaRandom(seed int64) *javaRandom {
	return &javaRandom{seed: (seed ^ javaMultiplier) & javaMask}
}

func (r *javaRandom) next(bits uint) int32 {
	r.seed = (r.seed*javaMultiplier + 0xB) & javaMask
	return int32(uint64(r.seed) >> (48 - bits))
}

// nextInt is Random.nextInt(bound) for bound > 0.
func (r *javaRandom) nextInt(bound int32) int32 {
	b := r.next(31)
	m := bound - 1
	if bound&m == 0 {
		return int32((int64(bound) * int64(b)) >> 31)
	}
	u := b
	for {
		b = u % bound
		if u-b+m >= 0 {
			return b
		}
		u = r.next(31)
	}
}

// newUUID returns a random version 4 UUID.
func newUUID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var s bytes.Buffer
	h := hex.EncodeToString(b[:])
	s.WriteString(h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32])
	return s.String()
}

// jsonEqual compares JSON values as Jackson nodes compare: integers with
// integers and other numbers with other numbers by value (1 and 1.0
// differ), strings, booleans, null, and arrays and objects deeply.
func jsonEqual(a, b any) bool { return value.EqualBy(a, b, javaNumbersEqual) }

// javaNumbersEqual compares two numbers as Jackson's nodes do.
func javaNumbersEqual(a, b any) bool {
	xs, ok1 := javaNumber(a)
	ys, ok2 := javaNumber(b)
	return ok1 && ok2 && xs == ys
}
