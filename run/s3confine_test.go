package run

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A symbolic link inside the local S3 directory cannot make an ItemReader read, or a ResultWriter
// write, outside it; an object larger than the cap is refused without being read whole.
func TestS3DirConfined(t *testing.T) {
	outside := t.TempDir()
	writeFile(t, filepath.Join(outside, "secret.json"), `["secret"]`)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "data", "ok.json"), `[1]`)
	if err := os.Symlink(filepath.Join(outside, "secret.json"), filepath.Join(dir, "data", "link.json")); err != nil {
		t.Skip("symlinks:", err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "out")); err != nil {
		t.Fatal(err)
	}
	get := func(key string) *Result {
		return runS3(t, dir, distributedMap(`{"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON"},
		  "Parameters": {"Bucket": "data", "Key": "`+key+`"}}`, ""), `{}`)
	}
	if res := get("ok.json"); res.Status != Succeeded {
		t.Fatalf("inside: %s %s %s", res.Status, res.Error, res.Cause)
	}
	res := get("link.json")
	if res.Status != Failed || res.Error != "States.ItemReaderFailed" || strings.Contains(res.Cause, "secret\"") || !strings.Contains(res.Cause, "leaves the project root") {
		t.Errorf("link out: %s %s %s", res.Status, res.Error, res.Cause)
	}
	res = runS3(t, dir, distributedMap(`{"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "data"}}`, ""), `{}`)
	if res.Status != Failed || !strings.Contains(res.Cause, "leaves the project root") {
		t.Errorf("list with a link out: %s %s %s", res.Status, res.Error, res.Cause)
	}

	f, err := os.Create(filepath.Join(dir, "data", "big.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(maxObjectSize + 1); err != nil { // sparse: costs no disk
		t.Fatal(err)
	}
	f.Close()
	if res := get("big.json"); res.Status != Failed || !strings.Contains(res.Cause, "more than the limit") {
		t.Errorf("big object: %s %s %s", res.Status, res.Error, res.Cause)
	}

	def := `{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "Label": "L",
	  "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON"}, "Parameters": {"Bucket": "data", "Key": "ok.json"}},
	  "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "out", "Prefix": "runs"}},
	  "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
	    "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}}`
	res = runS3(t, dir, def, `{}`)
	if res.Status != Failed || res.Error != "States.ResultWriterFailed" || !strings.Contains(res.Cause, "leaves the project root") {
		t.Errorf("writer through a link: %s %s %s", res.Status, res.Error, res.Cause)
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 1 {
		t.Errorf("the ResultWriter wrote outside the S3 directory: %v", entries)
	}
}
