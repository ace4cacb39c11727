package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/aadsts/aadsts/directory"
	"github.com/aadsts/aadsts/emulator"
)

const maxLogRows = 100

type emulatorView struct {
	URL     string
	Tenants []directory.Tenant
	Faults  []emulator.Fault
	SignIns []emulator.SignIn
	KeyID   string
	Clock   time.Time
	Offset  time.Duration
	HasCA   bool
	Notice  string
	// AppNames names the directory's apps by client ID, for log rows the
	// emulator recorded without a display name (a refused request).
	AppNames map[string]string
}

func (s *Server) routeEmulator() {
	s.mux.HandleFunc("GET /emulator", s.emu(s.emulatorPage))
	s.mux.HandleFunc("GET /emulator/log", s.emu(s.emulatorLog))
	s.mux.HandleFunc("GET /emulator/ca.pem", s.emu(s.emulatorCA))
	s.mux.HandleFunc("POST /emulator/faults", s.emu(s.emulatorInject))
	s.mux.HandleFunc("POST /emulator/faults/clear", s.emu(s.emulatorClear))
	s.mux.HandleFunc("POST /emulator/clock", s.emu(s.emulatorClock))
	s.mux.HandleFunc("POST /emulator/rotate", s.emu(s.emulatorRotate))
}

// emu answers 404 when no emulator runs beside the UI.
func (s *Server) emu(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.opts.Parts.Emulator == nil {
			s.fail(w, r, http.StatusNotFound, "The emulator is not running: start aadsts serve with --emulator --directory FILE.", nil)
			return
		}
		h(w, r)
	}
}

func (s *Server) emulatorView() emulatorView {
	p := s.opts.Parts
	em := p.Emulator
	v := emulatorView{URL: p.EmulatorURL, Faults: em.Faults(), KeyID: em.KeyID(), Clock: em.Clock().Now(), Offset: em.Clock().Offset(), HasCA: len(p.EmulatorCA) > 0}
	if p.Directory != nil {
		v.Tenants = p.Directory.Tenants
		v.AppNames = map[string]string{}
		for _, t := range v.Tenants {
			for _, a := range t.Applications {
				v.AppNames[a.AppID] = a.DisplayName
			}
		}
	}
	v.SignIns = em.SignIns()
	if len(v.SignIns) > maxLogRows {
		v.SignIns = v.SignIns[:maxLogRows]
	}
	return v
}

func (s *Server) emulatorPage(w http.ResponseWriter, r *http.Request) {
	v := s.emulatorView()
	v.Notice = r.URL.Query().Get("done")
	s.render(w, r, "emulator.html", pageData{Title: "Emulator", Nav: "emulator", Data: v})
}

// emulatorLog is the request log's table body alone, polled by app.js.
func (s *Server) emulatorLog(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	if err := s.pages["emulator.html"].ExecuteTemplate(&buf, "log-rows", s.emulatorView()); err != nil {
		s.fail(w, r, http.StatusInternalServerError, "The request log could not be rendered.", err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = buf.WriteTo(w)
}

func (s *Server) emulatorCA(w http.ResponseWriter, r *http.Request) {
	ca := s.opts.Parts.EmulatorCA
	if len(ca) == 0 {
		s.fail(w, r, http.StatusNotFound, "The emulator serves a certificate of your own (or plain HTTP): there is no local CA to download.", nil)
		return
	}
	w.Header().Set("Content-Type", "application/x-pem-file")
	w.Header().Set("Content-Disposition", `attachment; filename="aadsts-emulator-ca.pem"`)
	_, _ = w.Write(ca)
}

// back returns to the console with a short notice of what was done.
func back(w http.ResponseWriter, r *http.Request, done string) {
	http.Redirect(w, r, "/emulator?done="+urlQueryEscape(done), http.StatusSeeOther)
}

func (s *Server) emulatorInject(w http.ResponseWriter, r *http.Request) {
	f, err := faultFromForm(r)
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, err.Error(), nil)
		return
	}
	id := s.opts.Parts.Emulator.InjectFault(f)
	var what string
	switch {
	case f.Code != 0:
		what = "AADSTS" + strconv.Itoa(f.Code)
	case f.Status != 0:
		what = "HTTP " + strconv.Itoa(f.Status)
	default:
		what = "a delay of " + time.Duration(f.Latency).String()
	}
	back(w, r, "Fault "+id+" injected: "+what+".")
}

// faultFromForm reads the fault form: an AADSTS code or an HTTP status,
// how many requests it answers (0: until cleared) and an optional client.
func faultFromForm(r *http.Request) (emulator.Fault, error) {
	var f emulator.Fault
	if c := strings.TrimSpace(r.FormValue("code")); c != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(strings.ToUpper(c), "AADSTS"))
		if err != nil || n <= 0 {
			return f, fmt.Errorf("AADSTS code %q: want a number such as 7000215", c)
		}
		f.Code = n
	}
	if st := strings.TrimSpace(r.FormValue("status")); st != "" {
		n, err := strconv.Atoi(st)
		if err != nil || n < 400 || n > 599 {
			return f, fmt.Errorf("HTTP status %q: want 429, 500 or 503", st)
		}
		f.Status = n
	}
	if d := strings.TrimSpace(r.FormValue("latency")); d != "" {
		v, err := time.ParseDuration(d)
		if err != nil || v < 0 || v > time.Minute {
			return f, fmt.Errorf("delay %q: want a duration up to 1m, such as 2s", d)
		}
		f.Latency = emulator.Duration(v)
	}
	if f.Code == 0 && f.Status == 0 && f.Latency == 0 {
		return f, fmt.Errorf("give an AADSTS code, an HTTP status or a delay for the fault")
	}
	if c := strings.TrimSpace(r.FormValue("count")); c != "" {
		n, err := strconv.Atoi(c)
		if err != nil || n < 0 {
			return f, fmt.Errorf("requests %q: want 0 (until cleared) or more", c)
		}
		f.Count = n
	}
	f.ClientID = strings.TrimSpace(r.FormValue("client_id"))
	return f, nil
}

func (s *Server) emulatorClear(w http.ResponseWriter, r *http.Request) {
	s.opts.Parts.Emulator.ClearFaults()
	back(w, r, "Every fault cleared.")
}

func (s *Server) emulatorClock(w http.ResponseWriter, r *http.Request) {
	raw := strings.TrimSpace(r.FormValue("offset"))
	var d time.Duration
	if raw != "" && raw != "0" {
		var err error
		if d, err = time.ParseDuration(strings.TrimPrefix(raw, "+")); err != nil {
			s.fail(w, r, http.StatusBadRequest, fmt.Sprintf("Clock offset %q: want a duration such as +2h, -90m or 0.", raw), nil)
			return
		}
	}
	s.opts.Parts.Emulator.Clock().SetOffset(d)
	back(w, r, "Clock offset set to "+d.String()+".")
}

func (s *Server) emulatorRotate(w http.ResponseWriter, r *http.Request) {
	kid, err := s.opts.Parts.Emulator.RotateKeys()
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "Key rotation failed.", err)
		return
	}
	back(w, r, "New signing key "+kid+"; the previous one stays in the JWKS for its grace period.")
}
