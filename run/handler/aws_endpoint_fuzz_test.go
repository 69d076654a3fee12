package handler

import (
	"net/http"
	"testing"
)

// FuzzAWSResponse feeds arbitrary bodies to the readers of AWS responses (the query protocol's
// XML results and errors, AWS JSON errors): they return a value or an error, never panic.
func FuzzAWSResponse(f *testing.F) {
	f.Add([]byte(`<PublishResponse><PublishResult><MessageId>m</MessageId></PublishResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishResponse>`))
	f.Add([]byte(`<R><XResult><L><member>a</member><member><b>1</b></member></L><M><entry><key>k</key><value>v</value></entry></M></XResult></R>`))
	f.Add([]byte(`<ErrorResponse><Error><Code>InvalidParameter</Code><Message>m</Message></Error><RequestId>r</RequestId></ErrorResponse>`))
	f.Add([]byte(`{"__type": "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", "message": "m"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _, _ = queryResult(data)
		_, _, _ = queryError(data)
		resp := &http.Response{StatusCode: 400, Header: http.Header{}}
		code, _ := jsonError(resp, data)
		if code != "" && !validAction(code) {
			t.Errorf("code %q", code)
		}
	})
}
