package emulator

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aadsts/aadsts/directory"
)

// TestServer is a running emulator for Go tests: HTTPS on 127.0.0.1 with a
// fresh local CA, closed when the test ends.
type TestServer struct {
	*Emulator
	// URL is https://127.0.0.1:PORT; an authority is URL + "/" + tenant.
	URL string
	// CAPool and CAPEM are the CA clients must trust.
	CAPool *x509.CertPool
	CAPEM  []byte
	// Client is an HTTP client that trusts the CA.
	Client *http.Client
}

// NewTestServer starts the emulator for dir with opts on a loopback port
// and stops it when t ends. It fails t on any setup error.
func NewTestServer(t testing.TB, dir *directory.Directory, opts Options) *TestServer {
	t.Helper()
	e, err := New(dir, opts)
	if err != nil {
		t.Fatalf("emulator: %v", err)
	}
	m, err := NewTLSMaterial(time.Now())
	if err != nil {
		t.Fatalf("emulator TLS: %v", err)
	}
	srv := httptest.NewUnstartedServer(e.Handler())
	srv.TLS = m.TLSConfig()
	srv.StartTLS()
	t.Cleanup(srv.Close)
	client := &http.Client{Transport: &http.Transport{
		TLSClientConfig:     &tls.Config{RootCAs: m.CAPool, MinVersion: tls.VersionTLS12},
		MaxIdleConnsPerHost: 16,
	}, Timeout: 30 * time.Second}
	t.Cleanup(client.CloseIdleConnections)
	return &TestServer{Emulator: e, URL: srv.URL, CAPool: m.CAPool, CAPEM: m.CAPEM, Client: client}
}

// Authority returns URL + "/" + tenant, what MSAL and Azure Identity take
// as the authority (with instance discovery disabled).
func (s *TestServer) Authority(tenant string) string { return s.URL + "/" + tenant }
