package serve

import (
	"context"
	"unicode/utf8"
)

func init() {
	actions["TagResource"] = op((*Server).tagResource)
	actions["UntagResource"] = op((*Server).untagResource)
	actions["ListTagsForResource"] = op((*Server).listTags)
}

// tag is a resource tag.
type tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// maxTags is AWS's limit of tags per resource.
const maxTags = 50

func checkTags(tags []tag) *apiError {
	if len(tags) > maxTags {
		return errorf(errTooManyTags, "Too many tags: a resource has at most %d", maxTags)
	}
	for _, t := range tags {
		switch {
		case t.Key == "":
			return errorf(errValidation, "1 validation error detected: Value at 'tags.key' failed to satisfy constraint: Member must have length greater than or equal to 1")
		case utf8.RuneCountInString(t.Key) > 128:
			return tooLong("tags.key", 128)
		case utf8.RuneCountInString(t.Value) > 256:
			return tooLong("tags.value", 256)
		}
	}
	return nil
}

// mergeTags sets tags on old (a key given again takes the new value).
func mergeTags(old, tags []tag) []tag {
	out := append([]tag(nil), old...)
next:
	for _, t := range tags {
		for i := range out {
			if out[i].Key == t.Key {
				out[i].Value = t.Value
				continue next
			}
		}
		out = append(out, t)
	}
	return out
}

type tagRequest struct {
	ResourceArn *string  `json:"resourceArn"`
	Tags        []tag    `json:"tags"`
	TagKeys     []string `json:"tagKeys"`
}

// resource checks that a resource ARN names a state machine or an activity that exists.
func (s *Server) resource(p *string) (string, *apiError) {
	if p == nil {
		return "", required("resourceArn")
	}
	a, e := parseArn(*p, "stateMachine", "activity")
	if e != nil {
		return "", e
	}
	s.store.mu.RLock()
	defer s.store.mu.RUnlock()
	exists := s.store.machines[*p] != nil
	if a.Kind == "activity" {
		exists = s.store.activities[*p] != nil
	}
	if !exists {
		return "", errorf(errResourceNotFound, "Resource not found: '%s'", *p)
	}
	return *p, nil
}

func (s *Server) tagResource(_ context.Context, req *tagRequest) (any, *apiError) {
	arn, e := s.resource(req.ResourceArn)
	if e != nil {
		return nil, e
	}
	if req.Tags == nil {
		return nil, required("tags")
	}
	if e := checkTags(req.Tags); e != nil {
		return nil, e
	}
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	merged := mergeTags(s.store.tags[arn], req.Tags)
	if len(merged) > maxTags {
		return nil, errorf(errTooManyTags, "Too many tags: a resource has at most %d", maxTags)
	}
	if e := s.persist(bucketTags, arn, merged); e != nil {
		return nil, e
	}
	s.store.tags[arn] = merged
	return struct{}{}, nil
}

func (s *Server) untagResource(_ context.Context, req *tagRequest) (any, *apiError) {
	arn, e := s.resource(req.ResourceArn)
	if e != nil {
		return nil, e
	}
	if req.TagKeys == nil {
		return nil, required("tagKeys")
	}
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	var kept []tag
	for _, t := range s.store.tags[arn] {
		drop := false
		for _, k := range req.TagKeys {
			drop = drop || k == t.Key
		}
		if !drop {
			kept = append(kept, t)
		}
	}
	if e := s.persist(bucketTags, arn, kept); e != nil {
		return nil, e
	}
	s.store.tags[arn] = kept
	return struct{}{}, nil
}

func (s *Server) listTags(_ context.Context, req *tagRequest) (any, *apiError) {
	arn, e := s.resource(req.ResourceArn)
	if e != nil {
		return nil, e
	}
	s.store.mu.RLock()
	defer s.store.mu.RUnlock()
	return map[string]any{"tags": append([]tag{}, s.store.tags[arn]...)}, nil
}
