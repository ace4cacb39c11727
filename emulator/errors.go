package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// Failure is one Entra error answer: the AADSTS code and message the rules
// decided, the OAuth error and the HTTP status it travels with.
type Failure struct {
	Code int
	// OAuthError is the body's "error" value, e.g. "invalid_client".
	OAuthError string
	// Message is the text after "AADSTS{code}: ", without the tail.
	Message string
	// Status is the HTTP status; 0 means 401 for invalid_client, else 400.
	Status int
	// Suberror is the optional "suberror" member (e.g. consent_required).
	Suberror string
	// RetryAfter, when positive, is sent as a Retry-After header (seconds).
	RetryAfter int
}

func (f Failure) status() int {
	switch {
	case f.Status != 0:
		return f.Status
	case f.OAuthError == "invalid_client":
		return http.StatusUnauthorized
	default:
		return http.StatusBadRequest
	}
}

// errorBody is Entra's error body, members in the order ESTS writes them.
type errorBody struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
	ErrorCodes       []int  `json:"error_codes"`
	Timestamp        string `json:"timestamp"`
	TraceID          string `json:"trace_id"`
	CorrelationID    string `json:"correlation_id"`
	ErrorURI         string `json:"error_uri,omitempty"`
	Suberror         string `json:"suberror,omitempty"`
}

// TailStyle selects how the diagnostics tail is joined to the message.
type TailStyle int

const (
	// TailCRLF is "\r\nTrace ID: …\r\nCorrelation ID: …\r\nTimestamp: …",
	// what ESTS sent until about 2023.
	TailCRLF TailStyle = iota
	// TailSpace is " Trace ID: … Correlation ID: … Timestamp: …", the form
	// seen since 2024.
	TailSpace
)

const entraTimestamp = "2006-01-02 15:04:05Z"

// reqInfo is what every response needs to know about its request.
type reqInfo struct {
	traceID       string
	correlationID string
	clientReqID   string // echoed as a header only when the client sent one
	now           time.Time
	errorHost     string // host for error_uri
	base          string // scheme://host the client called
	tls           bool
	telemetry     bool // the client sent x-client-* telemetry headers
}

// writeFailure writes a token endpoint error.
func (e *Emulator) writeFailure(w http.ResponseWriter, ri *reqInfo, f Failure) {
	e.writeFailureWith(w, ri, f, true)
}

// writeFailureWith is the single writer of Entra error bodies; noStore
// selects the token endpoint's headers over the metadata endpoints'.
func (e *Emulator) writeFailureWith(w http.ResponseWriter, ri *reqInfo, f Failure, noStore bool) {
	sep := "\r\n"
	if e.opts.Tail == TailSpace {
		sep = " "
	}
	ts := ri.now.Format(entraTimestamp)
	desc := "AADSTS" + strconv.Itoa(f.Code) + ": " + f.Message +
		sep + "Trace ID: " + ri.traceID + sep + "Correlation ID: " + ri.correlationID + sep + "Timestamp: " + ts
	body := errorBody{
		Error: f.OAuthError, ErrorDescription: desc, ErrorCodes: []int{f.Code},
		Timestamp: ts, TraceID: ri.traceID, CorrelationID: ri.correlationID,
		ErrorURI: "https://" + ri.errorHost + "/error?code=" + strconv.Itoa(f.Code),
		Suberror: f.Suberror,
	}
	if f.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfter))
	}
	e.writeJSON(w, ri, f.status(), body, f.Code, noStore)
}

// writeJSON writes a compact JSON body the way ESTS does (no HTML escaping,
// no trailing newline) with the token endpoint's headers when noStore is
// true, the metadata endpoints' caching headers otherwise.
func (e *Emulator) writeJSON(w http.ResponseWriter, ri *reqInfo, status int, v any, code int, noStore bool) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"error":"server_error"}`)
	}
	b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	h := w.Header()
	if noStore {
		h.Set("Cache-Control", "no-store, no-cache")
		h.Set("Pragma", "no-cache")
		h.Set("Expires", "-1")
	} else {
		h.Set("Cache-Control", "max-age=86400, private")
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Access-Control-Allow-Methods", "GET, OPTIONS")
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	if ri.tls {
		h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	}
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("P3P", `CP="DSP CUR OTPi IND OTRi ONL FIN"`)
	if ri.clientReqID != "" {
		h["client-request-id"] = []string{ri.clientReqID}
	}
	h["x-ms-request-id"] = []string{ri.traceID}
	h["x-ms-ests-server"] = []string{estsServer}
	if noStore && ri.telemetry {
		h["x-ms-clitelem"] = []string{"1," + strconv.Itoa(code) + ",0,,"}
	}
	w.WriteHeader(status)
	w.Write(b)
}

// estsServer is the x-ms-ests-server value: ESTS's format, honest content.
const estsServer = "2.1.0.0 - LOCAL aadsts-emulator"
