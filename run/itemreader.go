package run

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"crypto/md5"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf16"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/path"
	"github.com/sfn-tool/sfn/pkg/value"
)

// A distributed Map's ItemReader reads its items from Amazon S3; locally, an S3 object
// s3://BUCKET/KEY is the file Options.S3Dir/BUCKET/KEY. Supported: s3:getObject with
// ReaderConfig.InputType JSON (an array), JSONL (a value per line) and CSV (CSVHeaderLocation
// FIRST_ROW or GIVEN with CSVHeaders, CSVDelimiter), s3:listObjectsV2 (Bucket, Prefix: the
// files under the directory), and MaxItems / MaxItemsPath. A Bucket or Key may also be written as
// s3://bucket/key or arn:aws:s3:::bucket/key. Failures are States.ItemReaderFailed.

// objectPath maps an S3 bucket and key to a local file.
func (ex *execution) objectPath(bucket, key string) (string, error) {
	for _, pre := range []string{"s3://", "arn:aws:s3:::"} {
		if rest, ok := strings.CutPrefix(bucket, pre); ok {
			b, k, _ := strings.Cut(rest, "/")
			bucket = b
			if k != "" {
				key = strings.TrimSuffix(k, "/") + cmp.Or("/"+strings.TrimPrefix(key, "/"), "")
				key = strings.TrimSuffix(key, "/")
			}
		}
	}
	for _, pre := range []string{"s3://", "arn:aws:s3:::"} {
		if rest, ok := strings.CutPrefix(key, pre); ok {
			bucket, key, _ = strings.Cut(rest, "/")
		}
	}
	dir := ex.r.opts.S3Dir
	if dir == "" {
		return "", fmt.Errorf("s3://%s/%s: no local directory for S3 objects (set --s3-dir or s3: in sfn.yaml)", bucket, key)
	}
	if bucket == "" || strings.Contains(bucket, "..") || strings.ContainsAny(bucket, `/\`) {
		return "", fmt.Errorf("invalid bucket name %q", bucket)
	}
	clean := filepath.Clean("/" + key)
	return filepath.Join(dir, bucket, clean), nil
}

// templateCompiler compiles the payload templates of Map configuration fields at run time (they
// are evaluated once per Map visit).
func (r *Runner) templateCompiler() *compiler {
	c := &compiler{exprs: make(map[*load.Node]*asl.Expr, len(r.m.Exprs))}
	for _, e := range r.m.Exprs {
		c.exprs[e.Node] = e
	}
	return c
}

// evalNode evaluates a payload template written in the definition.
func (s *stateRun) evalNode(n *load.Node, input any) (any, *stateError) {
	c := s.t.ex.r.templateCompiler()
	t := c.template(s.st, n)
	if len(c.errs) > 0 {
		return nil, s.runtime(strings.Join(c.errs, "; "))
	}
	return s.template(t, input)
}

// intField reads NAME or NAMEPath of a configuration object.
func (s *stateRun) intField(obj *load.Node, name string, input any) (int64, bool, *stateError) {
	if v, ok := numField(obj, name); ok {
		return clampFloat(v), true, nil
	}
	pn := obj.Get(name + "Path")
	if pn == nil {
		return 0, false, nil
	}
	p, err := path.Parse(pn.Text)
	if err != nil {
		return 0, false, s.runtime(fmt.Sprintf("%sPath: %v", name, err))
	}
	v, err := p.Eval(input, s.pctx)
	if err != nil {
		return 0, false, s.runtime(err.Error())
	}
	n, ok := integer(v)
	if ok && n < 0 && name == "MaxItems" {
		return 0, false, itemReaderFailed("field MaxItems must be positive") // AWS's words, from the map run
	}
	if !ok || n < 0 {
		return 0, false, s.runtime(fmt.Sprintf("The %sPath field refers to value \"%s\" which is not a valid integer: %s", name, valueText(v), pn.Text))
	}
	return n, true, nil
}

func itemReaderFailed(format string, args ...any) *stateError {
	return failure("States.ItemReaderFailed", fmt.Sprintf(format, args...))
}

// readItems returns the items of a Map state with an ItemReader (nil, nil without one).
func (s *stateRun) readItems(eff any) (any, *stateError) {
	rd := s.st.Field("ItemReader")
	if rd == nil || rd.Kind != load.Object {
		return nil, nil
	}
	params, serr := s.readerParams(rd, eff)
	if serr != nil {
		return nil, serr
	}
	bucket, _ := get(params, "Bucket").(string)
	cfg := rd.Get("ReaderConfig")
	maxItems := int64(0)
	if cfg != nil {
		n, ok, serr := s.intField(cfg, "MaxItems", eff)
		if serr != nil {
			return nil, serr
		}
		if ok {
			maxItems = n
		}
	}
	resource := ""
	if r := rd.Get("Resource"); r != nil {
		resource = r.Text
	}
	var items []any
	switch {
	case strings.HasSuffix(resource, ":s3:listObjectsV2"):
		prefix, _ := get(params, "Prefix").(string)
		dir, err := s.t.ex.objectPath(bucket, "")
		if err != nil {
			return nil, itemReaderFailed("%v", err)
		}
		if items, err = listObjects(s.t.ctx, dir, prefix, maxItems); err != nil {
			if s.t.stopped() {
				return nil, abortedError()
			}
			return nil, itemReaderFailed("%v", err)
		}
	case strings.HasSuffix(resource, ":s3:getObject"):
		key, _ := get(params, "Key").(string)
		file, err := s.t.ex.objectPath(bucket, key)
		if err != nil {
			return nil, itemReaderFailed("%v", err)
		}
		src, err := load.ReadFileIn(s.t.ex.r.opts.S3Dir, file, maxObjectSize)
		if err != nil {
			return nil, itemReaderFailed("cannot read s3://%s/%s (%s): %v", bucket, key, file, errorText(err))
		}
		inputType := "JSON"
		if cfg != nil {
			if t := cfg.Get("InputType"); t != nil {
				inputType = t.Text
			}
		}
		if items, err = parseItems(s.t.ctx, src, inputType, cfg, maxItems); err != nil {
			if s.t.stopped() {
				return nil, abortedError()
			}
			return nil, itemReaderFailed("s3://%s/%s: %v", bucket, key, err)
		}
	default:
		return nil, s.runtime(fmt.Sprintf("ItemReader Resource %q is not supported locally (use arn:aws:states:::s3:getObject or arn:aws:states:::s3:listObjectsV2)", resource))
	}
	return items, nil
}

// readerParams evaluates ItemReader.Parameters (or a literal Arguments).
func (s *stateRun) readerParams(rd *load.Node, eff any) (*value.Object, *stateError) {
	var v any
	if p := rd.Get("Parameters"); p != nil {
		var serr *stateError
		if v, serr = s.evalNode(p, eff); serr != nil {
			return nil, serr
		}
	} else if a := rd.Get("Arguments"); a != nil {
		v = nodeValue(a)
	}
	m, _ := v.(*value.Object)
	return m, nil // nil reads as an empty object
}

func errorText(err error) string {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

// parseItems reads the items of an object of the given InputType (until ctx ends).
func parseItems(ctx context.Context, src []byte, inputType string, cfg *load.Node, maxItems int64) ([]any, error) {
	limit := func(items []any) []any {
		if maxItems > 0 && int64(len(items)) > maxItems {
			return items[:maxItems]
		}
		return items
	}
	switch inputType {
	case "JSON":
		v, err := load.DecodeJSON(src)
		if err != nil {
			return nil, fmt.Errorf("not JSON: %v", err)
		}
		list, ok := v.([]any)
		if !ok {
			return nil, fmt.Errorf("the JSON object is not an array (found %s)", typeName(v))
		}
		return limit(list), nil
	case "JSONL":
		var items []any
		sc := bufio.NewScanner(bytes.NewReader(src))
		sc.Buffer(make([]byte, 0, 64*1024), 256*1024*1024)
		line := 0
		for sc.Scan() {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			line++
			text := bytes.TrimSpace(sc.Bytes())
			if len(text) == 0 {
				continue
			}
			v, err := load.DecodeJSON(text)
			if err != nil {
				return nil, fmt.Errorf("line %d is not JSON: %v", line, err)
			}
			items = append(items, v)
			if maxItems > 0 && int64(len(items)) >= maxItems {
				break
			}
		}
		return items, sc.Err()
	case "CSV":
		return parseCSV(ctx, src, cfg, maxItems)
	}
	return nil, fmt.Errorf("InputType %q is not supported locally (JSON, JSONL or CSV)", inputType)
}

// parseCSV reads CSV rows as objects keyed by the headers; every value is a string, as in AWS.
func parseCSV(ctx context.Context, src []byte, cfg *load.Node, maxItems int64) ([]any, error) {
	r := csv.NewReader(bytes.NewReader(src))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	switch d := cfg.Get("CSVDelimiter"); {
	case d == nil, d.Text == "COMMA":
	case d.Text == "PIPE":
		r.Comma = '|'
	case d.Text == "SEMICOLON":
		r.Comma = ';'
	case d.Text == "SPACE":
		r.Comma = ' '
	case d.Text == "TAB":
		r.Comma = '\t'
	default:
		return nil, fmt.Errorf("unknown CSVDelimiter %q", d.Text)
	}
	var headers []string
	if loc := cfg.Get("CSVHeaderLocation"); loc != nil && loc.Text == "GIVEN" {
		headers = stringList(cfg.Get("CSVHeaders"))
		if len(headers) == 0 {
			return nil, fmt.Errorf("CSVHeaderLocation GIVEN needs CSVHeaders")
		}
	} else {
		h, err := r.Read()
		if err == io.EOF {
			return []any{}, nil
		}
		if err != nil {
			return nil, fmt.Errorf("CSV: %v", err)
		}
		headers = h
	}
	seen := make(map[string]bool, len(headers))
	for _, h := range headers {
		if seen[h] {
			return nil, errors.New("CSV headers cannot contain duplicates.") // AWS's words
		}
		seen[h] = true
	}
	order := javaHashMapOrder(headers)
	items := []any{}
	for maxItems <= 0 || int64(len(items)) < maxItems {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("CSV: %v", err)
		}
		// Fields beyond the headers are dropped, missing ones are "" (as AWS).
		row := value.NewObject(len(headers))
		for _, i := range order {
			var cell any = ""
			if i < len(rec) {
				cell = rec[i]
			}
			row.Set(headers[i], cell)
		}
		items = append(items, row)
	}
	return items, nil
}

// javaHashMapOrder returns the indexes of keys in the order a java.util.HashMap holding them
// (default capacity 16, load factor 0.75, put in this order) iterates them: the members' order of
// AWS's CSV items (LocalStack's AWS-validated snapshots test_map_item_reader_csv_headers_first_row_
// typed_headers: headers 0,True,{} give {"0","{}","True"}; _csv_first_row_extra_fields: H1,"" give
// {"","H1"}; every other recording agrees). The keys are distinct.
func javaHashMapOrder(keys []string) []int {
	capacity := 16
	for float64(len(keys)) > 0.75*float64(capacity) {
		capacity *= 2
	}
	bucket := func(k string) int {
		var h uint32
		for _, u := range utf16.Encode([]rune(k)) { // String.hashCode over UTF-16 code units
			h = 31*h + uint32(u)
		}
		return int((h ^ h>>16) & uint32(capacity-1))
	}
	order := make([]int, len(keys))
	buckets := make([]int, len(keys))
	for i, k := range keys {
		order[i], buckets[i] = i, bucket(k)
	}
	sort.SliceStable(order, func(a, b int) bool { return buckets[order[a]] < buckets[order[b]] })
	return order
}

// maxObjectSize caps a local S3 object read by an ItemReader (a JSON, JSONL or CSV item file, or an
// object listed by s3:listObjectsV2): 64 MiB.
const maxObjectSize = 64 << 20

// listObjects lists the files under dir whose key starts with prefix, as s3:listObjectsV2 items.
func listObjects(ctx context.Context, dir, prefix string, maxItems int64) ([]any, error) {
	var keys []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		key := filepath.ToSlash(rel)
		if strings.HasPrefix(key, prefix) {
			keys = append(keys, key)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("cannot list %s: %v", dir, errorText(err))
	}
	sort.Strings(keys)
	items := []any{}
	for _, key := range keys {
		if maxItems > 0 && int64(len(items)) >= maxItems {
			break
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p := filepath.Join(dir, filepath.FromSlash(key))
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		src, err := load.ReadFileIn(dir, p, maxObjectSize)
		if err != nil {
			return nil, err
		}
		sum := md5.Sum(src)
		items = append(items, value.ObjectOf(
			"Etag", `"`+hex.EncodeToString(sum[:])+`"`, "Key", key,
			"LastModified", info.ModTime().UTC().Format("2006-01-02T15:04:05Z"), "Size", jsonInt(int(info.Size())),
			"StorageClass", "STANDARD",
		))
	}
	return items, nil
}
