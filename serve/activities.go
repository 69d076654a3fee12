package serve

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/sfn-tool/sfn/pkg/value"
	"github.com/sfn-tool/sfn/run"
)

func init() {
	actions["CreateActivity"] = op((*Server).createActivity)
	actions["DescribeActivity"] = op((*Server).describeActivity)
	actions["DeleteActivity"] = op((*Server).deleteActivity)
	actions["ListActivities"] = op((*Server).listActivities)
	actions["GetActivityTask"] = op((*Server).getActivityTask)
}

// activityPoll is how long GetActivityTask waits for a task, as AWS: 60 seconds.
const activityPoll = 60 * time.Second

// activityTask is a task scheduled on an activity, waiting for a worker.
type activityTask struct {
	token, input string
	taken        bool
}

// activityQueue holds the tasks of one activity ARN not yet taken by a worker.
type activityQueue struct {
	mu     sync.Mutex
	tasks  []*activityTask
	notify chan struct{} // closed and replaced when a task is queued
}

func (s *Server) queue(arn string) *activityQueue {
	s.qmu.Lock()
	defer s.qmu.Unlock()
	if s.queues == nil {
		s.queues = map[string]*activityQueue{}
	}
	q := s.queues[arn]
	if q == nil {
		q = &activityQueue{notify: make(chan struct{})}
		s.queues[arn] = q
	}
	return q
}

func (q *activityQueue) push(t *activityTask) {
	q.mu.Lock()
	q.tasks = append(q.tasks, t)
	close(q.notify)
	q.notify = make(chan struct{})
	q.mu.Unlock()
}

// pop takes the oldest task, or returns the channel to wait on.
func (q *activityQueue) pop() (*activityTask, <-chan struct{}) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.tasks) > 0 {
		t := q.tasks[0]
		q.tasks[0] = nil
		q.tasks = q.tasks[1:]
		t.taken = true
		return t, nil
	}
	return nil, q.notify
}

// remove drops a task no worker took (its execution ended).
func (q *activityQueue) remove(t *activityTask) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, x := range q.tasks {
		if x == t {
			q.tasks = append(q.tasks[:i], q.tasks[i+1:]...)
			return
		}
	}
}

// activityHandler runs an activity task: it queues the task for GetActivityTask and waits for
// the worker's SendTaskSuccess / SendTaskFailure (HeartbeatSeconds enforced as for callbacks).
type activityHandler struct {
	s   *Server
	arn string
}

// Slow tells the virtual clock's scheduler that the handler waits in real time.
func (h *activityHandler) Slow() bool { return true }

// KeepsHeartbeat tells the interpreter that the handler enforces HeartbeatSeconds.
func (h *activityHandler) KeepsHeartbeat() bool { return true }

// Invoke queues the task and waits for its answer.
func (h *activityHandler) Invoke(ctx context.Context, req run.TaskRequest) run.TaskResult {
	token := req.TaskToken
	if token == "" {
		token = fmt.Sprintf("AQC%sTOKEN%s#%d", newUUID(), req.StateName, req.Attempt)
	}
	w := h.s.tokens.register(token)
	t := &activityTask{token: token, input: string(value.AppendJSON(nil, req.Input))}
	q := h.s.queue(h.arn)
	q.push(t)
	defer q.remove(t)
	return waitForAnswer(ctx, h.s.tokens, w, token, req.Heartbeat)
}

type activityRequest struct {
	Name        *string `json:"name"`
	ActivityArn *string `json:"activityArn"`
	WorkerName  string  `json:"workerName"`
	Tags        []tag   `json:"tags"`
}

func (s *Server) createActivity(_ context.Context, req *activityRequest) (any, *apiError) {
	if req.Name == nil {
		return nil, required("name")
	}
	if e := checkName("name", *req.Name); e != nil {
		return nil, e
	}
	if e := checkTags(req.Tags); e != nil {
		return nil, e
	}
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	arn := s.activityArn(*req.Name)
	if a := st.activities[arn]; a != nil { // AWS: idempotent
		return map[string]any{"activityArn": a.Arn, "creationDate": epoch(a.Created)}, nil
	}
	a := &activityRec{Arn: arn, Name: *req.Name, Created: s.now()}
	if e := s.persist(bucketActivities, arn, a); e != nil {
		return nil, e
	}
	st.activities[arn] = a
	if len(req.Tags) > 0 {
		st.tags[arn] = mergeTags(nil, req.Tags)
		if e := s.persist(bucketTags, arn, st.tags[arn]); e != nil {
			return nil, e
		}
	}
	return map[string]any{"activityArn": a.Arn, "creationDate": epoch(a.Created)}, nil
}

func (s *Server) activity(p *string) (*activityRec, *apiError) {
	if p == nil {
		return nil, required("activityArn")
	}
	if _, e := parseArn(*p, "activity"); e != nil {
		return nil, e
	}
	s.store.mu.RLock()
	defer s.store.mu.RUnlock()
	a := s.store.activities[*p]
	if a == nil {
		return nil, activityDoesNotExist(*p)
	}
	return a, nil
}

func (s *Server) describeActivity(_ context.Context, req *activityRequest) (any, *apiError) {
	a, e := s.activity(req.ActivityArn)
	if e != nil {
		return nil, e
	}
	return map[string]any{"activityArn": a.Arn, "name": a.Name, "creationDate": epoch(a.Created)}, nil
}

func (s *Server) deleteActivity(_ context.Context, req *activityRequest) (any, *apiError) {
	if req.ActivityArn == nil {
		return nil, required("activityArn")
	}
	if _, e := parseArn(*req.ActivityArn, "activity"); e != nil {
		return nil, e
	}
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	if e := s.persist(bucketActivities, *req.ActivityArn, nil); e != nil {
		return nil, e
	}
	if e := s.persist(bucketTags, *req.ActivityArn, nil); e != nil {
		return nil, e
	}
	delete(s.store.activities, *req.ActivityArn)
	delete(s.store.tags, *req.ActivityArn)
	return struct{}{}, nil
}

func (s *Server) listActivities(_ context.Context, req *listRequest) (any, *apiError) {
	s.store.mu.RLock()
	all := make([]*activityRec, 0, len(s.store.activities))
	for _, a := range s.store.activities {
		all = append(all, a)
	}
	s.store.mu.RUnlock()
	sortByName(all, func(a *activityRec) string { return a.Name })
	from, to, next, e := page(len(all), req.NextToken, req.MaxResults)
	if e != nil {
		return nil, e
	}
	items := []map[string]any{}
	for _, a := range all[from:to] {
		items = append(items, map[string]any{"activityArn": a.Arn, "name": a.Name, "creationDate": epoch(a.Created)})
	}
	out := map[string]any{"activities": items}
	if next != "" {
		out["nextToken"] = next
	}
	return out, nil
}

// getActivityTask long-polls for a task of the activity: up to 60 seconds, then an empty answer.
func (s *Server) getActivityTask(ctx context.Context, req *activityRequest) (any, *apiError) {
	a, e := s.activity(req.ActivityArn)
	if e != nil {
		return nil, e
	}
	if len(req.WorkerName) > maxName {
		return nil, tooLong("workerName", maxName)
	}
	q := s.queue(a.Arn)
	timer := time.NewTimer(s.pollTimeout())
	defer timer.Stop()
	for {
		t, wait := q.pop()
		if t != nil {
			return map[string]any{"taskToken": t.token, "input": t.input}, nil
		}
		select {
		case <-wait:
		case <-timer.C:
			return struct{}{}, nil
		case <-ctx.Done():
			return struct{}{}, nil
		case <-s.ctx.Done():
			return struct{}{}, nil
		}
	}
}

func (s *Server) pollTimeout() time.Duration {
	if s.poll > 0 {
		return s.poll
	}
	return activityPoll
}
