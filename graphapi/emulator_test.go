package graphapi_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aadsts/aadsts/audit"
	"github.com/aadsts/aadsts/directory"
	"github.com/aadsts/aadsts/graphapi"
	"github.com/aadsts/aadsts/graphapi/graphtest"
)

// TestLiveAgainstEmulator reads the example directory back through the
// emulator's Graph surface with Azure Identity's ClientSecretCredential,
// in pages of two with a 429 injected, and audits it.
func TestLiveAgainstEmulator(t *testing.T) {
	dir, err := directory.LoadFile("../examples/directory.json")
	if err != nil {
		t.Fatal(err)
	}
	srv := graphtest.Start(t, dir, "/v1.0/applications", "/v1.0/servicePrincipals")
	hc := srv.Client

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
	got, err := graphapi.ReadDirectory(ctx, c, tenant, graphapi.ReadOptions{PageSize: 2, Federated: true})
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
	if srv.Hits("/v1.0/applications") != 4 {
		t.Fatalf("applications requested %d times, want 4 (3 pages + 1 throttled)", srv.Hits("/v1.0/applications"))
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
