package run

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/value"
)

// ItemBatcher groups a distributed Map's items: each child execution receives
// {"Items": [...], "BatchInput": ...} (MaxItemsPerBatch(Path), MaxInputBytesPerBatch(Path),
// BatchInput). ResultWriter writes the child executions' results as AWS does to S3 — locally under
// Options.S3Dir/BUCKET/PREFIX/MAPRUNID/: manifest.json, SUCCEEDED_0.json, FAILED_0.json — and the
// Map's result becomes {"MapRunArn", "ResultWriterDetails": {"Bucket", "Key"}}.

// mapRecord keeps what ResultWriter needs of one Map visit: each child's input and which failed
// (tolerated failures).
type mapRecord struct {
	mu     sync.Mutex
	inputs []any
	failed map[int]*stateError
}

// batchItems applies ItemBatcher to the iteration inputs (and remembers them for ResultWriter).
func (s *stateRun) batchItems(eff any, inputs []any) ([]any, *stateError) {
	if b := s.st.Field("ItemBatcher"); b != nil && b.Kind == load.Object {
		maxItems, hasItems, serr := s.intField(b, "MaxItemsPerBatch", eff)
		if serr != nil {
			return nil, serr
		}
		maxBytes, hasBytes, serr := s.intField(b, "MaxInputBytesPerBatch", eff)
		if serr != nil {
			return nil, serr
		}
		if !hasItems && !hasBytes {
			return nil, s.runtime("ItemBatcher needs MaxItemsPerBatch or MaxInputBytesPerBatch")
		}
		if !hasBytes || maxBytes > maxPayload {
			maxBytes = maxPayload
		}
		var batchInput any
		if bi := b.Get("BatchInput"); bi != nil {
			if batchInput, serr = s.evalNode(bi, eff); serr != nil {
				return nil, serr
			}
		}
		base := len(`{"Items":[]}`)
		if batchInput != nil {
			base += len(`,"BatchInput":`) + len(toJSON(batchInput))
		}
		var batches []any
		var cur []any
		size := base
		flush := func() {
			if len(cur) == 0 {
				return
			}
			batch := value.NewObject(2) // AWS's order: BatchInput, Items
			if batchInput != nil {
				batch.Set("BatchInput", batchInput)
			}
			batch.Set("Items", cur)
			batches = append(batches, batch)
			cur, size = nil, base
		}
		for _, it := range inputs {
			if s.t.stopped() {
				return nil, abortedError()
			}
			n := len(toJSON(it)) + 1
			if len(cur) > 0 && (hasItems && int64(len(cur)) >= maxItems || int64(size+n) > maxBytes) {
				flush()
			}
			cur = append(cur, it)
			size += n
		}
		flush()
		if batches == nil {
			batches = []any{}
		}
		inputs = batches
	}
	if s.st.Field("ResultWriter") != nil {
		s.t.ex.mapRecords.Store(s, &mapRecord{inputs: append([]any(nil), inputs...), failed: map[int]*stateError{}})
	}
	return inputs, nil
}

// noteFailed records a tolerated failure of a child for ResultWriter.
func (s *stateRun) noteFailed(i int, err *stateError) {
	if v, ok := s.t.ex.mapRecords.Load(s); ok {
		r := v.(*mapRecord)
		r.mu.Lock()
		r.failed[i] = err
		r.mu.Unlock()
	}
}

// mapRunID is the id of a Map run, a UUID derived from the execution and the state visit.
func (s *stateRun) mapRunID() string {
	h := fnv64(fmt.Sprintf("%s#%s#%d", s.t.ex.arn, s.st.Name, s.enterID))
	g := fnv64(fmt.Sprintf("%d", h))
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", uint32(h>>32), uint16(h>>16), uint16(h)&0x0fff|0x4000, uint16(g>>48)&0x3fff|0x8000, g&0xffffffffffff)
}

// writeResults writes the results of a distributed Map with a ResultWriter and returns the Map's
// result (results unchanged without one).
func (s *stateRun) writeResults(eff any, results []any) (any, *stateError) {
	v, ok := s.t.ex.mapRecords.LoadAndDelete(s)
	rw := s.st.Field("ResultWriter")
	if rw == nil || rw.Kind != load.Object || !ok {
		return results, nil
	}
	rec := v.(*mapRecord)
	params, serr := s.readerParams(rw, eff)
	if serr != nil {
		return nil, serr
	}
	bucket, _ := get(params, "Bucket").(string)
	prefix, _ := get(params, "Prefix").(string)
	ex := s.t.ex
	id := s.mapRunID()
	label := cmp.Or(s.si.label, s.st.Name)
	mapRunArn := fmt.Sprintf("arn:aws:states:%s:%s:mapRun:%s/%s:%s", ex.r.opts.Region, ex.r.opts.Account, ex.r.opts.StateMachineName, label, id)
	keyPrefix := strings.TrimSuffix(prefix, "/")
	if keyPrefix != "" {
		keyPrefix += "/"
	}
	keyPrefix += id + "/"
	dir, err := ex.objectPath(bucket, keyPrefix)
	if err != nil {
		return nil, failure("States.ResultWriterFailed", err.Error())
	}
	outputType, compact := writerConfig(rw)
	succeeded, failed, serr := s.childRecords(rec, results, id, label, compact)
	if serr != nil {
		return nil, serr
	}
	if err := load.CheckInside(ex.r.opts.S3Dir, dir); err != nil {
		return nil, failure("States.ResultWriterFailed", fmt.Sprintf("%s: %v", dir, err))
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, failure("States.ResultWriterFailed", err.Error())
	}
	files := map[string]any{"FAILED": []any{}, "PENDING": []any{}, "SUCCEEDED": []any{}}
	for _, f := range []struct {
		status string
		list   []any
	}{{"SUCCEEDED", succeeded}, {"FAILED", failed}} {
		if len(f.list) == 0 {
			continue
		}
		name, text := resultFile(f.status, outputType, f.list)
		if err := writeObject(ex.r.opts.S3Dir, filepath.Join(dir, name), text); err != nil {
			return nil, failure("States.ResultWriterFailed", err.Error())
		}
		files[f.status] = []any{map[string]any{"Key": keyPrefix + name, "Size": jsonInt(len(text))}}
	}
	manifest := map[string]any{"DestinationBucket": bucket, "MapRunArn": mapRunArn, "ResultFiles": files}
	if err := writeObject(ex.r.opts.S3Dir, filepath.Join(dir, "manifest.json"), toJSON(manifest)); err != nil {
		return nil, failure("States.ResultWriterFailed", err.Error())
	}
	return value.ObjectOf("MapRunArn", mapRunArn,
		"ResultWriterDetails", value.ObjectOf("Bucket", bucket, "Key", keyPrefix+"manifest.json")), nil
}

// writerConfig reads a ResultWriter's WriterConfig: the output type (JSON or JSONL) and whether
// the records are transformed to their input and output only (COMPACT, FLATTEN).
func writerConfig(rw *load.Node) (outputType string, compact bool) {
	outputType = "JSON"
	if wc := rw.Get("WriterConfig"); wc != nil {
		if t := wc.Get("OutputType"); t != nil {
			outputType = t.Text
		}
		if t := wc.Get("Transformation"); t != nil {
			compact = t.Text == "COMPACT" || t.Text == "FLATTEN"
		}
	}
	return outputType, compact
}

// childRecords builds the record AWS writes for each child execution of the Map Run, split by
// outcome.
func (s *stateRun) childRecords(rec *mapRecord, results []any, id, label string, compact bool) (succeeded, failed []any, serr *stateError) {
	ex := s.t.ex
	stamp := timeText(s.t.timestamp())
	for i, out := range results {
		if s.t.stopped() {
			return nil, nil, abortedError()
		}
		var in any
		if i < len(rec.inputs) {
			in = rec.inputs[i]
		}
		name := fmt.Sprintf("%s-%d", id[:8], i)
		// The result files are written with their keys sorted (toJSON of a Go map), as AWS's list them.
		e := map[string]any{
			"ExecutionArn": fmt.Sprintf("arn:aws:states:%s:%s:execution:%s/%s:%s", ex.r.opts.Region, ex.r.opts.Account, ex.r.opts.StateMachineName, label, name),
			"Input":        toJSON(in), "InputDetails": map[string]any{"Included": true}, "Name": name,
			"RedriveCount": jsonInt(0), "StartDate": stamp, "StopDate": stamp,
			"StateMachineArn": fmt.Sprintf("arn:aws:states:%s:%s:stateMachine:%s/%s", ex.r.opts.Region, ex.r.opts.Account, ex.r.opts.StateMachineName, label),
		}
		if ferr := rec.failed[i]; ferr != nil {
			e["Status"], e["Error"], e["Cause"] = "FAILED", ferr.Error, ferr.Cause
			e["RedriveStatus"], e["RedriveStatusReason"] = "NOT_REDRIVABLE", "Execution is a child of a Map Run"
			failed = append(failed, e)
			continue
		}
		e["Status"], e["Output"], e["OutputDetails"] = "SUCCEEDED", toJSON(out), map[string]any{"Included": true}
		e["RedriveStatus"], e["RedriveStatusReason"] = "NOT_REDRIVABLE", "Execution is SUCCEEDED and cannot be redriven"
		if compact {
			e = map[string]any{"Input": e["Input"], "Output": e["Output"]}
		}
		succeeded = append(succeeded, e)
	}
	return succeeded, failed, nil
}

// resultFile names and writes the text of one result file: a JSON array, or one record a line
// for JSONL.
func resultFile(status, outputType string, list []any) (name, text string) {
	if outputType != "JSONL" {
		return status + "_0.json", toJSON(list)
	}
	var b strings.Builder
	for _, e := range list {
		b.WriteString(toJSON(e))
		b.WriteByte('\n')
	}
	return status + "_0.jsonl", b.String()
}

// writeObject writes one result file under the local S3 directory root; a symbolic link cannot
// redirect it out of root.
func writeObject(root, name, text string) error {
	if err := load.CheckInside(root, name); err != nil {
		return fmt.Errorf("%s: %v", name, err)
	}
	return os.WriteFile(name, []byte(text), 0o644)
}
