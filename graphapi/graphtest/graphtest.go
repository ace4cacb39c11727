// Package graphtest runs the emulator behind a TLS test server that can
// throttle Graph requests, for end-to-end tests of Graph readers. It is
// test support only: it must not be imported by production code.
package graphtest

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/aadsts/aadsts/directory"
	"github.com/aadsts/aadsts/emulator"
)

// Server is a running emulator whose listed paths answer 429 once.
type Server struct {
	URL    string
	CAPEM  []byte
	Client *http.Client // trusts the CA

	mu       sync.Mutex
	throttle map[string]bool
	hits     map[string]int
}

// Start serves dir through the emulator on 127.0.0.1 until t ends. The
// first request to each of throttleOnce (URL paths such as
// "/v1.0/applications") is answered 429 with Retry-After: 0.
func Start(t testing.TB, dir *directory.Directory, throttleOnce ...string) *Server {
	t.Helper()
	e, err := emulator.New(dir, emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := emulator.NewTLSMaterial(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{CAPEM: m.CAPEM, throttle: map[string]bool{}, hits: map[string]int{}}
	for _, p := range throttleOnce {
		s.throttle[p] = true
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		hit := s.throttle[r.URL.Path]
		delete(s.throttle, r.URL.Path)
		s.mu.Unlock()
		if hit {
			w.Header().Set("Retry-After", "0")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write([]byte(`{"error":{"code":"TooManyRequests","message":"Too many requests"}}`))
			return
		}
		e.Handler().ServeHTTP(w, r)
	}))
	srv.TLS = m.TLSConfig()
	srv.StartTLS()
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	s.Client = &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: m.CAPool, MinVersion: tls.VersionTLS12}}, Timeout: 20 * time.Second}
	t.Cleanup(s.Client.CloseIdleConnections)
	return s
}

// Hits reports how many requests reached path, throttled ones included.
func (s *Server) Hits(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}
