package handler

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/sfn-tool/sfn/pkg/value"
)

// The AWS query protocol (SNS): a form-encoded request, an XML response.

// queryMaps are the members that are maps on the wire, with the names of their key and value:
// SNS's MessageAttributes (entry.N.Name, entry.N.Value.DataType) and Attributes (entry.N.key).
var queryMaps = map[string][2]string{"MessageAttributes": {"Name", "Value"}, "Attributes": {"key", "value"}}

// maxQueryDepth bounds the nesting of a request's parameters and of a response's XML.
const maxQueryDepth = 64

// queryForm encodes a query-protocol request: Action, Version, then the parameters flattened
// (structures as Name.Member, lists as Name.member.N, maps as Name.entry.N.key/value).
func queryForm(action, version string, params *value.Object) (string, error) {
	form := url.Values{}
	form.Set("Action", action)
	form.Set("Version", version)
	for _, m := range params.Members() {
		if err := flattenQuery(form, m.Key, m.Key, m.Value, 0); err != nil {
			return "", err
		}
	}
	return form.Encode(), nil
}

// flattenQuery adds the value v of the member named member at prefix to form.
func flattenQuery(form url.Values, member, prefix string, v any, depth int) error {
	if depth > maxQueryDepth {
		return fmt.Errorf("the parameters are nested deeper than %d levels", maxQueryDepth)
	}
	switch v := v.(type) {
	case nil:
	case string:
		form.Set(prefix, v)
	case bool:
		form.Set(prefix, strconv.FormatBool(v))
	case json.Number:
		form.Set(prefix, v.String())
	case []any:
		for i, x := range v {
			if err := flattenQuery(form, member, fmt.Sprintf("%s.member.%d", prefix, i+1), x, depth+1); err != nil {
				return err
			}
		}
	case *value.Object:
		names, isMap := queryMaps[member]
		for i, m := range v.Members() {
			var err error
			if isMap {
				entry := fmt.Sprintf("%s.entry.%d.", prefix, i+1)
				form.Set(entry+names[0], m.Key)
				err = flattenQuery(form, "", entry+names[1], m.Value, depth+1)
			} else {
				err = flattenQuery(form, m.Key, prefix+"."+m.Key, m.Value, depth+1)
			}
			if err != nil {
				return err
			}
		}
	default:
		form.Set(prefix, fmt.Sprint(v))
	}
	return nil
}

// xmlNode is an element of a query-protocol response.
type xmlNode struct {
	Name     string
	Text     string
	Children []*xmlNode
}

// parseXML reads the root element of data, its depth bounded.
func parseXML(data []byte) (*xmlNode, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	var stack []*xmlNode
	var root *xmlNode
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= maxQueryDepth {
				return nil, fmt.Errorf("elements nested deeper than %d levels", maxQueryDepth)
			}
			n := &xmlNode{Name: t.Name.Local}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.Children = append(p.Children, n)
			} else if root == nil {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].Text += string(t)
			}
		}
	}
	if root == nil {
		return nil, errors.New("no XML element")
	}
	return root, nil
}

// child is n's first child element named name (nil: none).
func (n *xmlNode) child(name string) *xmlNode {
	if n == nil {
		return nil
	}
	for _, c := range n.Children {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// toValue is an element as JSON: text for a leaf, a list for <member> children, an object
// for <entry> children (key, value) or for named children.
func (n *xmlNode) toValue() any {
	if len(n.Children) == 0 {
		return n.Text
	}
	switch n.Children[0].Name {
	case "member":
		list := make([]any, 0, len(n.Children))
		for _, c := range n.Children {
			list = append(list, c.toValue())
		}
		return list
	case "entry":
		o := value.NewObject(len(n.Children))
		for _, c := range n.Children {
			if k := c.child("key"); k != nil {
				var v any
				if vn := c.child("value"); vn != nil {
					v = vn.toValue()
				}
				o.Set(k.Text, v)
			}
		}
		return o
	}
	o := value.NewObject(len(n.Children))
	for _, c := range n.Children {
		o.Set(c.Name, c.toValue())
	}
	return o
}

// queryResult reads a successful response, <ActionResponse><ActionResult>...</ActionResult>
// <ResponseMetadata><RequestId>, into the result's members and the request id.
func queryResult(data []byte) (*value.Object, string, error) {
	root, err := parseXML(data)
	if err != nil {
		return nil, "", err
	}
	out := value.NewObject(0)
	for _, c := range root.Children {
		if strings.HasSuffix(c.Name, "Result") {
			if o, ok := c.toValue().(*value.Object); ok {
				out = o
			}
		}
	}
	var rid string
	if r := root.child("ResponseMetadata").child("RequestId"); r != nil {
		rid = r.Text
	}
	return out, rid, nil
}

// queryError reads an error response, <ErrorResponse><Error><Code/><Message/></Error><RequestId/>.
func queryError(data []byte) (code, msg, requestID string) {
	root, err := parseXML(data)
	if err != nil {
		return "", "", ""
	}
	e := root.child("Error")
	if c := e.child("Code"); c != nil && validAction(c.Text) {
		code = c.Text
	}
	if m := e.child("Message"); m != nil {
		msg = clip(m.Text, maxErrorBody)
	}
	if r := root.child("RequestId"); r != nil {
		requestID = r.Text
	}
	return code, msg, requestID
}
