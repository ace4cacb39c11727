package emulator_test

import (
	"context"
	"crypto/x509"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/confidential"

	"github.com/aadsts/aadsts/emulator"
	"github.com/aadsts/aadsts/emulator/fixture"
	"github.com/aadsts/aadsts/jose"
)

var (
	fixOnce sync.Once
	fix     *fixture.Fixture
	fixErr  error
)

// sharedFixture generates the fixture's keys once per test binary.
func sharedFixture(t testing.TB) *fixture.Fixture {
	t.Helper()
	fixOnce.Do(func() { fix, fixErr = fixture.New(time.Now()) })
	if fixErr != nil {
		t.Fatal(fixErr)
	}
	return fix
}

func newServer(t testing.TB) (*emulator.TestServer, *fixture.Fixture) {
	f := sharedFixture(t)
	return emulator.NewTestServer(t, f.Dir, emulator.Options{}), f
}

func msalClient(t *testing.T, s *emulator.TestServer, tenant, clientID string, cred confidential.Credential, opts ...confidential.Option) confidential.Client {
	t.Helper()
	opts = append([]confidential.Option{confidential.WithHTTPClient(s.Client), confidential.WithInstanceDiscovery(false)}, opts...)
	app, err := confidential.New(s.Authority(tenant), clientID, cred, opts...)
	if err != nil {
		t.Fatalf("confidential.New: %v", err)
	}
	return app
}

func TestMSALGoClientCredentials(t *testing.T) {
	t.Parallel()
	s, f := newServer(t)
	secret, _ := confidential.NewCredFromSecret(f.Secret)
	wrong, _ := confidential.NewCredFromSecret(fixture.NewSecret())
	expired, _ := confidential.NewCredFromSecret(f.ExpiredSecret)
	cert, err := confidential.NewCredFromCert([]*x509.Certificate{f.Cert}, f.Key)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := confidential.NewCredFromCert([]*x509.Certificate{f.OtherCert}, f.OtherKey)
	apiScope := []string{fixture.APIURI + "/.default"}
	cases := []struct {
		name     string
		tenant   string
		clientID string
		cred     confidential.Credential
		opts     []confidential.Option
		scopes   []string
		wantCode int // 0: a token
	}{
		{"secret", fixture.TenantID, fixture.DaemonAppID, secret, nil, apiScope, 0},
		{"secret by domain", fixture.Domain, fixture.DaemonAppID, secret, nil, apiScope, 0},
		{"secret for graph", fixture.TenantID, fixture.DaemonAppID, secret, nil, []string{"https://graph.microsoft.com/.default"}, 0},
		{"certificate PS256 x5t#S256", fixture.TenantID, fixture.DaemonAppID, cert, nil, apiScope, 0},
		{"certificate with x5c", fixture.TenantID, fixture.DaemonAppID, cert, []confidential.Option{confidential.WithX5C()}, apiScope, 0},
		{"wrong secret", fixture.TenantID, fixture.DaemonAppID, wrong, nil, apiScope, 7000215},
		{"expired secret", fixture.TenantID, fixture.DaemonAppID, expired, nil, apiScope, 7000222},
		{"unregistered certificate", fixture.TenantID, fixture.DaemonAppID, other, nil, apiScope, 700027},
		{"unknown app", fixture.TenantID, "99999999-0000-4000-8000-000000000009", secret, nil, apiScope, 700016},
		{"unknown tenant", "99999999-2222-3333-4444-555555555555", fixture.DaemonAppID, secret, nil, apiScope, 90002},
		{"scope without /.default", fixture.TenantID, fixture.DaemonAppID, secret, nil, []string{fixture.APIURI + "/Data.Read"}, 1002012},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			app := msalClient(t, s, tc.tenant, tc.clientID, tc.cred, tc.opts...)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			res, err := app.AcquireTokenByCredential(ctx, tc.scopes)
			if tc.wantCode == 0 {
				if err != nil {
					t.Fatalf("AcquireTokenByCredential: %v", err)
				}
				tok, err := jose.Decode(res.AccessToken)
				if err != nil {
					t.Fatalf("access token: %v", err)
				}
				if got := tok.StringClaim("tid"); got != fixture.TenantID {
					t.Errorf("tid = %q", got)
				}
				if tok.StringClaim("idtyp") != "app" {
					t.Errorf("idtyp = %q, want app", tok.StringClaim("idtyp"))
				}
				return
			}
			if err == nil {
				t.Fatalf("got a token, want AADSTS%d", tc.wantCode)
			}
			want := "AADSTS" + strconv.Itoa(tc.wantCode) + ":"
			if !strings.Contains(err.Error(), want) {
				t.Fatalf("error %q does not carry %s", err, want)
			}
		})
	}
}
