package emulator_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/coreos/go-oidc/v3/oidc"

	"github.com/aadsts/aadsts/emulator"
	"github.com/aadsts/aadsts/emulator/fixture"
)

// protectedAPI is a resource server that validates bearer tokens with an
// independent OIDC library, through the emulator's discovery and JWKS.
func protectedAPI(t *testing.T, s *emulator.TestServer) *httptest.Server {
	ctx := oidc.ClientContext(context.Background(), s.Client)
	provider, err := oidc.NewProvider(ctx, s.Authority(fixture.TenantID)+"/v2.0")
	if err != nil {
		t.Fatalf("oidc discovery: %v", err)
	}
	verifier := provider.Verifier(&oidc.Config{ClientID: fixture.APIAppID, SupportedSigningAlgs: []string{"RS256"}})
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			http.Error(w, "no bearer token", http.StatusUnauthorized)
			return
		}
		tok, err := verifier.Verify(ctx, raw)
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		var claims struct {
			Roles []string `json:"roles"`
			Azp   string   `json:"azp"`
		}
		if err := tok.Claims(&claims); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		fmt.Fprintf(w, "azp=%s roles=%s", claims.Azp, strings.Join(claims.Roles, ","))
	}))
	t.Cleanup(api.Close)
	return api
}

func TestAzureIdentityTokensValidateWithOIDC(t *testing.T) {
	t.Parallel()
	s, f := newServer(t)
	api := protectedAPI(t, s)
	copts := azcore.ClientOptions{
		Cloud:     cloud.Configuration{ActiveDirectoryAuthorityHost: s.URL + "/"},
		Transport: s.Client,
	}
	secretCred, err := azidentity.NewClientSecretCredential(fixture.TenantID, fixture.DaemonAppID, f.Secret,
		&azidentity.ClientSecretCredentialOptions{ClientOptions: copts, DisableInstanceDiscovery: true})
	if err != nil {
		t.Fatal(err)
	}
	certCred, err := azidentity.NewClientCertificateCredential(fixture.TenantID, fixture.DaemonAppID, nil, f.Key,
		&azidentity.ClientCertificateCredentialOptions{ClientOptions: copts, DisableInstanceDiscovery: true})
	if err == nil {
		t.Fatal("a credential without certificates was accepted")
	}
	certCred, err = azidentity.NewClientCertificateCredential(fixture.TenantID, fixture.DaemonAppID, certs(f), f.Key,
		&azidentity.ClientCertificateCredentialOptions{ClientOptions: copts, DisableInstanceDiscovery: true})
	if err != nil {
		t.Fatal(err)
	}
	for name, cred := range map[string]azcore.TokenCredential{"ClientSecretCredential": secretCred, "ClientCertificateCredential": certCred} {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			tok, err := cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{fixture.APIURI + "/.default"}})
			if err != nil {
				t.Fatalf("GetToken: %v", err)
			}
			if !tok.ExpiresOn.After(time.Now().Add(50 * time.Minute)) {
				t.Errorf("expires on %v, want about an hour", tok.ExpiresOn)
			}
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, api.URL, nil)
			req.Header.Set("Authorization", "Bearer "+tok.Token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body := readAll(t, resp)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("API answered %d: %s", resp.StatusCode, body)
			}
			if want := "azp=" + fixture.DaemonAppID + " roles=" + fixture.APIRole; body != want {
				t.Fatalf("API saw %q, want %q", body, want)
			}
		})
	}
}
