package graphapi_test

import (
	"context"
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aadsts/aadsts/audit"
	"github.com/aadsts/aadsts/directory"
	"github.com/aadsts/aadsts/emulator"
	"github.com/aadsts/aadsts/graphapi"
)

// throttleOnce answers 429 to the first Graph request of each listed path
// and passes everything else to the emulator.
type throttleOnce struct {
	next http.Handler
	mu   sync.Mutex
	left map[string]bool
	hits map[string]int
}

func (h *throttleOnce) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	h.hits[r.URL.Path]++
	throttle := h.left[r.URL.Path]
	delete(h.left, r.URL.Path)
	h.mu.Unlock()
	if throttle {
		w.Header().Set("Retry-After", "0")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`{"error":{"code":"TooManyRequests","message":"Too many requests"}}`))
		return
	}
	h.next.ServeHTTP(w, r)
}

// TestLiveAgainstEmulator reads the example directory back through the
// emulator's Graph surface with Azure Identity's ClientSecretCredential,
// in pages of two with a 429 injected, and audits it.
func TestLiveAgainstEmulator(t *testing.T) {
	dir, err := directory.LoadFile("../examples/directory.json")
	if err != nil {
		t.Fatal(err)
	}
	e, err := emulator.New(dir, emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := emulator.NewTLSMaterial(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	h := &throttleOnce{next: e.Handler(), left: map[string]bool{"/v1.0/applications": true, "/v1.0/servicePrincipals": true}, hits: map[string]int{}}
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = m.TLSConfig()
	srv.StartTLS()
	defer srv.Close()
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: m.CAPool, MinVersion: tls.VersionTLS12}}, Timeout: 20 * time.Second}
	defer hc.CloseIdleConnections()

	const tenant = "11111111-2222-3333-4444-555555555555"
	ts, err := graphapi.AzureIdentity(graphapi.AzureOptions{
		Kind: graphapi.CredSecret, TenantID: tenant, ClientID: "aaaaaaaa-0000-4000-8000-000000000001",
		ClientSecret:  dir.Tenants[0].Applications[0].PasswordCredentials[0].SecretText,
		AuthorityHost: srv.URL, HTTPClient: hc,
	})
	if err != nil {
		t.Fatal(err)
	}
	c, err := graphapi.New(srv.URL+"/v1.0", ts, hc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	got, err := graphapi.ReadDirectory(ctx, c, tenant, 2)
	if err != nil {
		t.Fatal(err)
	}
	tn := got.Tenants[0]
	if len(tn.Applications) != len(dir.Tenants[0].Applications) {
		t.Fatalf("read %d applications, want %d", len(tn.Applications), len(dir.Tenants[0].Applications))
	}
	if len(tn.ServicePrincipals) < len(dir.Tenants[0].ServicePrincipals) {
		t.Fatalf("read %d service principals, want at least %d", len(tn.ServicePrincipals), len(dir.Tenants[0].ServicePrincipals))
	}
	// 5 applications in pages of 2 is 3 pages, plus the throttled try.
	if h.hits["/v1.0/applications"] != 4 {
		t.Fatalf("applications requested %d times, want 4 (3 pages + 1 throttled)", h.hits["/v1.0/applications"])
	}
	for _, a := range tn.Applications {
		for _, p := range a.PasswordCredentials {
			if p.SecretText != "" {
				t.Fatal("the Graph surface returned a secret")
			}
		}
	}
	fs, err := audit.Run(ctx, got, audit.DefaultOptions(time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	var rules []string
	for _, f := range fs {
		rules = append(rules, f.Rule)
	}
	if !strings.Contains(strings.Join(rules, ","), audit.RuleExpired) {
		t.Fatalf("live audit found %v, want the expired certificate", rules)
	}
}
