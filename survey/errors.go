package survey

import (
	"errors"
	"fmt"
	"strings"
)

// ErrNotFound is returned when a study, key or response does not exist.
var ErrNotFound = errors.New("not found")

// FieldError names one invalid field by its JSON path, for example
// "questions[2].options[0].text.en".
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
	// Code is a stable machine-readable reason where one helps a client
	// (the survey page localizes answer errors by it).
	Code string `json:"code,omitempty"`
}

// ValidationError lists every invalid field of an input at once.
type ValidationError struct {
	Errors []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Errors))
	for i, f := range e.Errors {
		parts[i] = f.Field + ": " + f.Message
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Add records one problem; it is the building block of every validator.
func (e *ValidationError) Add(field, format string, args ...any) {
	e.Errors = append(e.Errors, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// AddCode records a problem with a machine-readable code.
func (e *ValidationError) AddCode(field, code, format string, args ...any) {
	e.Errors = append(e.Errors, FieldError{Field: field, Code: code, Message: fmt.Sprintf(format, args...)})
}

// Answer error codes.
const (
	CodeRequired        = "required"
	CodeInvalid         = "invalid"
	CodeTooLong         = "too_long"
	CodeExclusive       = "exclusive"
	CodeUnknownQuestion = "unknown_question"
	CodeConsent         = "consent_required"
)

// Err returns e when it holds at least one problem, nil otherwise.
func (e *ValidationError) Err() error {
	if len(e.Errors) == 0 {
		return nil
	}
	return e
}

// ConflictError reports an action that the study's current state forbids,
// such as launching a closed study or editing questions of a live one.
type ConflictError struct {
	Status Status // the study's current status
	Field  string // the field that may not change, when there is one
	Detail string
}

func (e *ConflictError) Error() string { return e.Detail }
