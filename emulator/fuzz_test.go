package emulator

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aadsts/aadsts/emulator/fixture"
)

// FuzzParseFilter feeds Graph $filter expressions: never a panic, and an
// accepted filter round-trips its values.
func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{"", "appId eq 'aaaaaaaa-0000-4000-8000-000000000001'", "appId eq 'x' and displayName eq 'O''Neil'",
		"startswith(displayName,'a')", "appId eq", "appId eq '", "signInEventTypes/any(t: t eq 'servicePrincipal') and appId eq 'x'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		conds, ok := parseFilter(s)
		if !ok {
			return
		}
		for _, c := range conds {
			if strings.Contains(c.field, " eq ") {
				t.Fatalf("field %q still holds an operator", c.field)
			}
		}
	})
}

// FuzzTokenEndpoint posts arbitrary bodies to the token endpoint: the
// answer is always Entra's JSON with a 2xx or 4xx status, never a 5xx.
func FuzzTokenEndpoint(f *testing.F) {
	fx, err := fixture.New(time.Now())
	if err != nil {
		f.Fatal(err)
	}
	e, err := New(fx.Dir, Options{})
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		"grant_type=client_credentials&client_id=" + fixture.DaemonAppID + "&client_secret=x&scope=api%3A%2F%2Fcontoso-api%2F.default",
		"grant_type=client_credentials&client_id=" + fixture.DaemonAppID + "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=eyJhbGciOiJSUzI1NiJ9.e30.x&scope=x%2F.default",
		"grant_type=authorization_code&client_id=" + fixture.WebAppID + "&code=1.Aabc&redirect_uri=http%3A%2F%2Flocalhost",
		"grant_type=refresh_token&client_id=" + fixture.WebAppID + "&refresh_token=%ZZ",
		"grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&client_id=" + fixture.APIAppID + "&assertion=a.b.c",
		"%", "&&&=", "grant_type=password",
	} {
		f.Add(s, "/"+fixture.TenantID+"/oauth2/v2.0/token")
	}
	f.Add("grant_type=client_credentials", "/common/oauth2/token")
	f.Fuzz(func(t *testing.T, body, path string) {
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " \r\n?#%") {
			return
		}
		if _, err := url.Parse("https://127.0.0.1" + path); err != nil {
			return
		}
		req := httptest.NewRequest(http.MethodPost, "https://127.0.0.1"+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("HTTP %d for %q at %s: %s", rec.Code, body, path, rec.Body)
		}
	})
}
