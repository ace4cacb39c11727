package web

import "net/http"

// Parts are the optional pieces a Server shows when the caller wires them.
type Parts struct {
}

func (p Parts) hasLogs() bool     { return false }
func (p Parts) hasEmulator() bool { return false }

func (s *Server) routePages() {
	s.mux.HandleFunc("GET /codes", s.codes)
	s.mux.HandleFunc("GET /codes/{code}", s.code)
	s.mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/codes", http.StatusSeeOther) })
}
