package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// AdminPrefix is the path of the admin API. Entra never serves a path
// starting with an underscore, so it cannot clash with an emulated endpoint.
const AdminPrefix = "/_aadsts/"

// ClockState is the admin API's view of the clock.
type ClockState struct {
	Now    time.Time `json:"now"`
	Offset Duration  `json:"offset"`
}

// clockRequest moves the clock: to an absolute time, by an offset from
// real time, or forward by a step.
type clockRequest struct {
	Now     *time.Time `json:"now,omitempty"`
	Offset  *Duration  `json:"offset,omitempty"`
	Advance *Duration  `json:"advance,omitempty"`
}

// handleAdmin serves the admin API:
//
//	GET    /_aadsts/health
//	GET    /_aadsts/faults          list faults
//	POST   /_aadsts/faults          add a fault (Fault JSON)
//	DELETE /_aadsts/faults          remove every fault
//	GET    /_aadsts/clock           current emulated time and offset
//	POST   /_aadsts/clock           {"offset":"2h"} | {"advance":"30m"} | {"now":"RFC 3339"}
//	POST   /_aadsts/keys/rotate     new signing key now
//	GET    /_aadsts/keys            current and published key ids
//	GET    /_aadsts/signins         recorded sign-ins, newest first
//
// A request a browser sends from another origin (a web page trying to
// reach the local emulator) is refused.
func (e *Emulator) handleAdmin(w http.ResponseWriter, r *http.Request) {
	if o := r.Header.Get("Origin"); o != "" {
		if u, err := url.Parse(o); err != nil || u.Host != r.Host {
			adminError(w, http.StatusForbidden, fmt.Errorf("cross-origin request from %s refused", o))
			return
		}
	}
	path := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, AdminPrefix), "/")
	switch r.Method + " " + path {
	case "GET health":
		adminJSON(w, http.StatusOK, map[string]any{"status": "ok", "now": e.clock.Now()})
	case "GET faults":
		adminJSON(w, http.StatusOK, map[string]any{"faults": e.Faults()})
	case "POST faults":
		var f Fault
		if err := decodeStrict(r, &f); err != nil {
			adminError(w, http.StatusBadRequest, fmt.Errorf("fault: %w", err))
			return
		}
		if _, ok := f.failure(); !ok && f.Latency == 0 {
			adminError(w, http.StatusBadRequest, fmt.Errorf("fault: set code, status (429, 500, 503) or latency"))
			return
		}
		adminJSON(w, http.StatusCreated, map[string]any{"id": e.InjectFault(f)})
	case "DELETE faults":
		e.ClearFaults()
		w.WriteHeader(http.StatusNoContent)
	case "GET clock":
		adminJSON(w, http.StatusOK, ClockState{Now: e.clock.Now(), Offset: Duration(e.clock.Offset())})
	case "POST clock":
		var c clockRequest
		if err := decodeStrict(r, &c); err != nil {
			adminError(w, http.StatusBadRequest, fmt.Errorf("clock: %w", err))
			return
		}
		switch {
		case c.Now != nil:
			e.clock.SetOffset(c.Now.Sub(e.clock.base()))
		case c.Offset != nil:
			e.clock.SetOffset(time.Duration(*c.Offset))
		case c.Advance != nil:
			e.clock.SetOffset(e.clock.Offset() + time.Duration(*c.Advance))
		default:
			adminError(w, http.StatusBadRequest, fmt.Errorf("clock: set now, offset or advance"))
			return
		}
		adminJSON(w, http.StatusOK, ClockState{Now: e.clock.Now(), Offset: Duration(e.clock.Offset())})
	case "POST keys/rotate":
		kid, err := e.RotateKeys()
		if err != nil {
			e.logf("rotate keys: %v", err)
			adminError(w, http.StatusInternalServerError, fmt.Errorf("rotate keys failed"))
			return
		}
		adminJSON(w, http.StatusOK, map[string]any{"kid": kid})
	case "GET keys":
		var ids []string
		for _, k := range e.keys.published(e.clock.Now()) {
			ids = append(ids, k.kid)
		}
		adminJSON(w, http.StatusOK, map[string]any{"current": e.KeyID(), "published": ids})
	case "GET signins":
		adminJSON(w, http.StatusOK, map[string]any{"value": e.SignIns()})
	default:
		adminError(w, http.StatusNotFound, fmt.Errorf("no admin endpoint %s %s", r.Method, r.URL.Path))
	}
}

func decodeStrict(r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

func adminJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

func adminError(w http.ResponseWriter, status int, err error) {
	adminJSON(w, status, map[string]string{"error": err.Error()})
}
