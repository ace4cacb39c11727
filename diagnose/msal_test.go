package diagnose_test

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/confidential"

	"github.com/aadsts/aadsts/rules"
	"github.com/aadsts/aadsts/rules/scenarios"
)

// recordingAuthority is a stand-in authority on a local TLS server: it
// serves discovery and records the token request forms MSAL posts.
type recordingAuthority struct {
	srv   *httptest.Server
	mu    sync.Mutex
	forms []url.Values
	paths []string
}

func newRecordingAuthority(t *testing.T) *recordingAuthority {
	a := &recordingAuthority{}
	a.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		base := "https://" + r.Host
		tenant := strings.Split(strings.Trim(r.URL.Path, "/"), "/")[0]
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasSuffix(r.URL.Path, "/.well-known/openid-configuration"):
			_ = json.NewEncoder(w).Encode(map[string]any{
				"issuer":                 base + "/" + tenant + "/v2.0",
				"authorization_endpoint": base + "/" + tenant + "/oauth2/v2.0/authorize",
				"token_endpoint":         base + "/" + tenant + "/oauth2/v2.0/token",
				"jwks_uri":               base + "/" + tenant + "/discovery/v2.0/keys",
			})
		case strings.HasSuffix(r.URL.Path, "/oauth2/v2.0/token"):
			body, _ := io.ReadAll(r.Body)
			f, _ := url.ParseQuery(string(body))
			a.mu.Lock()
			a.forms = append(a.forms, f)
			a.paths = append(a.paths, base+r.URL.Path)
			a.mu.Unlock()
			_, _ = io.WriteString(w, `{"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"opaque-test-token"}`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(a.srv.Close)
	return a
}

// MSAL Go's own certificate assertions (PS256 + x5t#S256 in current
// versions) are accepted by the rules.
func TestMSALGoAssertionAccepted(t *testing.T) {
	a := newRecordingAuthority(t)
	now := time.Now().UTC()
	s, err := scenarios.New(a.srv.URL, now)
	if err != nil {
		t.Fatal(err)
	}
	for _, x5c := range []bool{false, true} {
		cred, err := confidential.NewCredFromCert([]*x509.Certificate{s.Cert.Cert}, s.Cert.Key)
		if err != nil {
			t.Fatal(err)
		}
		opts := []confidential.Option{confidential.WithHTTPClient(a.srv.Client()), confidential.WithInstanceDiscovery(false)}
		if x5c {
			opts = append(opts, confidential.WithX5C())
		}
		app, err := confidential.New(a.srv.URL+"/"+scenarios.TenantID, scenarios.AppID, cred, opts...)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := app.AcquireTokenByCredential(context.Background(), []string{scenarios.GraphScope}); err != nil {
			t.Fatalf("AcquireTokenByCredential: %v", err)
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.forms) != 2 {
		t.Fatalf("recorded %d token requests, want 2", len(a.forms))
	}
	for i, f := range a.forms {
		in := s.Request(scenarios.Scenario{URL: a.paths[i], Form: f})
		in.Now = time.Now().UTC()
		res := rules.CheckTokenRequest(in)
		if res.Code() != 0 {
			for _, fd := range res.Findings {
				t.Logf("%s %s %d %s", fd.ID, fd.Status, fd.Code, fd.Detail)
			}
			t.Fatalf("MSAL assertion %d: entra code %d, want 0", i, res.Code())
		}
		if res.Credential == nil || res.Credential.KeyID != scenarios.CertKeyID {
			t.Errorf("credential %+v, want key %s", res.Credential, scenarios.CertKeyID)
		}
	}
}
