package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/aadsts/aadsts/audit"
	"github.com/aadsts/aadsts/directory"
)

const maxAuditFile = 8 << 20

type auditView struct {
	// Source names what was audited ("the emulator's directory", a file).
	Source   string
	HasDir   bool
	Ran      bool
	Report   audit.Report
	Timeline template.HTML
	Notes    []string
	Rules    []audit.Rule
	Now      time.Time
}

// auditPage audits the emulator's directory when one is wired, and offers
// an upload of app registration JSON.
func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) {
	v := auditView{HasDir: s.opts.Parts.Directory != nil, Rules: audit.Rules(), Now: s.opts.Now()}
	if v.HasDir && r.URL.Query().Get("source") != "none" {
		if err := s.runAudit(r, &v, "the emulator's directory", s.opts.Parts.Directory); err != nil {
			s.fail(w, r, http.StatusInternalServerError, "The audit of the emulator's directory failed.", err)
			return
		}
	}
	s.render(w, r, "audit.html", pageData{Title: "Audit", Nav: "audit", Data: v})
}

// auditUpload audits the app registration JSON uploaded or pasted. The
// input is read, audited and forgotten.
func (s *Server) auditUpload(w http.ResponseWriter, r *http.Request) {
	v := auditView{HasDir: s.opts.Parts.Directory != nil, Rules: audit.Rules(), Now: s.opts.Now()}
	name, data, err := formFile(r, "file", maxAuditFile)
	if err != nil {
		s.fail(w, r, http.StatusRequestEntityTooLarge, err.Error(), nil)
		return
	}
	if data == nil {
		if t := strings.TrimSpace(r.FormValue("text")); t != "" {
			name, data = "pasted JSON", []byte(t)
		}
	}
	if data == nil {
		w.WriteHeader(http.StatusBadRequest)
		s.render(w, r, "audit.html", pageData{Title: "Audit", Nav: "audit", Error: "Choose a file or paste app registration JSON to audit.", Data: v})
		return
	}
	d, err := directory.Read(name, data)
	if err != nil {
		w.WriteHeader(http.StatusUnprocessableEntity)
		s.render(w, r, "audit.html", pageData{Title: "Audit", Nav: "audit", Error: "Could not read " + name + ": " + err.Error(), Data: v})
		return
	}
	if err := s.runAudit(r, &v, name, d); err != nil {
		s.fail(w, r, http.StatusInternalServerError, "The audit of "+name+" failed.", err)
		return
	}
	s.render(w, r, "audit.html", pageData{Title: "Audit", Nav: "audit", Data: v})
}

func (s *Server) runAudit(r *http.Request, v *auditView, source string, d *directory.Directory) error {
	now := s.opts.Now()
	fs, err := audit.Run(r.Context(), d, audit.DefaultOptions(now))
	if err != nil {
		return fmt.Errorf("audit %s: %w", source, err)
	}
	apps, sps := 0, 0
	var items []Expiry
	for _, t := range d.Tenants {
		apps += len(t.Applications)
		sps += len(t.ServicePrincipals)
		for _, a := range t.Applications {
			items = append(items, expiries(a.DisplayName, a.KeyCredentials, a.PasswordCredentials)...)
		}
		for _, sp := range t.ServicePrincipals {
			items = append(items, expiries(sp.DisplayName+" (SP)", sp.KeyCredentials, sp.PasswordCredentials)...)
		}
	}
	v.Ran, v.Source = true, source
	v.Report = audit.NewReport(fs, now, apps, sps)
	v.Timeline = expiryTimeline("When credentials expire", items, now)
	v.Notes = d.Notes
	return nil
}

// expiries lists the end dates of an object's certificates and secrets for
// the timeline (names and dates only, never key material).
func expiries(owner string, keys []directory.KeyCredential, secrets []directory.PasswordCredential) []Expiry {
	var out []Expiry
	for _, k := range keys {
		if !k.End.IsZero() {
			out = append(out, Expiry{Label: owner + " · cert " + orID(k.DisplayName, k.KeyID), End: k.End})
		}
	}
	for _, p := range secrets {
		if !p.End.IsZero() {
			out = append(out, Expiry{Label: owner + " · secret " + orID(p.DisplayName, p.KeyID), End: p.End})
		}
	}
	return out
}

func orID(name, id string) string {
	if name != "" {
		return name
	}
	if len(id) > 8 {
		return id[:8]
	}
	return id
}
