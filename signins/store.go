package signins

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrNotFound is returned by a Store lookup that finds nothing.
var ErrNotFound = errors.New("not found")

// Store keeps sign-ins and audit events. Implementations must make Put
// atomic (a batch is stored whole or not at all) and idempotent (a sign-in
// is keyed by kind and id, an audit event by id: storing one again changes
// nothing). Every method takes a context. The storetest package holds the
// suite every implementation passes.
type Store interface {
	// Put stores a batch atomically and reports how many records were new.
	Put(ctx context.Context, b Batch) (PutResult, error)
	// SignIn returns the sign-ins with id (one per log kind it appears in).
	SignIn(ctx context.Context, id string) ([]Record, error)
	// Audit returns the audit event with id.
	Audit(ctx context.Context, id string) (AuditEvent, error)
	// SignIns returns the sign-ins matching f, oldest first (newest first
	// with f.Newest); limit <= 0 means all.
	SignIns(ctx context.Context, f Filter, limit int) ([]Record, error)
	// Audits returns the audit events matching f, oldest first.
	Audits(ctx context.Context, f AuditFilter) ([]AuditEvent, error)
	// Report groups the sign-ins matching q.Filter by q.By.
	Report(ctx context.Context, q Query) ([]Group, error)
	// Count counts the sign-ins matching f.
	Count(ctx context.Context, f Filter) (int, error)
	Close() error
}

// Batch is a set of records stored together.
type Batch struct {
	SignIns []*Record
	Audits  []*AuditEvent
}

// Len is the number of records in the batch.
func (b Batch) Len() int { return len(b.SignIns) + len(b.Audits) }

// PutResult says what a Put changed.
type PutResult struct {
	SignInsAdded int
	AuditsAdded  int
	// Duplicates are records already stored (same key), left unchanged.
	Duplicates int
}

// Filter selects sign-ins. Zero fields select everything; list fields
// match any of their values.
type Filter struct {
	Since, Until time.Time // Since inclusive, Until exclusive
	// Apps match the app id or the app's display name (case-insensitive).
	Apps     []string
	Codes    []int
	Kinds    []Kind
	Outcomes []Outcome
	// Newest makes SignIns return the newest first, so that a limit keeps
	// the latest records; Count and Report ignore it.
	Newest bool
}

// AuditFilter selects audit events.
type AuditFilter struct {
	Since, Until time.Time
	// CredentialOnly keeps the events that change credentials.
	CredentialOnly bool
}

// By is a report grouping.
type By string

// The report groupings.
const (
	ByCode       By = "code"
	ByApp        By = "app"
	BySP         By = "sp"
	ByResource   By = "resource"
	ByCredential By = "credential"
	ByIP         By = "ip"
	ByDay        By = "day"
	ByHour       By = "hour"
)

// Bys returns every grouping.
func Bys() []By {
	return []By{ByCode, ByApp, BySP, ByResource, ByCredential, ByIP, ByDay, ByHour}
}

// ParseBy checks a grouping name.
func ParseBy(s string) (By, error) {
	for _, b := range Bys() {
		if string(b) == s {
			return b, nil
		}
	}
	return "", fmt.Errorf("--by %q: must be one of code, app, sp, resource, credential, ip, day, hour", s)
}

// Query is a report request.
type Query struct {
	Filter
	By By
}

// Group is one line of a report.
type Group struct {
	// Key is the grouping value: the code, app id, service principal id,
	// resource id, credential, IP, or the day or hour (RFC 3339, UTC).
	Key string
	// Code is the AADSTS code when grouping by code.
	Code int
	// Label is a display name for Key (app, service principal or resource
	// name; the credential type), when known.
	Label      string
	Count      int
	Failures   int
	Interrupts int
	First      time.Time
	Last       time.Time
}
