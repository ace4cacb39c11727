package watch

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aadsts/aadsts/emulator"
	"github.com/aadsts/aadsts/emulator/fixture"
	"github.com/aadsts/aadsts/graphapi"
	"github.com/aadsts/aadsts/signins"
	"github.com/aadsts/aadsts/signins/alert"
)

// TestGraphPassAgainstEmulator watches the emulator's /v1.0/auditLogs/signIns:
// failed token requests made with an expired and a wrong secret show up as
// sign-ins, and a rule on the expired-secret code fires.
func TestGraphPassAgainstEmulator(t *testing.T) {
	f, err := fixture.New(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	s := emulator.NewTestServer(t, f.Dir, emulator.Options{})
	tokenURL := s.URL + "/" + fixture.TenantID + "/oauth2/v2.0/token"
	for _, secret := range []string{f.ExpiredSecret, f.ExpiredSecret, "wrong-secret"} {
		resp, err := s.Client.PostForm(tokenURL, url.Values{"grant_type": {"client_credentials"}, "client_id": {fixture.DaemonAppID},
			"client_secret": {secret}, "scope": {"https://graph.microsoft.com/.default"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Fatalf("token request with a bad secret succeeded")
		}
	}
	tokens, err := graphapi.AzureIdentity(graphapi.AzureOptions{Kind: graphapi.CredSecret, TenantID: fixture.TenantID,
		ClientID: fixture.DaemonAppID, ClientSecret: f.Secret, AuthorityHost: s.URL, HTTPClient: s.Client})
	if err != nil {
		t.Fatal(err)
	}
	c, err := graphapi.New(s.URL+"/v1.0", tokens, s.Client)
	if err != nil {
		t.Fatal(err)
	}
	rules, err := alert.Load(strings.NewReader("rules:\n  - name: expired\n    match: {codes: [7000222]}\n    threshold: 2\n"), "r.yaml")
	if err != nil {
		t.Fatal(err)
	}
	st := store(t)
	var fired []alert.Result
	w := &Watcher{Store: st, Rules: rules, OnAlert: func(r []alert.Result) { fired = r }}
	ctx := context.Background()
	since, added, err := w.GraphPass(ctx, c, "/auditLogs/signIns?$top=2", time.Now().Add(-time.Hour), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if added < 3 {
		t.Fatalf("added %d sign-ins from the emulator, want at least 3", added)
	}
	codes, err := st.Report(ctx, signins.Query{By: signins.ByCode})
	if err != nil {
		t.Fatal(err)
	}
	var expired int
	for _, g := range codes {
		if g.Code == 7000222 {
			expired = g.Count
		}
	}
	if expired != 2 || len(fired) != 1 || !fired[0].Fired {
		t.Fatalf("7000222 count %d, rules %+v", expired, fired)
	}
	// A second pass finds nothing new.
	if _, again, err := w.GraphPass(ctx, c, "/auditLogs/signIns?$top=2", since, time.Minute); err != nil || again != 0 {
		t.Fatalf("second pass added %d, %v", again, err)
	}
}
