package serve

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/sfn-tool/sfn/run"
)

// diskStore keeps state machines, activities, tags and finished executions in one bbolt file
// (DIR/sfn-serve.db) so that they outlive the server: bbolt is pure Go (the binary stays static,
// no cgo), one file with ACID transactions that are synced before a write returns, and an
// exclusive lock so that two servers never share a directory; etcd maintains it.
type diskStore struct {
	db *bolt.DB
}

// Bucket names.
var (
	bucketMachines   = []byte("stateMachines")
	bucketActivities = []byte("activities")
	bucketExecutions = []byte("executions")
	bucketTags       = []byte("tags")
)

// dataFile is the store's file in the data directory.
const dataFile = "sfn-serve.db"

// openDisk opens (or creates) the store in dir.
func openDisk(dir string) (*diskStore, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, dataFile)
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		if errors.Is(err, bolt.ErrTimeout) {
			return nil, fmt.Errorf("%s is in use by another sfn serve", path)
		}
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketMachines, bucketActivities, bucketExecutions, bucketTags} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return &diskStore{db: db}, nil
}

func (d *diskStore) close() error { return d.db.Close() }

// put writes v as JSON under key (nil v deletes it).
func (d *diskStore) put(bucket []byte, key string, v any) error {
	if d == nil {
		return nil
	}
	var data []byte
	if v != nil {
		var err error
		if data, err = json.Marshal(v); err != nil {
			return err
		}
	}
	return d.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucket)
		if v == nil {
			return b.Delete([]byte(key))
		}
		return b.Put([]byte(key), data)
	})
}

// machineDisk, activityDisk and execDisk are the records as stored.
type machineDisk struct {
	Arn, Name, Definition, RoleArn, Type, Description, RevisionID string
	Created                                                       time.Time
	Logging, Tracing                                              map[string]any
}

type execDisk struct {
	Arn, Name, MachineArn, Type, TestCase, Input string
	Start, Stop                                  time.Time
	Status                                       string
	Output, Error, Cause                         *string
	Machine                                      machineDisk
	Events                                       []json.RawMessage // in the API's shape
}

func toDisk(m *machineRec) machineDisk {
	return machineDisk{Arn: m.Arn, Name: m.Name, Definition: m.Definition, RoleArn: m.RoleArn, Type: m.Type,
		Description: m.Description, RevisionID: m.RevisionID, Created: m.Created, Logging: m.Logging, Tracing: m.Tracing}
}

// fromDisk rebuilds a machine (its model from the definition, which was valid when stored).
func fromDisk(d machineDisk) (*machineRec, error) {
	m, e := checkDefinition(d.Definition, d.Type)
	if e != nil {
		return nil, errors.New(e.Message)
	}
	return &machineRec{Arn: d.Arn, Name: d.Name, Definition: d.Definition, RoleArn: d.RoleArn, Type: d.Type, Description: d.Description,
		RevisionID: d.RevisionID, Created: d.Created, Logging: d.Logging, Tracing: d.Tracing, machine: m}, nil
}

// saveExecution stores a finished execution (rec.mu held).
func (d *diskStore) saveExecution(rec *execRec) error {
	if d == nil {
		return nil
	}
	x := execDisk{Arn: rec.Arn, Name: rec.Name, MachineArn: rec.MachineArn, Type: rec.Type, TestCase: rec.TestCase, Input: rec.Input,
		Start: rec.Start, Stop: rec.stop, Status: rec.status, Output: rec.output, Error: rec.err, Cause: rec.cause, Machine: toDisk(rec.Machine)}
	for _, ev := range rec.events {
		b, err := appendEvent(nil, ev, true)
		if err != nil {
			return err
		}
		x.Events = append(x.Events, b)
	}
	// The key orders executions by start: a listing reads them back in start order.
	return d.put(bucketExecutions, rec.Start.UTC().Format(time.RFC3339Nano)+" "+rec.Arn, x)
}

// load fills st from the file; records it cannot read are reported and skipped.
func (d *diskStore) load(st *memStore, logf func(string, ...any)) error {
	return d.db.View(func(tx *bolt.Tx) error {
		_ = tx.Bucket(bucketMachines).ForEach(func(k, v []byte) error {
			var md machineDisk
			if err := json.Unmarshal(v, &md); err != nil {
				logf("sfn serve: data dir: state machine %q: %v (skipped)", k, err)
				return nil
			}
			m, err := fromDisk(md)
			if err != nil {
				logf("sfn serve: data dir: state machine %q: %v (skipped)", k, err)
				return nil
			}
			st.machines[m.Arn] = m
			return nil
		})
		_ = tx.Bucket(bucketActivities).ForEach(func(k, v []byte) error {
			var a activityRec
			if err := json.Unmarshal(v, &a); err != nil {
				logf("sfn serve: data dir: activity %q: %v (skipped)", k, err)
				return nil
			}
			st.activities[a.Arn] = &a
			return nil
		})
		_ = tx.Bucket(bucketTags).ForEach(func(k, v []byte) error {
			var tags []tag
			if err := json.Unmarshal(v, &tags); err == nil {
				st.tags[string(k)] = tags
			}
			return nil
		})
		return tx.Bucket(bucketExecutions).ForEach(func(k, v []byte) error {
			rec, err := execFromDisk(v)
			if err != nil {
				logf("sfn serve: data dir: execution %q: %v (skipped)", k, err)
				return nil
			}
			st.execs[rec.Arn] = rec
			st.byMachine[rec.MachineArn] = append(st.byMachine[rec.MachineArn], rec)
			return nil
		})
	})
}

func execFromDisk(v []byte) (*execRec, error) {
	var x execDisk
	if err := json.Unmarshal(v, &x); err != nil {
		return nil, err
	}
	m, err := fromDisk(x.Machine)
	if err != nil {
		return nil, err
	}
	rec := &execRec{Arn: x.Arn, Name: x.Name, MachineArn: x.MachineArn, Type: x.Type, TestCase: x.TestCase, Input: x.Input,
		Start: x.Start, Machine: m, status: x.Status, stop: x.Stop, output: x.Output, err: x.Error, cause: x.Cause,
		done: make(chan struct{})}
	close(rec.done)
	rec.cancel = func(error) {}
	for _, raw := range x.Events {
		ev, err := eventFromAPI(raw)
		if err != nil {
			return nil, err
		}
		rec.events = append(rec.events, ev)
	}
	return rec, nil
}

// eventFromAPI reads an event back from the API's shape.
func eventFromAPI(raw []byte) (run.Event, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return run.Event{}, err
	}
	var ev run.Event
	num := func(k string) float64 {
		n, _ := m[k].(json.Number)
		f, _ := n.Float64()
		return f
	}
	id, prev, ts := int64(num("id")), int64(num("previousEventId")), num("timestamp")
	ev.ID, ev.PreviousEventID, ev.Type = id, prev, fmt.Sprint(m["type"])
	ev.Timestamp = time.UnixMilli(int64(ts*1000 + 0.5)).UTC()
	for k, v := range m {
		switch k {
		case "id", "previousEventId", "timestamp", "type":
		default:
			ev.DetailsKey = k
			ev.Details, _ = v.(map[string]any)
		}
	}
	return ev, nil
}
