package emulator_test

import (
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aadsts/aadsts/emulator"
	"github.com/aadsts/aadsts/rules/scenarios"
)

// TestScenarioSuiteOverHTTP runs the rules' scenario suite through the
// emulator: every request posted over HTTPS must get the AADSTS code the
// rules give offline, with Entra's status for its OAuth error.
func TestScenarioSuiteOverHTTP(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	m, err := emulator.NewTLSMaterial(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "https://" + ln.Addr().String()
	suite, err := scenarios.New(base, now)
	if err != nil {
		t.Fatal(err)
	}
	e, err := emulator.New(suite.Directory, emulator.Options{
		Now:              func() time.Time { return now },
		FederatedIssuers: suite.IssuerKeys,
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: e.Handler()}, TLS: m.TLSConfig()}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	client := srv.Client()
	client.Transport.(*http.Transport).TLSClientConfig.RootCAs = m.CAPool
	for _, sc := range suite.Scenarios {
		t.Run(sc.Name, func(t *testing.T) {
			method := sc.Method
			if method == "" {
				method = http.MethodPost
			}
			u := sc.URL
			if len(sc.Query) > 0 {
				u += "?" + sc.Query.Encode()
			}
			body, ctype := sc.Form.Encode(), sc.ContentType
			if ctype == "" {
				ctype = "application/x-www-form-urlencoded"
			} else if !strings.Contains(ctype, "form") {
				b, _ := json.Marshal(sc.Form)
				body = string(b)
			}
			req, err := http.NewRequest(method, u, strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", ctype)
			if sc.BasicUser != "" || sc.BasicPassword != "" {
				req.SetBasicAuth(url.QueryEscape(sc.BasicUser), url.QueryEscape(sc.BasicPassword))
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var got struct {
				Error       string `json:"error"`
				ErrorCodes  []int  `json:"error_codes"`
				AccessToken string `json:"access_token"`
			}
			if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
				t.Fatalf("HTTP %d, body not JSON: %v", resp.StatusCode, err)
			}
			code := 0
			if len(got.ErrorCodes) > 0 {
				code = got.ErrorCodes[0]
			}
			if code != sc.WantCode {
				t.Fatalf("%s: HTTP %d, AADSTS%d (%s), want %d", sc.Rule, resp.StatusCode, code, got.Error, sc.WantCode)
			}
			switch {
			case code == 0 && (resp.StatusCode != http.StatusOK || got.AccessToken == ""):
				t.Fatalf("accepted with HTTP %d and no token", resp.StatusCode)
			case code != 0 && (got.Error == "invalid_client") != (resp.StatusCode == http.StatusUnauthorized):
				t.Fatalf("%s with HTTP %d", got.Error, resp.StatusCode)
			}
		})
	}
}
