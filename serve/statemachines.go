package serve

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/validate"
)

func init() {
	actions["CreateStateMachine"] = op((*Server).createStateMachine)
	actions["DescribeStateMachine"] = op((*Server).describeStateMachine)
	actions["UpdateStateMachine"] = op((*Server).updateStateMachine)
	actions["DeleteStateMachine"] = op((*Server).deleteStateMachine)
	actions["ListStateMachines"] = op((*Server).listStateMachines)
	actions["ValidateStateMachineDefinition"] = op((*Server).validateDefinition)
}

// maxDefinition is AWS's limit on a definition: 1,048,576 bytes.
const maxDefinition = 1 << 20

type createSMRequest struct {
	Name                 *string        `json:"name"`
	Definition           *string        `json:"definition"`
	RoleArn              *string        `json:"roleArn"`
	Type                 string         `json:"type"`
	LoggingConfiguration map[string]any `json:"loggingConfiguration"`
	TracingConfiguration map[string]any `json:"tracingConfiguration"`
	Tags                 []tag          `json:"tags"`
}

func (s *Server) createStateMachine(_ context.Context, req *createSMRequest) (any, *apiError) {
	switch {
	case req.Name == nil:
		return nil, required("name")
	case req.Definition == nil:
		return nil, required("definition")
	case req.RoleArn == nil:
		return nil, required("roleArn")
	}
	if e := checkName("name", *req.Name); e != nil {
		return nil, e
	}
	typ, e := machineType(req.Type)
	if e != nil {
		return nil, e
	}
	if e := checkRoleArn(*req.RoleArn); e != nil {
		return nil, e
	}
	if e := checkTags(req.Tags); e != nil {
		return nil, e
	}
	m, e := checkDefinition(*req.Definition, typ)
	if e != nil {
		return nil, e
	}
	rec := &machineRec{
		Arn: s.smArn(*req.Name), Name: *req.Name, Definition: *req.Definition, RoleArn: *req.RoleArn, Type: typ,
		Created: s.now(), Logging: req.LoggingConfiguration, Tracing: req.TracingConfiguration, machine: m, RevisionID: newUUID(),
	}
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	if old, ok := st.machines[rec.Arn]; ok {
		// AWS: creating the same machine again is idempotent; a different one under the name is refused.
		if old.Definition == rec.Definition && old.RoleArn == rec.RoleArn && old.Type == rec.Type {
			return map[string]any{"stateMachineArn": old.Arn, "creationDate": epoch(old.Created)}, nil
		}
		return nil, errorf(errSMAlreadyExists, "State Machine Already Exists: '%s'", rec.Arn)
	}
	if e := s.persist(bucketMachines, rec.Arn, toDisk(rec)); e != nil {
		return nil, e
	}
	st.machines[rec.Arn] = rec
	if len(req.Tags) > 0 {
		st.tags[rec.Arn] = mergeTags(nil, req.Tags)
		if e := s.persist(bucketTags, rec.Arn, st.tags[rec.Arn]); e != nil {
			return nil, e
		}
	}
	return map[string]any{"stateMachineArn": rec.Arn, "creationDate": epoch(rec.Created)}, nil
}

// now is the time of an API change, to the millisecond as AWS keeps it.
func (s *Server) now() time.Time { return s.opts.Now().UTC().Truncate(time.Millisecond) }

func machineType(t string) (string, *apiError) {
	switch t {
	case "":
		return "STANDARD", nil
	case "STANDARD", "EXPRESS":
		return t, nil
	}
	return "", errorf(errValidation, "1 validation error detected: Value '%s' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]", clipText(t, 100))
}

// checkRoleArn accepts any ARN (no role is assumed locally).
func checkRoleArn(s string) *apiError {
	if len(s) > maxArn {
		return tooLong("roleArn", maxArn)
	}
	if !strings.HasPrefix(s, "arn:") || strings.Count(s, ":") < 5 {
		return errorf(errInvalidArn, "Invalid Arn: 'Invalid ARN prefix: %s'", clipText(s, 100))
	}
	return nil
}

// checkDefinition parses and validates a definition as AWS does before it creates or runs a
// machine; the errors are the diagnostics sfn validate gives, as AWS's InvalidDefinition.
func checkDefinition(def, typ string) (*asl.Machine, *apiError) {
	if len(def) > maxDefinition {
		return nil, tooLong("definition", maxDefinition)
	}
	doc, ds := diagnose(def, typ, validate.Error)
	if len(ds) > 0 {
		return nil, invalidDefinition(ds)
	}
	m := asl.Build(doc)
	if m == nil || !load.IsDefinition(doc.Root) {
		return nil, errorf(errInvalidDefinition, "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The definition must have States and StartAt at /'")
	}
	return m, nil
}

// diagnose parses def (JSON, as AWS takes it) and runs sfn validate's rules at severity min or above.
func diagnose(def, typ string, minSev validate.Severity) (*load.Document, []validate.Diagnostic) {
	opts := &validate.Options{Type: typ, MinSeverity: minSev, Severity: map[string]validate.Severity{}}
	doc, err := load.Parse("definition", []byte(def), load.JSON)
	if err != nil {
		return doc, []validate.Diagnostic{validate.LoadError("definition", err, opts)}
	}
	return doc, validate.Check(doc, opts)
}

// invalidDefinition is AWS's InvalidDefinition with every diagnostic: "CODE: message at /pointer
// (line:col)", joined as AWS joins them.
func invalidDefinition(ds []validate.Diagnostic) *apiError {
	parts := make([]string, 0, len(ds))
	for _, d := range ds {
		parts = append(parts, diagnosticText(d))
	}
	return errorf(errInvalidDefinition, "Invalid State Machine Definition: '%s'", strings.Join(parts, ", "))
}

func diagnosticText(d validate.Diagnostic) string {
	return fmt.Sprintf("%s: %s at %s (line %d, column %d)", cmp.Or(d.Code, "SCHEMA_VALIDATION_FAILED"), d.Message, cmp.Or(d.Location, "/"), d.Pos.Line, d.Pos.Col)
}

type smArnRequest struct {
	StateMachineArn *string `json:"stateMachineArn"`
}

// machine finds the state machine of an ARN member.
func (s *Server) machine(member string, p *string) (*machineRec, *apiError) {
	if p == nil {
		return nil, required(member)
	}
	if _, e := parseArn(*p, "stateMachine"); e != nil {
		return nil, e
	}
	s.store.mu.RLock()
	m := s.store.machines[*p]
	s.store.mu.RUnlock()
	if m == nil {
		return nil, smDoesNotExist(*p)
	}
	return m, nil
}

func (s *Server) describeStateMachine(_ context.Context, req *smArnRequest) (any, *apiError) {
	m, e := s.machine("stateMachineArn", req.StateMachineArn)
	if e != nil {
		return nil, e
	}
	s.store.mu.RLock()
	defer s.store.mu.RUnlock()
	return describeMachine(m), nil
}

func describeMachine(m *machineRec) map[string]any {
	out := map[string]any{
		"stateMachineArn": m.Arn, "name": m.Name, "status": "ACTIVE", "definition": m.Definition, "roleArn": m.RoleArn,
		"type": m.Type, "creationDate": epoch(m.Created), "revisionId": m.RevisionID,
		"loggingConfiguration": orDefault(m.Logging, map[string]any{"level": "OFF", "includeExecutionData": false}),
		"tracingConfiguration": orDefault(m.Tracing, map[string]any{"enabled": false}),
	}
	if m.Description != "" {
		out["description"] = m.Description
	}
	return out
}

type updateSMRequest struct {
	StateMachineArn      *string        `json:"stateMachineArn"`
	Definition           *string        `json:"definition"`
	RoleArn              *string        `json:"roleArn"`
	LoggingConfiguration map[string]any `json:"loggingConfiguration"`
	TracingConfiguration map[string]any `json:"tracingConfiguration"`
}

func (s *Server) updateStateMachine(_ context.Context, req *updateSMRequest) (any, *apiError) {
	old, e := s.machine("stateMachineArn", req.StateMachineArn)
	if e != nil {
		return nil, e
	}
	if req.Definition == nil && req.RoleArn == nil && req.LoggingConfiguration == nil && req.TracingConfiguration == nil {
		return nil, errorf("MissingRequiredParameter", "Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified")
	}
	next := *old // executions keep the record they started with
	if req.RoleArn != nil {
		if e := checkRoleArn(*req.RoleArn); e != nil {
			return nil, e
		}
		next.RoleArn = *req.RoleArn
	}
	if req.Definition != nil {
		m, e := checkDefinition(*req.Definition, old.Type)
		if e != nil {
			return nil, e
		}
		next.Definition, next.machine = *req.Definition, m
	}
	if req.LoggingConfiguration != nil {
		next.Logging = req.LoggingConfiguration
	}
	if req.TracingConfiguration != nil {
		next.Tracing = req.TracingConfiguration
	}
	next.RevisionID = newUUID()
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.machines[old.Arn] != old {
		return nil, smDoesNotExist(old.Arn)
	}
	if e := s.persist(bucketMachines, next.Arn, toDisk(&next)); e != nil {
		return nil, e
	}
	st.machines[old.Arn] = &next
	return map[string]any{"updateDate": epoch(s.now()), "revisionId": next.RevisionID}, nil
}

func (s *Server) deleteStateMachine(_ context.Context, req *smArnRequest) (any, *apiError) {
	if req.StateMachineArn == nil {
		return nil, required("stateMachineArn")
	}
	if _, e := parseArn(*req.StateMachineArn, "stateMachine"); e != nil {
		return nil, e
	}
	// AWS deletes asynchronously and lets running executions finish; deleting a machine that
	// does not exist succeeds.
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	if e := s.persist(bucketMachines, *req.StateMachineArn, nil); e != nil {
		return nil, e
	}
	if e := s.persist(bucketTags, *req.StateMachineArn, nil); e != nil {
		return nil, e
	}
	delete(st.machines, *req.StateMachineArn)
	delete(st.tags, *req.StateMachineArn)
	return struct{}{}, nil
}

type listRequest struct {
	MaxResults int    `json:"maxResults"`
	NextToken  string `json:"nextToken"`
}

func (s *Server) listStateMachines(_ context.Context, req *listRequest) (any, *apiError) {
	all := s.store.sortedMachines()
	from, to, next, e := page(len(all), req.NextToken, req.MaxResults)
	if e != nil {
		return nil, e
	}
	items := make([]map[string]any, 0, to-from)
	for _, m := range all[from:to] {
		items = append(items, map[string]any{"stateMachineArn": m.Arn, "name": m.Name, "type": m.Type, "creationDate": epoch(m.Created)})
	}
	out := map[string]any{"stateMachines": items}
	if next != "" {
		out["nextToken"] = next
	}
	return out, nil
}

type validateRequest struct {
	Definition *string `json:"definition"`
	Type       string  `json:"type"`
	Severity   string  `json:"severity"`
	MaxResults int     `json:"maxResults"`
}

// validateDefinition answers ValidateStateMachineDefinition in AWS's shape: result OK or FAIL,
// diagnostics (severity, code, message, location), truncated.
func (s *Server) validateDefinition(_ context.Context, req *validateRequest) (any, *apiError) {
	if req.Definition == nil {
		return nil, required("definition")
	}
	if len(*req.Definition) > maxDefinition {
		return nil, tooLong("definition", maxDefinition)
	}
	typ, e := machineType(req.Type)
	if e != nil {
		return nil, e
	}
	minSev := validate.Error
	switch req.Severity {
	case "", "ERROR":
	case "WARNING":
		minSev = validate.Warning
	default:
		return nil, errorf(errValidation, "1 validation error detected: Value '%s' at 'severity' failed to satisfy constraint: Member must satisfy enum value set: [ERROR, WARNING]", clipText(req.Severity, 100))
	}
	if req.MaxResults < 0 || req.MaxResults > 100 {
		return nil, errorf(errValidation, "1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100", req.MaxResults)
	}
	maxResults := cmp.Or(req.MaxResults, 100)
	_, ds := diagnose(*req.Definition, typ, minSev)
	result := "OK"
	items := []map[string]any{}
	for _, d := range ds {
		if d.Severity == validate.Error {
			result = "FAIL"
		}
		if len(items) < maxResults {
			items = append(items, map[string]any{"severity": d.Severity.AWS(), "code": cmp.Or(d.Code, "SCHEMA_VALIDATION_FAILED"),
				"message": fmt.Sprintf("%s (line %d, column %d)", d.Message, d.Pos.Line, d.Pos.Col), "location": cmp.Or(d.Location, "/")})
		}
	}
	return map[string]any{"result": result, "diagnostics": items, "truncated": len(ds) > maxResults}, nil
}

// orDefault is m, or def when m is nil.
func orDefault(m, def map[string]any) map[string]any {
	if m == nil {
		return def
	}
	return m
}
