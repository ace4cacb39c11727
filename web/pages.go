package web

import (
	"net/http"

	"github.com/aadsts/aadsts/directory"
	"github.com/aadsts/aadsts/emulator"
	"github.com/aadsts/aadsts/signins"
)

// Parts are the optional pieces a Server shows when the caller wires them.
// A nil part hides or disables what depends on it.
type Parts struct {
	// SignIns is the sign-in store the Sign-ins pages read and import into.
	SignIns signins.Store
	// StoreName names the store for the page (a file path), never a secret.
	StoreName string
	// Emulator is the running emulator the console controls.
	Emulator *emulator.Emulator
	// EmulatorURL is the emulator's base address (https://127.0.0.1:PORT).
	EmulatorURL string
	// EmulatorCA is the CA certificate (PEM) clients must trust to reach
	// the emulator; offered for download.
	EmulatorCA []byte
	// Directory is the emulator's directory: its tenants and apps are shown
	// in the console and the Audit page can audit it.
	Directory *directory.Directory
}

func (p Parts) hasLogs() bool     { return p.SignIns != nil }
func (p Parts) hasEmulator() bool { return p.Emulator != nil }

func (s *Server) routePages() {
	s.mux.HandleFunc("GET /{$}", s.diagnoseForm)
	s.mux.HandleFunc("POST /diagnose", s.diagnose)
	s.mux.HandleFunc("GET /diagnose", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/", http.StatusSeeOther) })
	s.mux.HandleFunc("GET /codes", s.codes)
	s.mux.HandleFunc("GET /codes/{code}", s.code)
	s.mux.HandleFunc("GET /signins", s.signinsPage)
	s.mux.HandleFunc("POST /signins/import", s.signinsImport)
	s.mux.HandleFunc("GET /signins/{id}", s.signinRecord)
	s.mux.HandleFunc("GET /audit", s.auditPage)
	s.mux.HandleFunc("POST /audit", s.auditUpload)
	s.routeEmulator()
}
