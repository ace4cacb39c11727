package emulator_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/confidential"

	"github.com/aadsts/aadsts/directory"
	"github.com/aadsts/aadsts/emulator"
	"github.com/aadsts/aadsts/emulator/fixture"
	"github.com/aadsts/aadsts/jose"
)

// externalIssuer is an OIDC issuer (a CI system, say) serving discovery
// and a JWKS, whose tokens the emulator must fetch keys for.
func externalIssuer(t *testing.T) (*httptest.Server, *rsa.PrivateKey) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	var srv *httptest.Server
	srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/.well-known/openid-configuration":
			json.NewEncoder(w).Encode(map[string]string{"issuer": srv.URL, "jwks_uri": srv.URL + "/keys"})
		case "/keys":
			json.NewEncoder(w).Encode(map[string]any{"keys": []map[string]string{{"kty": "RSA", "kid": "ci-1", "use": "sig", "alg": "RS256",
				"n": base64.RawURLEncoding.EncodeToString(key.N.Bytes()),
				"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(key.E)).Bytes())}}})
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, key
}

func TestFederatedCredentialWithFetchedIssuerKeys(t *testing.T) {
	t.Parallel()
	f := sharedFixture(t)
	issuer, key := externalIssuer(t)
	const subject = "repo:contoso/deployer:ref:refs/heads/main"
	dir, err := directory.Load("fic", f.JSON)
	if err != nil {
		t.Fatal(err)
	}
	app, _ := dir.Tenants[0].FindApplication(fixture.DaemonAppID)
	app.FederatedIdentityCredentials = []directory.FederatedIdentityCredential{{ID: "f1c00000-0000-4000-8000-000000000001",
		Name: "deployer", Issuer: issuer.URL, Subject: subject, Audiences: []string{"api://AzureADTokenExchange"}}}
	s := emulator.NewTestServer(t, dir, emulator.Options{HTTPClient: issuer.Client()})

	ciToken := func(sub string) string {
		now := time.Now()
		tok, err := jose.Sign(map[string]any{"iss": issuer.URL, "sub": sub, "aud": "api://AzureADTokenExchange",
			"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(5 * time.Minute).Unix()},
			map[string]any{"kid": "ci-1", "typ": "JWT"}, key, "RS256")
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	for _, tc := range []struct {
		name, sub string
		want      string
	}{
		{"matching subject", subject, ""},
		{"other subject", "repo:contoso/other:ref:refs/heads/main", "AADSTS700213"},
		{"subject in other case", strings.ToUpper(subject[:4]) + subject[4:], "AADSTS7002138"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cred := confidential.NewCredFromAssertionCallback(func(context.Context, confidential.AssertionRequestOptions) (string, error) {
				return ciToken(tc.sub), nil
			})
			app := msalClient(t, s, fixture.TenantID, fixture.DaemonAppID, cred)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			res, err := app.AcquireTokenByCredential(ctx, []string{fixture.APIURI + "/.default"})
			if tc.want == "" {
				if err != nil {
					t.Fatalf("federated credential: %v", err)
				}
				at, _ := jose.Decode(res.AccessToken)
				if at.StringClaim("azpacr") != "2" {
					t.Errorf("azpacr %q, want 2", at.StringClaim("azpacr"))
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want+":") {
				t.Fatalf("error %v, want %s", err, tc.want)
			}
		})
	}
	si := s.SignIns()
	if len(si) == 0 || si[len(si)-1].ClientCredentialType != "federatedIdentityCredential" || si[len(si)-1].FederatedCredentialID == nil {
		t.Fatalf("first sign-in not recorded as federated: %+v", si[len(si)-1])
	}
}

type sinkFunc func(emulator.SignIn)

func (f sinkFunc) Record(_ context.Context, s emulator.SignIn) error { f(s); return nil }

func TestSignInSinkReceivesEveryRequest(t *testing.T) {
	t.Parallel()
	f := sharedFixture(t)
	got := make(chan emulator.SignIn, 4)
	s := emulator.NewTestServer(t, f.Dir, emulator.Options{SignIns: sinkFunc(func(si emulator.SignIn) { got <- si })})
	cert, _ := confidential.NewCredFromCert(certs(f), f.Key)
	app := msalClient(t, s, fixture.TenantID, fixture.DaemonAppID, cert)
	if _, err := app.AcquireTokenByCredential(context.Background(), []string{fixture.APIURI + "/.default"}); err != nil {
		t.Fatal(err)
	}
	si := <-got
	if si.Status.ErrorCode != 0 || si.ClientCredentialType != "certificate" || si.ServicePrincipalCredentialKeyID != fixture.CertKeyID ||
		si.ResourceID != fixture.APIAppID || si.ServicePrincipalCredentialThumbprint == "" || si.IPAddress != "127.0.0.1" {
		t.Fatalf("sign-in: %+v", si)
	}
}

// TestEmulatorTokenAsFederatedCredential chains two apps as a managed
// identity and an app trusting it do: the daemon gets an app-only token
// for api://AzureADTokenExchange from the emulator, and the web app
// presents it as its client assertion through a federated credential
// naming the emulator's v1 issuer and the daemon's service principal.
func TestEmulatorTokenAsFederatedCredential(t *testing.T) {
	t.Parallel()
	f := sharedFixture(t)
	dir, err := directory.Load("fic-chain", f.JSON)
	if err != nil {
		t.Fatal(err)
	}
	tn := &dir.Tenants[0]
	tn.ServicePrincipals = append(tn.ServicePrincipals, directory.ServicePrincipal{ID: "fb60f99c-0000-4000-8000-0000000000b9",
		AppID: "fb60f99c-7a34-4190-8149-302f77469936", DisplayName: "AAD Token Exchange Endpoint",
		ServicePrincipalNames: []string{"api://AzureADTokenExchange"}})
	web, _ := tn.FindApplication(fixture.WebAppID)
	web.FederatedIdentityCredentials = []directory.FederatedIdentityCredential{{ID: "f1c00000-0000-4000-8000-000000000002",
		Name: "from-daemon", Issuer: "https://sts.windows.net/" + fixture.TenantID + "/", Subject: fixture.DaemonSPID,
		Audiences: []string{"api://AzureADTokenExchange"}}}
	s := emulator.NewTestServer(t, dir, emulator.Options{})
	secret, _ := confidential.NewCredFromSecret(f.Secret)
	daemon := msalClient(t, s, fixture.TenantID, fixture.DaemonAppID, secret)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	exch, err := daemon.AcquireTokenByCredential(ctx, []string{"api://AzureADTokenExchange/.default"})
	if err != nil {
		t.Fatalf("exchange token: %v", err)
	}
	cred := confidential.NewCredFromAssertionCallback(func(context.Context, confidential.AssertionRequestOptions) (string, error) {
		return exch.AccessToken, nil
	})
	app := msalClient(t, s, fixture.TenantID, fixture.WebAppID, cred)
	res, err := app.AcquireTokenByCredential(ctx, []string{"https://graph.microsoft.com/.default"})
	if err != nil {
		t.Fatalf("web app with the daemon's token as federated credential: %v", err)
	}
	at, _ := jose.Decode(res.AccessToken)
	if at.StringClaim("appid") != fixture.WebAppID || at.StringClaim("appidacr") != "2" {
		t.Fatalf("claims: %s", at.ClaimsJSON)
	}
}
