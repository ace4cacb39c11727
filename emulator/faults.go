package emulator

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aadsts/aadsts/catalog"
)

// Fault makes token requests fail or slow down on purpose. Set Code for an
// AADSTS error, or Status (429, 500, 503) for a service failure, or only
// Latency to slow answers down.
type Fault struct {
	// ID is assigned by InjectFault.
	ID string `json:"id"`
	// ClientID limits the fault to one client; empty matches every client.
	ClientID string `json:"client_id,omitempty"`
	// Count is how many matching requests the fault answers; 0 means every
	// request until the fault is cleared.
	Count int `json:"count,omitempty"`
	// Code is the AADSTS code to answer with. OAuthError, Message and
	// Status default to the catalog's values for the code.
	Code       int    `json:"code,omitempty"`
	OAuthError string `json:"error,omitempty"`
	Message    string `json:"message,omitempty"`
	// Status is the HTTP status: 429 (with Retry-After), 500 or 503 on
	// their own, or an override for Code.
	Status int `json:"status,omitempty"`
	// RetryAfter is the Retry-After header in seconds (default 5 for 429
	// and 503).
	RetryAfter int `json:"retry_after,omitempty"`
	// Latency is added before answering.
	Latency Duration `json:"latency,omitempty"`
}

// faults holds the injected faults in order; the first match wins.
type faults struct {
	mu   sync.Mutex
	list []*Fault
	seq  int
}

// InjectFault adds a fault and returns its id.
func (e *Emulator) InjectFault(f Fault) string {
	e.faults.mu.Lock()
	defer e.faults.mu.Unlock()
	e.faults.seq++
	f.ID = "fault-" + strconv.Itoa(e.faults.seq)
	e.faults.list = append(e.faults.list, &f)
	return f.ID
}

// ClearFaults removes every injected fault.
func (e *Emulator) ClearFaults() {
	e.faults.mu.Lock()
	e.faults.list = nil
	e.faults.mu.Unlock()
}

// Faults returns the active faults.
func (e *Emulator) Faults() []Fault {
	e.faults.mu.Lock()
	defer e.faults.mu.Unlock()
	out := make([]Fault, 0, len(e.faults.list))
	for _, f := range e.faults.list {
		out = append(out, *f)
	}
	return out
}

// take returns the fault that applies to a request of clientID, using up
// one of its count.
func (fs *faults) take(clientID string) (Fault, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, f := range fs.list {
		if f.ClientID != "" && !strings.EqualFold(f.ClientID, clientID) {
			continue
		}
		got := *f
		if f.Count > 0 {
			f.Count--
			if f.Count == 0 {
				fs.list = append(fs.list[:i:i], fs.list[i+1:]...)
			}
		}
		return got, true
	}
	return Fault{}, false
}

// failure turns a fault into the error it answers with; ok is false for a
// latency-only fault.
func (f Fault) failure() (Failure, bool) {
	out := Failure{Code: f.Code, OAuthError: f.OAuthError, Message: f.Message, Status: f.Status, RetryAfter: f.RetryAfter}
	switch {
	case f.Code != 0:
		if ent, ok := catalog.Default().Lookup(f.Code); ok {
			if out.OAuthError == "" {
				if errs := ent.OAuthErrors(); len(errs) > 0 {
					out.OAuthError = strings.TrimSuffix(errs[0], "?")
				}
			}
			if out.Message == "" {
				out.Message = ent.Meaning
			}
			if out.Status == 0 && ent.HTTPStatus != 0 {
				out.Status = ent.HTTPStatus
			}
		}
		if out.OAuthError == "" {
			out.OAuthError = "invalid_request"
		}
		if out.Message == "" {
			out.Message = "Injected failure."
		}
	case f.Status == http.StatusTooManyRequests:
		out.Code, out.OAuthError = 90055, "temporarily_unavailable"
		out.Message = "There are too many incoming requests. Please try again later."
	case f.Status >= 500:
		out.Code, out.OAuthError = 50033, "temporarily_unavailable"
		out.Message = "A transient error has occurred. Please try again."
	default:
		return Failure{}, false
	}
	if out.RetryAfter == 0 && (out.Status == http.StatusTooManyRequests || out.Status == http.StatusServiceUnavailable) {
		out.RetryAfter = 5
	}
	return out, true
}

// Duration is a time.Duration that reads and writes JSON as "1.5s" (or a
// number of milliseconds).
type Duration time.Duration

// MarshalJSON writes the duration as a Go duration string.
func (d Duration) MarshalJSON() ([]byte, error) {
	return []byte(`"` + time.Duration(d).String() + `"`), nil
}

// UnmarshalJSON reads "250ms", "2h" or a number of milliseconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		*d = 0
		return nil
	}
	if v, err := time.ParseDuration(s); err == nil {
		*d = Duration(v)
		return nil
	}
	var ms int64
	for _, c := range s {
		if c < '0' || c > '9' {
			return &time.ParseError{Layout: "duration", Value: s, Message: ": not a duration such as \"250ms\" or a number of milliseconds"}
		}
		ms = ms*10 + int64(c-'0')
	}
	*d = Duration(time.Duration(ms) * time.Millisecond)
	return nil
}
