package emulator_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aadsts/aadsts/emulator"
	"github.com/aadsts/aadsts/emulator/fixture"
	"github.com/aadsts/aadsts/jose"
)

func post(t *testing.T, s *emulator.TestServer, path string, form url.Values, hdr ...string) (*http.Response, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return do(t, s, req)
}

func get(t *testing.T, s *emulator.TestServer, path string) (*http.Response, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.URL+path, nil)
	return do(t, s, req)
}

func do(t *testing.T, s *emulator.TestServer, req *http.Request) (*http.Response, map[string]any) {
	t.Helper()
	resp, err := s.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw := readAll(t, resp)
	var m map[string]any
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("HTTP %d: body is not a JSON object: %v", resp.StatusCode, err)
	}
	m["_raw"] = raw
	return resp, m
}

func TestErrorBodyIsEntras(t *testing.T) {
	t.Parallel()
	s, _ := newServer(t)
	corr := "9945f236-c0ab-4bb8-8a38-d8cb584cea28"
	resp, body := post(t, s, "/"+fixture.TenantID+"/oauth2/v2.0/token", url.Values{
		"grant_type": {"client_credentials"}, "client_id": {fixture.DaemonAppID},
		"client_secret": {"wrong"}, "scope": {fixture.APIURI + "/.default"},
	}, "client-request-id", corr)
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("status %d, want 401", resp.StatusCode)
	}
	raw := body["_raw"].(string)
	order := []string{`{"error":"invalid_client"`, `"error_description":"AADSTS7000215: `, `"error_codes":[7000215]`,
		`"timestamp":"`, `"trace_id":"`, `"correlation_id":"` + corr + `"`, `"error_uri":"https://login.microsoftonline.com/error?code=7000215"}`}
	at := 0
	for _, part := range order {
		i := strings.Index(raw[at:], part)
		if i < 0 {
			t.Fatalf("body %s: %q missing or out of order", raw, part)
		}
		at += i + len(part)
	}
	desc := body["error_description"].(string)
	tail := regexp.MustCompile(`\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: ` + corr + `\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$`)
	if !tail.MatchString(desc) {
		t.Errorf("description tail: %q", desc)
	}
	if body["trace_id"] != resp.Header.Get("x-ms-request-id") {
		t.Errorf("trace_id %v != x-ms-request-id %q", body["trace_id"], resp.Header.Get("x-ms-request-id"))
	}
	for h, want := range map[string]string{"Cache-Control": "no-store, no-cache", "Pragma": "no-cache",
		"Content-Type": "application/json; charset=utf-8", "client-request-id": corr} {
		if got := resp.Header.Get(h); got != want {
			t.Errorf("header %s = %q, want %q", h, got, want)
		}
	}
	if strings.Contains(raw, `\u0026`) || strings.HasSuffix(raw, "\n") {
		t.Errorf("body not serialized as ESTS does: %q", raw)
	}
}

func TestTokenEndpointRejectsGETAndJSON(t *testing.T) {
	t.Parallel()
	s, _ := newServer(t)
	resp, body := get(t, s, "/"+fixture.TenantID+"/oauth2/v2.0/token")
	if resp.StatusCode != 400 || !strings.HasPrefix(body["error_description"].(string), "AADSTS900561:") {
		t.Errorf("GET: %d %v", resp.StatusCode, body["error_description"])
	}
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/"+fixture.TenantID+"/oauth2/v2.0/token", bytes.NewReader([]byte(`{"grant_type":"client_credentials"}`)))
	req.Header.Set("Content-Type", "application/json")
	resp, body = do(t, s, req)
	if resp.StatusCode != 400 || !strings.Contains(body["error_description"].(string), "AADSTS900144: The request body must contain the following parameter: 'grant_type'.") {
		t.Errorf("JSON body: %d %v", resp.StatusCode, body["error_description"])
	}
}

func TestV1TokenEndpoint(t *testing.T) {
	t.Parallel()
	s, f := newServer(t)
	resp, body := post(t, s, "/"+fixture.Domain+"/oauth2/token", url.Values{
		"grant_type": {"client_credentials"}, "client_id": {fixture.DaemonAppID},
		"client_secret": {f.Secret}, "resource": {"https://graph.microsoft.com"},
	})
	if resp.StatusCode != 200 {
		t.Fatalf("HTTP %d: %v", resp.StatusCode, body["_raw"])
	}
	for _, k := range []string{"expires_in", "ext_expires_in", "expires_on", "not_before"} {
		if _, ok := body[k].(string); !ok {
			t.Errorf("%s = %#v, want a string", k, body[k])
		}
	}
	if body["resource"] != "https://graph.microsoft.com" {
		t.Errorf("resource = %v", body["resource"])
	}
	tok, err := jose.Decode(body["access_token"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if tok.StringClaim("iss") != "https://sts.windows.net/"+fixture.TenantID+"/" || tok.StringClaim("ver") != "1.0" ||
		tok.StringClaim("appid") != fixture.DaemonAppID || tok.StringClaim("appidacr") != "1" || tok.StringClaim("aud") != "https://graph.microsoft.com" {
		t.Errorf("v1 claims: %s", tok.ClaimsJSON)
	}
	if tok.X5t() == "" || tok.X5t() != tok.Kid() {
		t.Errorf("v1 header: %s", tok.HeaderJSON)
	}
}

func TestDiscoveryDocuments(t *testing.T) {
	t.Parallel()
	s, _ := newServer(t)
	resp, v2 := get(t, s, "/"+fixture.Domain+"/v2.0/.well-known/openid-configuration")
	if resp.StatusCode != 200 || v2["issuer"] != s.URL+"/"+fixture.TenantID+"/v2.0" ||
		v2["token_endpoint"] != s.URL+"/"+fixture.TenantID+"/oauth2/v2.0/token" {
		t.Errorf("v2 by domain: %d %v", resp.StatusCode, v2["_raw"])
	}
	if !strings.HasPrefix(v2["_raw"].(string), `{"token_endpoint":`) || !strings.HasSuffix(v2["_raw"].(string), `"rbac_url":"https://pas.windows.net"}`) {
		t.Errorf("v2 member order: %s", v2["_raw"])
	}
	_, common := get(t, s, "/common/v2.0/.well-known/openid-configuration")
	if common["issuer"] != s.URL+"/{tenantid}/v2.0" {
		t.Errorf("common issuer %v", common["issuer"])
	}
	_, v1 := get(t, s, "/"+fixture.TenantID+"/.well-known/openid-configuration")
	if v1["issuer"] != "https://sts.windows.net/"+fixture.TenantID+"/" {
		t.Errorf("v1 issuer %v", v1["issuer"])
	}
	resp, bad := get(t, s, "/99999999-2222-3333-4444-555555555555/v2.0/.well-known/openid-configuration")
	if resp.StatusCode != 400 || bad["error"] != "invalid_tenant" || !strings.HasPrefix(bad["error_description"].(string), "AADSTS90002:") {
		t.Errorf("unknown tenant: %d %v", resp.StatusCode, bad["_raw"])
	}
	_, inst := get(t, s, "/common/discovery/instance?api-version=1.1&authorization_endpoint="+url.QueryEscape(s.URL+"/"+fixture.TenantID+"/oauth2/v2.0/authorize"))
	if inst["tenant_discovery_endpoint"] != s.URL+"/"+fixture.TenantID+"/v2.0/.well-known/openid-configuration" {
		t.Errorf("instance discovery: %v", inst["_raw"])
	}
}

func TestKeyRotationKeepsOldKeyForGrace(t *testing.T) {
	t.Parallel()
	base := time.Now()
	f := sharedFixture(t)
	s := emulator.NewTestServer(t, f.Dir, emulator.Options{KeyGrace: time.Hour, Now: func() time.Time { return base }})
	kids := func() []string {
		_, jwks := get(t, s, "/"+fixture.TenantID+"/discovery/v2.0/keys")
		keys, err := jose.ParseJWKS([]byte(jwks["_raw"].(string)))
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, k := range keys {
			if k.Kid != k.X5t || k.Cert == nil {
				t.Errorf("key %s: kid != x5t or no x5c", k.Kid)
			}
			out = append(out, k.Kid)
		}
		return out
	}
	old := s.KeyID()
	if got := kids(); len(got) != 1 || got[0] != old {
		t.Fatalf("before rotation: %v", got)
	}
	resp, rot := post(t, s, "/_aadsts/keys/rotate", nil)
	if resp.StatusCode != 200 || rot["kid"] == old {
		t.Fatalf("rotate: %d %v", resp.StatusCode, rot)
	}
	if got := kids(); len(got) != 2 || got[0] != s.KeyID() || got[1] != old {
		t.Fatalf("after rotation: %v, want [new old]", got)
	}
	s.Clock().SetOffset(2 * time.Hour)
	if got := kids(); len(got) != 1 || got[0] != s.KeyID() {
		t.Fatalf("after grace: %v", got)
	}
}

func TestFaultsAndClock(t *testing.T) {
	t.Parallel()
	s, f := newServer(t)
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {fixture.DaemonAppID},
		"client_secret": {f.Secret}, "scope": {fixture.APIURI + "/.default"}}
	path := "/" + fixture.TenantID + "/oauth2/v2.0/token"
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/_aadsts/faults", strings.NewReader(`{"client_id":"`+fixture.DaemonAppID+`","count":2,"code":7000222}`))
	if resp, _ := do(t, s, req); resp.StatusCode != http.StatusCreated {
		t.Fatalf("add fault: %d", resp.StatusCode)
	}
	s.InjectFault(emulator.Fault{Status: 429, RetryAfter: 7, Count: 1})
	for i, want := range []int{7000222, 7000222, 90055, 0} {
		resp, body := post(t, s, path, form)
		code := 0
		if c, ok := body["error_codes"].([]any); ok {
			n, _ := c[0].(json.Number).Int64()
			code = int(n)
		}
		if code != want {
			t.Fatalf("request %d: AADSTS%d (HTTP %d), want %d", i, code, resp.StatusCode, want)
		}
		if want == 90055 && (resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "7") {
			t.Fatalf("throttled: HTTP %d Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
		}
	}
	// The clock moves secrets out of their validity window.
	req, _ = http.NewRequest(http.MethodPost, s.URL+"/_aadsts/clock", strings.NewReader(`{"offset":"8760h"}`))
	if resp, _ := do(t, s, req); resp.StatusCode != 200 {
		t.Fatalf("clock: %d", resp.StatusCode)
	}
	if _, body := post(t, s, path, form); !strings.HasPrefix(body["error_description"].(string), "AADSTS7000222:") {
		t.Fatalf("a year later: %v", body["error_description"])
	}
}

func TestAdminRefusesOtherOrigins(t *testing.T) {
	t.Parallel()
	s, _ := newServer(t)
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/_aadsts/keys/rotate", nil)
	req.Header.Set("Origin", "https://evil.example")
	resp, _ := do(t, s, req)
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-origin admin request: HTTP %d", resp.StatusCode)
	}
}

func TestSpaceTail(t *testing.T) {
	t.Parallel()
	f := sharedFixture(t)
	s := emulator.NewTestServer(t, f.Dir, emulator.Options{Tail: emulator.TailSpace})
	_, body := post(t, s, "/"+fixture.TenantID+"/oauth2/v2.0/token", url.Values{"grant_type": {"client_credentials"},
		"client_id": {"99999999-0000-4000-8000-000000000009"}, "client_secret": {"x"}, "scope": {fixture.APIURI + "/.default"}})
	desc := body["error_description"].(string)
	if !regexp.MustCompile(`^AADSTS700016: .+\. Trace ID: [0-9a-f-]{36} Correlation ID: [0-9a-f-]{36} Timestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$`).MatchString(desc) {
		t.Fatalf("space tail: %q", desc)
	}
}
