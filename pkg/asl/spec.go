package asl

import "sort"

// StateTypes lists the eight state types in the order AWS lists them in its messages.
var StateTypes = []string{"Task", "Wait", "Pass", "Succeed", "Fail", "Choice", "Parallel", "Map"}

// IsStateType reports whether t is one of the eight state types.
func IsStateType(t string) bool {
	for _, s := range StateTypes {
		if s == t {
			return true
		}
	}
	return false
}

// LangOnly says which query language a field belongs to ("" means both).
type LangOnly = QueryLanguage

// FieldSpec says where a state field is allowed.
type FieldSpec struct {
	Types []string      // state types that allow the field
	Only  QueryLanguage // "" when the field exists in both query languages
}

var (
	all        = []string{"Task", "Wait", "Pass", "Succeed", "Fail", "Choice", "Parallel", "Map"}
	allButFail = []string{"Task", "Wait", "Pass", "Succeed", "Choice", "Parallel", "Map"}
	flowing    = []string{"Task", "Wait", "Pass", "Parallel", "Map"} // states with Next/End
	tpm        = []string{"Task", "Parallel", "Map"}
)

// StateFields is the one table of which fields each state type allows, per query language
// (ASL spec and AWS documentation, as of the November 2024 spec).
var StateFields = map[string]FieldSpec{
	"Type":           {Types: all},
	"Comment":        {Types: all},
	"QueryLanguage":  {Types: all},
	"Next":           {Types: flowing},
	"End":            {Types: flowing},
	"InputPath":      {Types: allButFail, Only: JSONPath},
	"OutputPath":     {Types: allButFail, Only: JSONPath},
	"Output":         {Types: allButFail, Only: JSONata},
	"Assign":         {Types: []string{"Task", "Wait", "Pass", "Choice", "Parallel", "Map"}},
	"Parameters":     {Types: []string{"Task", "Pass", "Parallel", "Map"}, Only: JSONPath},
	"Arguments":      {Types: []string{"Task", "Parallel"}, Only: JSONata},
	"ResultSelector": {Types: tpm, Only: JSONPath},
	"ResultPath":     {Types: []string{"Task", "Pass", "Parallel", "Map"}, Only: JSONPath},
	"Retry":          {Types: tpm},
	"Catch":          {Types: tpm},

	"Resource":             {Types: []string{"Task"}},
	"Credentials":          {Types: []string{"Task"}},
	"TimeoutSeconds":       {Types: []string{"Task"}},
	"HeartbeatSeconds":     {Types: []string{"Task"}},
	"TimeoutSecondsPath":   {Types: []string{"Task"}, Only: JSONPath},
	"HeartbeatSecondsPath": {Types: []string{"Task"}, Only: JSONPath},

	"Result": {Types: []string{"Pass"}, Only: JSONPath},

	"Seconds":       {Types: []string{"Wait"}},
	"Timestamp":     {Types: []string{"Wait"}},
	"SecondsPath":   {Types: []string{"Wait"}, Only: JSONPath},
	"TimestampPath": {Types: []string{"Wait"}, Only: JSONPath},

	"Choices": {Types: []string{"Choice"}},
	"Default": {Types: []string{"Choice"}},

	"Error":     {Types: []string{"Fail"}},
	"Cause":     {Types: []string{"Fail"}},
	"ErrorPath": {Types: []string{"Fail"}, Only: JSONPath},
	"CausePath": {Types: []string{"Fail"}, Only: JSONPath},

	"Branches": {Types: []string{"Parallel"}},

	"ItemProcessor":                  {Types: []string{"Map"}},
	"Iterator":                       {Types: []string{"Map"}},
	"ItemReader":                     {Types: []string{"Map"}},
	"ItemSelector":                   {Types: []string{"Map"}},
	"ItemBatcher":                    {Types: []string{"Map"}},
	"ResultWriter":                   {Types: []string{"Map"}},
	"MaxConcurrency":                 {Types: []string{"Map"}},
	"MaxConcurrencyPath":             {Types: []string{"Map"}, Only: JSONPath},
	"ToleratedFailureCount":          {Types: []string{"Map"}},
	"ToleratedFailurePercentage":     {Types: []string{"Map"}},
	"ToleratedFailureCountPath":      {Types: []string{"Map"}, Only: JSONPath},
	"ToleratedFailurePercentagePath": {Types: []string{"Map"}, Only: JSONPath},
	"Label":                          {Types: []string{"Map"}},
	"ItemsPath":                      {Types: []string{"Map"}, Only: JSONPath},
	"Items":                          {Types: []string{"Map"}, Only: JSONata},
}

// FieldAllowed reports whether a state of type typ may have field name at all (ignoring the query language).
func FieldAllowed(typ, name string) bool {
	spec, ok := StateFields[name]
	if !ok {
		return false
	}
	for _, t := range spec.Types {
		if t == typ {
			return true
		}
	}
	return false
}

// AllowedFields returns the sorted field names allowed for a state type in a query language.
func AllowedFields(typ string, ql QueryLanguage) []string {
	var out []string
	for name, spec := range StateFields {
		if spec.Only != "" && spec.Only != ql {
			continue
		}
		for _, t := range spec.Types {
			if t == typ {
				out = append(out, name)
				break
			}
		}
	}
	sort.Strings(out)
	return out
}

// ScopeFields are the fields a nested States scope (Parallel branch, Map processor) may have.
var ScopeFields = map[string]bool{"StartAt": true, "States": true, "Comment": true}

// ProcessorFields are the extra fields an ItemProcessor may have.
var ProcessorFields = map[string]bool{"ProcessorConfig": true}

// TopLevelFields are the fields a top-level definition may have.
var TopLevelFields = map[string]bool{"StartAt": true, "States": true, "Comment": true, "Version": true, "TimeoutSeconds": true, "QueryLanguage": true}

// RetrierFields are the fields of a Retry entry.
var RetrierFields = map[string]bool{"ErrorEquals": true, "IntervalSeconds": true, "MaxAttempts": true, "BackoffRate": true, "MaxDelaySeconds": true, "JitterStrategy": true, "Comment": true}

// CatcherFields are the fields of a Catch entry, per query language ("" = both).
var CatcherFields = map[string]QueryLanguage{"ErrorEquals": "", "Next": "", "Comment": "", "Assign": "", "ResultPath": JSONPath, "Output": JSONata}

// ComparisonOperators lists the JSONPath Choice comparison operators and the JSON type of their operand
// ("string", "number", "boolean", "timestamp", "path" for the *Path forms).
var ComparisonOperators = func() map[string]string {
	ops := map[string]string{
		"BooleanEquals": "boolean", "BooleanEqualsPath": "path",
		"StringMatches": "string",
		"IsNull":        "boolean", "IsPresent": "boolean", "IsNumeric": "boolean", "IsString": "boolean", "IsBoolean": "boolean", "IsTimestamp": "boolean",
	}
	for _, kind := range []string{"String", "Numeric", "Timestamp"} {
		typ := map[string]string{"String": "string", "Numeric": "number", "Timestamp": "timestamp"}[kind]
		for _, op := range []string{"Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals"} {
			ops[kind+op] = typ
			ops[kind+op+"Path"] = "path"
		}
	}
	return ops
}()

// ChoiceRuleFields are the non-operator fields of a choice rule, per query language ("" = both).
var ChoiceRuleFields = map[string]QueryLanguage{"Next": "", "Comment": "", "Assign": "", "Variable": JSONPath, "And": JSONPath, "Or": JSONPath, "Not": JSONPath, "Condition": JSONata, "Output": JSONata}

// PredefinedErrors are the error names starting with "States." that AWS defines.
var PredefinedErrors = []string{
	"States.ALL", "States.HeartbeatTimeout", "States.Timeout", "States.TaskFailed", "States.Permissions",
	"States.ResultPathMatchFailure", "States.ParameterPathFailure", "States.QueryEvaluationError",
	"States.BranchFailed", "States.NoChoiceMatched", "States.IntrinsicFailure",
	"States.ExceedToleratedFailureThreshold", "States.ItemReaderFailed", "States.ResultWriterFailed",
	"States.Runtime", "States.DataLimitExceeded",
}

// ContextObjectFields lists the known "$$." paths (first two levels).
var ContextObjectFields = map[string][]string{
	"Execution":    {"Id", "Input", "Name", "RoleArn", "StartTime", "RedriveCount", "RedriveTime"},
	"State":        {"EnteredTime", "Name", "RetryCount"},
	"StateMachine": {"Id", "Name"},
	"Task":         {"Token"},
	"Map":          {"Item"},
}
