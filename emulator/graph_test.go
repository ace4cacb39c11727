package emulator_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/confidential"

	"github.com/aadsts/aadsts/emulator"
	"github.com/aadsts/aadsts/emulator/fixture"
)

func graphToken(t *testing.T, s *emulator.TestServer, clientID, secret string) string {
	t.Helper()
	cred, _ := confidential.NewCredFromSecret(secret)
	app := msalClient(t, s, fixture.TenantID, clientID, cred)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	res, err := app.AcquireTokenByCredential(ctx, []string{"https://graph.microsoft.com/.default"})
	if err != nil {
		t.Fatal(err)
	}
	return res.AccessToken
}

type graphPage struct {
	Value    []map[string]any `json:"value"`
	NextLink string           `json:"@odata.nextLink"`
	Error    struct {
		Code string `json:"code"`
	} `json:"error"`
}

func graphGet(t *testing.T, s *emulator.TestServer, u, token string) (int, graphPage) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var p graphPage
	if err := json.NewDecoder(resp.Body).Decode(&p); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, p
}

func TestGraphSurface(t *testing.T) {
	t.Parallel()
	s, f := newServer(t)
	tok := graphToken(t, s, fixture.DaemonAppID, f.Secret)
	// Some sign-ins to list: one failure, then the successful one above.
	post(t, s, "/"+fixture.TenantID+"/oauth2/v2.0/token", url.Values{"grant_type": {"client_credentials"},
		"client_id": {fixture.DaemonAppID}, "client_secret": {"nope"}, "scope": {"https://graph.microsoft.com/.default"}})

	code, p := graphGet(t, s, s.URL+"/v1.0/applications?$filter="+url.QueryEscape("appId eq '"+fixture.DaemonAppID+"'")+"&$select=appId,displayName,passwordCredentials", tok)
	if code != 200 || len(p.Value) != 1 || p.Value[0]["displayName"] != "contoso-daemon" || len(p.Value[0]) != 3 {
		t.Fatalf("applications: %d %+v", code, p)
	}
	if b, _ := json.Marshal(p); strings.Contains(string(b), f.Secret) {
		t.Fatal("Graph returned a secret")
	}
	code, p = graphGet(t, s, s.URL+"/v1.0/servicePrincipals?$top=2", tok)
	if code != 200 || len(p.Value) != 2 || p.NextLink == "" {
		t.Fatalf("servicePrincipals page 1: %d %d items, next %q", code, len(p.Value), p.NextLink)
	}
	var all []map[string]any
	next := s.URL + "/v1.0/auditLogs/signIns?$top=1&$filter=" + url.QueryEscape("appId eq '"+fixture.DaemonAppID+"'")
	for next != "" {
		code, p = graphGet(t, s, next, tok)
		if code != 200 {
			t.Fatalf("signIns: %d", code)
		}
		all = append(all, p.Value...)
		next = p.NextLink
	}
	if len(all) != 2 {
		t.Fatalf("signIns: %d records, want 2", len(all))
	}
	failed, ok := all[0], all[1]
	st := failed["status"].(map[string]any)
	if st["errorCode"].(float64) != 7000215 || failed["clientCredentialType"] != "clientSecret" || failed["servicePrincipalId"] != fixture.DaemonSPID ||
		failed["resourceId"] != "00000003-0000-0000-c000-000000000000" {
		t.Errorf("failed sign-in: %v", failed)
	}
	if ok["status"].(map[string]any)["errorCode"].(float64) != 0 || ok["resourceId"] != "00000003-0000-0000-c000-000000000000" ||
		ok["resourceDisplayName"] != "Microsoft Graph" || ok["servicePrincipalCredentialKeyId"] != fixture.SecretKeyID {
		t.Errorf("successful sign-in: %v", ok)
	}

	if code, _ := graphGet(t, s, s.URL+"/v1.0/applications", ""); code != 401 {
		t.Errorf("no token: %d", code)
	}
	webTok := graphToken(t, s, fixture.WebAppID, f.WebSecret)
	if code, p := graphGet(t, s, s.URL+"/v1.0/auditLogs/signIns", webTok); code != 403 || p.Error.Code != "Authorization_RequestDenied" {
		t.Errorf("token without AuditLog.Read.All: %d %s", code, p.Error.Code)
	}
	if code, _ := graphGet(t, s, s.URL+"/v1.0/applications?$filter=startswith(displayName,'c')", tok); code != 400 {
		t.Errorf("unsupported filter: %d", code)
	}
}

func TestGraphSingleApplicationAndFederatedCredentials(t *testing.T) {
	t.Parallel()
	s, f := newServer(t)
	tok := graphToken(t, s, fixture.DaemonAppID, f.Secret)
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/v1.0/applications/"+fixture.DaemonObjectID+"?$select=appId,displayName", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, body := do(t, s, req)
	if resp.StatusCode != 200 || body["appId"] != fixture.DaemonAppID || body["keyCredentials"] != nil {
		t.Fatalf("application: %d %v", resp.StatusCode, body["_raw"])
	}
	code, p := graphGet(t, s, s.URL+"/v1.0/applications/"+fixture.DaemonObjectID+"/federatedIdentityCredentials", tok)
	if code != 200 || len(p.Value) != 0 {
		t.Fatalf("federated credentials: %d %+v", code, p)
	}
	if code, p := graphGet(t, s, s.URL+"/v1.0/applications/00000000-0000-4000-8000-000000000000", tok); code != 404 || p.Error.Code != "Request_ResourceNotFound" {
		t.Fatalf("unknown application: %d %s", code, p.Error.Code)
	}
}
