package serve

import (
	"fmt"
	"net/http"
)

// apiError is an error answered in AWS JSON 1.0's shape: {"__type": Type, "message": Message}
// with an HTTP status (400 for the caller's errors, 500 for the server's).
type apiError struct {
	Type    string
	Message string
	Status  int
}

func (e *apiError) Error() string { return e.Type + ": " + e.Message }

// errorf returns a client error (HTTP 400) of type typ.
func errorf(typ, format string, args ...any) *apiError {
	return &apiError{Type: typ, Message: fmt.Sprintf(format, args...), Status: http.StatusBadRequest}
}

// AWS's error types of the Step Functions API.
const (
	errValidation            = "ValidationException"
	errInvalidArn            = "InvalidArn"
	errInvalidName           = "InvalidName"
	errInvalidDefinition     = "InvalidDefinition"
	errInvalidExecInput      = "InvalidExecutionInput"
	errInvalidOutput         = "InvalidOutput"
	errInvalidToken          = "InvalidToken"
	errSMDoesNotExist        = "StateMachineDoesNotExist"
	errSMAlreadyExists       = "StateMachineAlreadyExists"
	errSMTypeNotSupported    = "StateMachineTypeNotSupported"
	errExecDoesNotExist      = "ExecutionDoesNotExist"
	errExecAlreadyExists     = "ExecutionAlreadyExists"
	errActivityDoesNotExist  = "ActivityDoesNotExist"
	errTaskDoesNotExist      = "TaskDoesNotExist"
	errTaskTimedOut          = "TaskTimedOut"
	errResourceNotFound      = "ResourceNotFound"
	errTooManyTags           = "TooManyTags"
	errUnknownOperation      = "UnknownOperationException"
	errSerialization         = "SerializationException"
	errMissingAction         = "MissingAction"
	errInternalFailure       = "InternalFailure"
	errRequestEntityTooLarge = "RequestEntityTooLargeException"
)

func smDoesNotExist(arn string) *apiError {
	return errorf(errSMDoesNotExist, "State Machine Does Not Exist: '%s'", arn)
}

func execDoesNotExist(arn string) *apiError {
	return errorf(errExecDoesNotExist, "Execution Does Not Exist: '%s'", arn)
}

func activityDoesNotExist(arn string) *apiError {
	return errorf(errActivityDoesNotExist, "Activity Does Not Exist: '%s'", arn)
}

// invalidArn is AWS's InvalidArn: the text is not an ARN, or not one of the kind the action takes.
func invalidArn(arn, why string) *apiError {
	if why == "" {
		return errorf(errInvalidArn, "Invalid Arn: '%s'", arn)
	}
	return errorf(errInvalidArn, "Invalid Arn: '%s'", why)
}

// required is AWS's ValidationException for a missing member.
func required(member string) *apiError {
	return errorf(errValidation, "1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", member)
}

// tooLong is AWS's ValidationException for a member over its length constraint.
func tooLong(member string, max int) *apiError {
	return errorf(errValidation, "1 validation error detected: Value at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", member, max)
}
