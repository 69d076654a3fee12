package serve

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/sfn-tool/sfn/run"
)

func init() {
	actions["GetExecutionHistory"] = op((*Server).getExecutionHistory)
}

type historyRequest struct {
	ExecutionArn         *string `json:"executionArn"`
	MaxResults           int     `json:"maxResults"`
	NextToken            string  `json:"nextToken"`
	ReverseOrder         bool    `json:"reverseOrder"`
	IncludeExecutionData *bool   `json:"includeExecutionData"`
}

// getExecutionHistory answers the events recorded so far, as sfn run --history json writes them
// (timestamps in AWS JSON 1.0's epoch seconds), paginated.
func (s *Server) getExecutionHistory(_ context.Context, req *historyRequest) (any, *apiError) {
	rec, e := s.execution(req.ExecutionArn)
	if e != nil {
		return nil, e
	}
	rec.mu.Lock()
	events := append([]run.Event(nil), rec.events...) // finish may still set the last event's details
	rec.mu.Unlock()
	from, to, next, e := page(len(events), req.NextToken, req.MaxResults)
	if e != nil {
		return nil, e
	}
	withData := req.IncludeExecutionData == nil || *req.IncludeExecutionData
	b := []byte(`{"events":[`)
	for i := from; i < to; i++ {
		ev := events[i]
		if req.ReverseOrder {
			ev = events[len(events)-1-i]
		}
		if i > from {
			b = append(b, ',')
		}
		var err error
		if b, err = appendEvent(b, ev, withData); err != nil {
			return nil, &apiError{Type: errInternalFailure, Message: "encoding the history: " + err.Error(), Status: 500}
		}
	}
	b = append(b, ']')
	if next != "" {
		b = append(b, `,"nextToken":`...)
		b = appendString(b, next)
	}
	b = append(b, '}')
	return json.RawMessage(b), nil
}

// executionData are the members of event details that includeExecutionData=false leaves out.
var executionData = map[string]bool{"input": true, "inputDetails": true, "output": true, "outputDetails": true, "parameters": true}

// appendEvent appends one event in the API's shape: id, previousEventId, timestamp (epoch
// seconds), type and the details member.
func appendEvent(b []byte, ev run.Event, withData bool) ([]byte, error) {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, ev.ID, 10)
	b = append(b, `,"previousEventId":`...)
	b = strconv.AppendInt(b, ev.PreviousEventID, 10)
	b = append(b, `,"timestamp":`...)
	b = appendEpoch(b, ev.Timestamp.UnixMilli())
	b = append(b, `,"type":`...)
	b = appendString(b, ev.Type)
	if ev.DetailsKey != "" {
		d := ev.DetailsMap()
		if !withData {
			all := d
			d = make(map[string]any, len(all))
			for k, v := range all {
				if !executionData[k] {
					d[k] = v
				}
			}
		}
		text, err := json.Marshal(d)
		if err != nil {
			return b, err
		}
		b = append(b, ',')
		b = appendString(b, ev.DetailsKey)
		b = append(b, ':')
		b = append(b, text...)
	}
	return append(b, '}'), nil
}

// appendString appends s as a JSON string.
func appendString(b []byte, s string) []byte {
	text, _ := json.Marshal(s)
	return append(b, text...)
}
