package jsonata

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"hash"
	"math"
)

// registerStepFunctionsExtras registers the Step Functions' own extras: $partition, $range, $hash, $uuid,
// $parse.
func registerStepFunctionsExtras() {
	def("partition", 2, false, fnPartition)
	def("range", 3, false, fnRange)
	def("hash", 2, false, fnHash)
	def("uuid", 0, false, fnUuid)
	def("parse", 1, false, fnParse)
}

// fnPartition implements $partition.
func fnPartition(ev *evaluator, args []any) (any, error) {
	a, ok := arrArg(args, 0)
	if !ok {
		return Undefined, nil
	}
	n, ok, err := numArg(args, 1, "partition")
	if err != nil || !ok || n < 1 || n != math.Trunc(n) {
		return nil, argErr(1, "partition")
	}
	size := int(n)
	out := []any{}
	ev.alloc(len(a) + len(a)/size + 1)
	for i := 0; i < len(a); i += size {
		out = append(out, append([]any{}, a[i:min(i+size, len(a))]...))
	}
	return out, nil
}

// fnRange implements $range.
func fnRange(ev *evaluator, args []any) (any, error) {
	var v [3]float64
	for i := range v {
		n, ok, err := numArg(args, i, "range")
		if err != nil {
			return nil, err
		}
		if !ok {
			if i == 2 {
				n = 1
			} else {
				return nil, argErr(i, "range")
			}
		}
		v[i] = n
	}
	if v[2] == 0 {
		return nil, argErr(2, "range")
	}
	out := []any{}
	for x := v[0]; (v[2] > 0 && x <= v[1]) || (v[2] < 0 && x >= v[1]); x += v[2] {
		out = append(out, x)
		if len(out) > 1000 {
			return nil, evalErr("D2014", "The $range function can not generate more than 1000 items")
		}
	}
	return out, nil
}

// fnHash implements $hash.
func fnHash(ev *evaluator, args []any) (any, error) {
	s, ok, err := strArg(args, 0, "hash")
	if err != nil || !ok {
		return Undefined, err
	}
	alg := "SHA-256"
	if a, ok, _ := strArg(args, 1, "hash"); ok {
		alg = a
	}
	var h hash.Hash
	switch alg {
	case "MD5":
		h = md5.New()
	case "SHA-1":
		h = sha1.New()
	case "SHA-256":
		h = sha256.New()
	case "SHA-384":
		h = sha512.New384()
	case "SHA-512":
		h = sha512.New()
	default:
		return nil, argErr(1, "hash")
	}
	h.Write([]byte(s))
	return hex.EncodeToString(h.Sum(nil)), nil
}

// fnUuid implements $uuid.
func fnUuid(ev *evaluator, args []any) (any, error) {
	if ev.env.UUID != nil {
		return ev.env.UUID(), nil
	}
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:]), nil
}

// fnParse implements $parse.
func fnParse(ev *evaluator, args []any) (any, error) {
	s, ok, err := strArg(args, 0, "parse")
	if err != nil || !ok {
		return Undefined, err
	}
	v, err := parseJSON(s)
	if err != nil {
		return nil, evalErr("D3140", "Unable to parse JSON string: %s", token(s))
	}
	return v, nil
}
