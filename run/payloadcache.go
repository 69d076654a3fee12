package run

import (
	"reflect"
	"unsafe"

	"github.com/sfn-tool/sfn/pkg/value"
)

// A state that passes its input on unchanged (Wait, Choice, a Pass without Parameters) hands the
// next state the very same value, and run-time values are never modified in place: so each thread
// remembers the JSON text of the last object, array or string it serialised for an event, and the
// last one it found under the payload limit, keyed by identity. A loop over a large payload then
// serialises and measures it once per change instead of once per event (a 200 KB input in a Wait
// loop up to the history limit: 15 s of payload scans without it).

// valueKey identifies a run-time value: the address of its data (which the key keeps alive, so
// it cannot be reused by another value) and, for arrays and strings, its length.
type valueKey struct {
	p unsafe.Pointer
	n int
}

// payloadCache is a thread's memory of the last payloads it serialised and measured.
type payloadCache struct {
	textKey  valueKey
	text     string
	smallKey valueKey // known to be within the payload limit
}

// identity returns the key of an object, a non-empty array or a string (false for other values,
// which are cheap to serialise).
func identity(v any) (valueKey, bool) {
	switch t := v.(type) {
	case string:
		if t == "" {
			return valueKey{}, false
		}
		return valueKey{unsafe.Pointer(unsafe.StringData(t)), len(t)}, true
	case []any:
		if len(t) == 0 {
			return valueKey{}, false
		}
		return valueKey{unsafe.Pointer(unsafe.SliceData(t)), len(t)}, true
	case *value.Object:
		if t == nil {
			return valueKey{}, false
		}
		return valueKey{unsafe.Pointer(t), -1}, true
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Map || rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return valueKey{}, false
		}
		return valueKey{rv.UnsafePointer(), -1}, true
	}
	return valueKey{}, false
}

// jsonText is toJSON(v), remembered for the last value.
func (t *thread) jsonText(v any) string {
	k, ok := identity(v)
	if !ok {
		return toJSON(v)
	}
	if k == t.payloads.textKey {
		return t.payloads.text
	}
	text := toJSON(v)
	t.payloads.textKey, t.payloads.text = k, text
	return text
}

// overPayload reports whether the JSON text of v is over AWS's payload limit, remembering the
// last value found within it.
func (t *thread) overPayload(v any) bool {
	k, ok := identity(v)
	if ok && k == t.payloads.smallKey {
		return false
	}
	if jsonSizeOver(v, maxPayload) {
		return true
	}
	if ok {
		t.payloads.smallKey = k
	}
	return false
}
