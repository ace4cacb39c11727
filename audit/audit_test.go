package audit

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aadsts/aadsts/directory"
)

var now = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

const (
	appID = "aaaaaaaa-0000-4000-8000-000000000001"
	objID = "bbbbbbbb-0000-4000-8000-000000000002"
)

func secret(keyID string, start, end time.Time) directory.PasswordCredential {
	return directory.PasswordCredential{KeyID: keyID, DisplayName: "s-" + keyID, Start: start, End: end}
}

func appWith(mod func(a *directory.Application)) *directory.Directory {
	a := directory.Application{ID: objID, AppID: appID, DisplayName: "app"}
	mod(&a)
	return &directory.Directory{Tenants: []directory.Tenant{{ID: "t", Applications: []directory.Application{a}}}}
}

func spWith(mod func(sp *directory.ServicePrincipal)) *directory.Directory {
	sp := directory.ServicePrincipal{ID: "cccccccc-0000-4000-8000-000000000003", AppID: appID, DisplayName: "sp"}
	mod(&sp)
	return &directory.Directory{Tenants: []directory.Tenant{{ID: "t", ServicePrincipals: []directory.ServicePrincipal{sp}}}}
}

func dur(n int) time.Duration { return time.Duration(n) * Day }

// find returns the findings of rule.
func find(fs []Finding, rule string) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}

func mustRun(t *testing.T, d *directory.Directory, o Options) []Finding {
	t.Helper()
	fs, err := Run(context.Background(), d, o)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

type ruleCase struct {
	name string
	dir  *directory.Directory
	opts func(o *Options)
	rule string
	want []Severity // severities of the findings of rule, in order; nil = none
	key  string     // expected key_id of the first finding
}

func runRuleCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o := DefaultOptions(now)
			if tc.opts != nil {
				tc.opts(&o)
			}
			got := find(mustRun(t, tc.dir, o), tc.rule)
			if len(got) != len(tc.want) {
				t.Fatalf("%s: %d findings %v, want %d", tc.rule, len(got), got, len(tc.want))
			}
			for i, f := range got {
				if f.Severity != tc.want[i] {
					t.Errorf("finding %d severity %s, want %s (%s)", i, f.Severity, tc.want[i], f.Message)
				}
				if f.Message == "" || f.Fix == "" || f.AppID != appID {
					t.Errorf("finding %d incomplete: %+v", i, f)
				}
			}
			if tc.key != "" && len(got) > 0 && got[0].KeyID != tc.key {
				t.Errorf("key_id %q, want %q", got[0].KeyID, tc.key)
			}
		})
	}
}

func TestExpiryRules(t *testing.T) {
	oneSecret := func(end time.Time) *directory.Directory {
		return appWith(func(a *directory.Application) {
			a.PasswordCredentials = []directory.PasswordCredential{secret("k1", now.Add(-dur(100)), end)}
		})
	}
	cert := func(end time.Time) *directory.Directory {
		return appWith(func(a *directory.Application) {
			a.KeyCredentials = []directory.KeyCredential{{KeyID: "c1", Type: directory.KeyTypeX509, Usage: "Verify", Start: now.Add(-dur(100)), End: end}}
		})
	}
	runRuleCases(t, []ruleCase{
		{name: "expired secret", dir: oneSecret(now.Add(-time.Hour)), rule: RuleExpired, want: []Severity{Critical}, key: "k1"},
		{name: "expires exactly now", dir: oneSecret(now), rule: RuleExpired, want: []Severity{Critical}},
		{name: "valid secret not expired", dir: oneSecret(now.Add(dur(100))), rule: RuleExpired},
		{name: "expired certificate", dir: cert(now.Add(-dur(3))), rule: RuleExpired, want: []Severity{Critical}, key: "c1"},
		{name: "expiring in 20 days warns", dir: oneSecret(now.Add(dur(20))), rule: RuleExpiring, want: []Severity{Warning}},
		{name: "expiring in 5 days critical", dir: oneSecret(now.Add(dur(5))), rule: RuleExpiring, want: []Severity{Critical}},
		{name: "expiring in 40 days silent", dir: oneSecret(now.Add(dur(40))), rule: RuleExpiring},
		{name: "custom warn window 60 days", dir: oneSecret(now.Add(dur(40))), opts: func(o *Options) { o.WarnWithin = dur(60) }, rule: RuleExpiring, want: []Severity{Warning}},
		{name: "custom critical window 21 days", dir: oneSecret(now.Add(dur(20))), opts: func(o *Options) { o.CriticalWithin = dur(21) }, rule: RuleExpiring, want: []Severity{Critical}},
		{name: "certificate expiring", dir: cert(now.Add(dur(10))), rule: RuleExpiring, want: []Severity{Warning}},
		{name: "no end date", dir: oneSecret(time.Time{}), rule: RuleExpiring},
		{name: "service principal secret expired", dir: spWith(func(sp *directory.ServicePrincipal) {
			sp.PasswordCredentials = []directory.PasswordCredential{secret("k9", now.Add(-dur(400)), now.Add(-dur(1)))}
		}), rule: RuleExpired, want: []Severity{Critical}, key: "k9"},
		{name: "not yet valid", dir: appWith(func(a *directory.Application) {
			a.PasswordCredentials = []directory.PasswordCredential{secret("k1", now.Add(dur(2)), now.Add(dur(200)))}
		}), rule: RuleNotYetValid, want: []Severity{Info}},
	})
}

func TestNowIsHonoured(t *testing.T) {
	d := appWith(func(a *directory.Application) {
		a.PasswordCredentials = []directory.PasswordCredential{secret("k1", now.Add(-dur(10)), now.Add(dur(10)))}
	})
	if got := find(mustRun(t, d, DefaultOptions(now)), RuleExpired); len(got) != 0 {
		t.Fatal("expired too early")
	}
	if got := find(mustRun(t, d, DefaultOptions(now.Add(dur(11)))), RuleExpired); len(got) != 1 {
		t.Fatal("not expired after its end")
	}
}

func TestLifetimeRules(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{name: "two-year secret", dir: appWith(func(a *directory.Application) {
			a.PasswordCredentials = []directory.PasswordCredential{secret("k1", now.Add(-dur(10)), now.Add(dur(720)))}
		}), rule: RuleSecretLifetime, want: []Severity{Warning}, key: "k1"},
		{name: "one-year secret ok", dir: appWith(func(a *directory.Application) {
			a.PasswordCredentials = []directory.PasswordCredential{secret("k1", now.Add(-dur(10)), now.Add(dur(355)))}
		}), rule: RuleSecretLifetime},
		{name: "policy of 90 days", dir: appWith(func(a *directory.Application) {
			a.PasswordCredentials = []directory.PasswordCredential{secret("k1", now.Add(-dur(10)), now.Add(dur(355)))}
		}), opts: func(o *Options) { o.MaxSecretLifetime = dur(90) }, rule: RuleSecretLifetime, want: []Severity{Warning}},
		{name: "expired long secret not judged", dir: appWith(func(a *directory.Application) {
			a.PasswordCredentials = []directory.PasswordCredential{secret("k1", now.Add(-dur(1000)), now.Add(-dur(1)))}
		}), rule: RuleSecretLifetime},
		{name: "three-year certificate", dir: appWith(func(a *directory.Application) {
			a.KeyCredentials = []directory.KeyCredential{{KeyID: "c1", Type: directory.KeyTypeX509, Start: now.Add(-dur(10)), End: now.Add(dur(1085))}}
		}), rule: RuleCertLifetime, want: []Severity{Warning}},
		{name: "two-year certificate ok", dir: appWith(func(a *directory.Application) {
			a.KeyCredentials = []directory.KeyCredential{{KeyID: "c1", Type: directory.KeyTypeX509, Start: now.Add(-dur(10)), End: now.Add(dur(720))}}
		}), rule: RuleCertLifetime},
	})
}

func TestSymmetricSigningKey(t *testing.T) {
	sym := directory.KeyCredential{KeyID: "s1", Type: "Symmetric", Usage: "Sign", End: now.Add(dur(300))}
	runRuleCases(t, []ruleCase{
		{name: "on application", dir: appWith(func(a *directory.Application) { a.KeyCredentials = []directory.KeyCredential{sym} }), rule: RuleSymmetricSign, want: []Severity{Critical}, key: "s1"},
		{name: "on service principal", dir: spWith(func(sp *directory.ServicePrincipal) { sp.KeyCredentials = []directory.KeyCredential{sym} }), rule: RuleSymmetricSign, want: []Severity{Critical}},
		{name: "symmetric verify key is not signing", dir: appWith(func(a *directory.Application) {
			k := sym
			k.Usage = "Verify"
			a.KeyCredentials = []directory.KeyCredential{k}
		}), rule: RuleSymmetricSign},
		{name: "certificate sign key", dir: appWith(func(a *directory.Application) {
			k := sym
			k.Type = directory.KeyTypeX509
			a.KeyCredentials = []directory.KeyCredential{k}
		}), rule: RuleSymmetricSign},
	})
}

func TestServicePrincipalSecrets(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{name: "secret on sp", dir: spWith(func(sp *directory.ServicePrincipal) {
			sp.PasswordCredentials = []directory.PasswordCredential{secret("k1", now.Add(-dur(1)), now.Add(dur(200)))}
		}), rule: RuleSPSecret, want: []Severity{Warning}, key: "k1"},
		{name: "saml certificate password not flagged", dir: spWith(func(sp *directory.ServicePrincipal) {
			p := secret("k1", now.Add(-dur(1)), now.Add(dur(200)))
			p.CustomKeyIdentifier = "AbCd"
			sp.PasswordCredentials = []directory.PasswordCredential{p}
			sp.KeyCredentials = []directory.KeyCredential{{KeyID: "c1", Type: directory.KeyTypeX509, Usage: "Sign", CustomKeyIdentifier: "AbCd", End: now.Add(dur(200))}}
		}), rule: RuleSPSecret},
		{name: "secret on application is fine", dir: appWith(func(a *directory.Application) {
			a.PasswordCredentials = []directory.PasswordCredential{secret("k1", now.Add(-dur(1)), now.Add(dur(200)))}
		}), rule: RuleSPSecret},
	})
}

func TestMultipleActiveSecrets(t *testing.T) {
	n := func(active, expired int) *directory.Directory {
		return appWith(func(a *directory.Application) {
			for i := 0; i < active; i++ {
				a.PasswordCredentials = append(a.PasswordCredentials, secret(fmt.Sprint("a", i), now.Add(-dur(1)), now.Add(dur(200))))
			}
			for i := 0; i < expired; i++ {
				a.PasswordCredentials = append(a.PasswordCredentials, secret(fmt.Sprint("e", i), now.Add(-dur(300)), now.Add(-dur(1))))
			}
		})
	}
	runRuleCases(t, []ruleCase{
		{name: "one active", dir: n(1, 3), rule: RuleMultipleSecrets},
		{name: "two active is a rotation", dir: n(2, 0), rule: RuleMultipleSecrets, want: []Severity{Info}},
		{name: "three active", dir: n(3, 1), rule: RuleMultipleSecrets, want: []Severity{Warning}},
	})
}

// certDER makes a self-signed certificate with the given key.
func certDER(t *testing.T, key any, pub any) []byte {
	t.Helper()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "audit-test"},
		NotBefore: now.Add(-dur(1)), NotAfter: now.Add(dur(300))}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, pub, key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func hexSHA1(der []byte) string {
	s := sha1.Sum(der)
	return fmt.Sprintf("%X", s[:])
}

// sharedSHA1Cert is a real SHA-1-signed RSA-2048 certificate from Azure
// CLI's recordings; its SHA-1 is BCBFBDE67E6B86150BE18AFBF915D1C189E58598.
func sharedSHA1Cert(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../../shared/data/apps/azure-cli_msgraph-v1.0_PATCH-application_keyCredentials.request.json")
	if err != nil {
		t.Skip("shared sample missing: ", err)
	}
	var body struct {
		KeyCredentials []struct{ Key string } `json:"keyCredentials"`
	}
	if err := json.Unmarshal(b, &body); err != nil {
		t.Fatal(err)
	}
	der, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(body.KeyCredentials[0].Key, "\n", ""))
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func TestCertificateRules(t *testing.T) {
	k2048, _ := rsa.GenerateKey(rand.Reader, 2048)
	k1024, _ := rsa.GenerateKey(rand.Reader, 1024)
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	good := certDER(t, k2048, &k2048.PublicKey)
	weak := certDER(t, k1024, &k1024.PublicKey)
	ecDER := certDER(t, ec, &ec.PublicKey)
	sha1Cert := sharedSHA1Cert(t)
	withKey := func(der []byte, cki string) *directory.Directory {
		return appWith(func(a *directory.Application) {
			a.KeyCredentials = []directory.KeyCredential{{KeyID: "c1", Type: directory.KeyTypeX509, Usage: "Verify", CustomKeyIdentifier: cki,
				Start: now.Add(-dur(1)), End: now.Add(dur(300)), Key: der}}
		})
	}
	goodTP := hexSHA1(good)
	rawSum := sha1.Sum(good)
	runRuleCases(t, []ruleCase{
		{name: "hex thumbprint matches", dir: withKey(good, goodTP), rule: RuleThumbprint},
		{name: "lower-case hex matches", dir: withKey(good, strings.ToLower(goodTP)), rule: RuleThumbprint},
		{name: "base64 thumbprint matches", dir: withKey(good, base64.StdEncoding.EncodeToString(rawSum[:])), rule: RuleThumbprint},
		{name: "no customKeyIdentifier", dir: withKey(good, ""), rule: RuleThumbprint},
		{name: "another certificate's thumbprint", dir: withKey(good, hexSHA1(weak)), rule: RuleThumbprint, want: []Severity{Warning}, key: "c1"},
		{name: "not a thumbprint", dir: withKey(good, "my-cert-2026"), rule: RuleThumbprint, want: []Severity{Info}},
		{name: "shared sample matches its thumbprint", dir: withKey(sha1Cert, "BCBFBDE67E6B86150BE18AFBF915D1C189E58598"), rule: RuleThumbprint},
		{name: "rsa 1024 is weak", dir: withKey(weak, ""), rule: RuleWeakKey, want: []Severity{Critical}},
		{name: "rsa 2048 is not weak", dir: withKey(good, ""), rule: RuleWeakKey},
		{name: "p-256 is not weak", dir: withKey(ecDER, ""), rule: RuleWeakKey},
		{name: "sha1-signed", dir: withKey(sha1Cert, ""), rule: RuleSHA1Cert, want: []Severity{Warning}},
		{name: "sha256-signed", dir: withKey(good, ""), rule: RuleSHA1Cert},
		{name: "garbage key", dir: withKey([]byte("not a certificate"), ""), rule: RuleCertUnreadable, want: []Severity{Warning}},
		{name: "no key no checks", dir: withKey(nil, "nonsense"), rule: RuleThumbprint},
	})
}

func fic(name, iss, sub string, aud ...string) directory.FederatedIdentityCredential {
	if aud == nil {
		aud = []string{"api://AzureADTokenExchange"}
	}
	return directory.FederatedIdentityCredential{ID: "id-" + name, Name: name, Issuer: iss, Subject: sub, Audiences: aud}
}

func TestFederatedRules(t *testing.T) {
	one := func(f directory.FederatedIdentityCredential) *directory.Directory {
		return appWith(func(a *directory.Application) {
			a.FederatedIdentityCredentials = []directory.FederatedIdentityCredential{f}
		})
	}
	gh := func(sub string) *directory.Directory { return one(fic("f", GitHubIssuer, sub)) }
	many := appWith(func(a *directory.Application) {
		for i := 0; i < 21; i++ {
			a.FederatedIdentityCredentials = append(a.FederatedIdentityCredentials, fic(fmt.Sprint("f", i), GitHubIssuer, fmt.Sprintf("repo:o/r:environment:e%d", i)))
		}
	})
	runRuleCases(t, []ruleCase{
		{name: "https issuer ok", dir: gh("repo:contoso/app:ref:refs/heads/main"), rule: RuleFICIssuer},
		{name: "http issuer", dir: one(fic("f", "http://issuer.example", "x")), rule: RuleFICIssuer, want: []Severity{Critical}, key: "id-f"},
		{name: "not a url", dir: one(fic("f", "token.actions.githubusercontent.com", "x")), rule: RuleFICIssuer, want: []Severity{Critical}},
		{name: "github issuer trailing slash", dir: one(fic("f", GitHubIssuer+"/", "repo:o/r:pull_request")), rule: RuleFICIssuer, want: []Severity{Warning}},
		{name: "github enterprise issuer ok", dir: one(fic("f", GitHubIssuer+"/contoso-ent", "repo:o/r:pull_request")), rule: RuleFICIssuer},
		{name: "audience ok", dir: gh("repo:o/r:pull_request"), rule: RuleFICAudience},
		{name: "us gov audience ok", dir: one(fic("f", GitHubIssuer, "repo:o/r:pull_request", "api://AzureADTokenExchangeUSGov")), rule: RuleFICAudience},
		{name: "other audience", dir: one(fic("f", GitHubIssuer, "repo:o/r:pull_request", "https://management.azure.com")), rule: RuleFICAudience, want: []Severity{Warning}},
		{name: "audience case", dir: one(fic("f", GitHubIssuer, "repo:o/r:pull_request", "api://azureadtokenexchange")), rule: RuleFICAudience, want: []Severity{Warning}},
		{name: "two audiences", dir: one(fic("f", GitHubIssuer, "repo:o/r:pull_request", "api://AzureADTokenExchange", "x")), rule: RuleFICAudience, want: []Severity{Warning}},
		{name: "github branch ok", dir: gh("repo:contoso/app:ref:refs/heads/main"), rule: RuleFICGitHubSubject},
		{name: "github tag ok", dir: gh("repo:contoso/app:ref:refs/tags/v1.2"), rule: RuleFICGitHubSubject},
		{name: "github environment ok", dir: gh("repo:contoso/app:environment:production"), rule: RuleFICGitHubSubject},
		{name: "github pull request ok", dir: gh("repo:contoso/app:pull_request"), rule: RuleFICGitHubSubject},
		{name: "github immutable ok", dir: gh("repo:contoso@1234/app@5678:ref:refs/heads/main"), rule: RuleFICGitHubSubject},
		{name: "custom template not judged", dir: gh("repository_owner_id:1234:repository_id:5678:environment:prod"), rule: RuleFICGitHubSubject},
		{name: "upper-case Repo", dir: gh("Repo:contoso/app:ref:refs/heads/main"), rule: RuleFICGitHubSubject, want: []Severity{Warning}},
		{name: "upper-case Environment", dir: gh("repo:contoso/app:Environment:prod"), rule: RuleFICGitHubSubject, want: []Severity{Warning}},
		{name: "refs/Heads", dir: gh("repo:contoso/app:ref:refs/Heads/main"), rule: RuleFICGitHubSubject, want: []Severity{Warning}},
		{name: "bare branch after ref", dir: gh("repo:contoso/app:ref:main"), rule: RuleFICGitHubSubject, want: []Severity{Warning}},
		{name: "environment holding a ref", dir: gh("repo:contoso/app:environment:refs/heads/main"), rule: RuleFICGitHubSubject, want: []Severity{Warning}},
		{name: "branch keyword", dir: gh("repo:contoso/app:branch:main"), rule: RuleFICGitHubSubject, want: []Severity{Warning}},
		{name: "wildcard", dir: gh("repo:contoso/app:ref:refs/heads/*"), rule: RuleFICGitHubSubject, want: []Severity{Warning}},
		{name: "half immutable", dir: gh("repo:contoso@1234/app:ref:refs/heads/main"), rule: RuleFICGitHubSubject, want: []Severity{Warning}},
		{name: "no context", dir: gh("repo:contoso/app"), rule: RuleFICGitHubSubject, want: []Severity{Warning}},
		{name: "non-github issuer not judged", dir: one(fic("f", "https://oidc.prod-aks.azure.com/x/", "system:serviceaccount:ns:sa")), rule: RuleFICGitHubSubject},
		{name: "21 credentials", dir: many, rule: RuleFICLimit, want: []Severity{Warning}},
		{name: "20 credentials ok", dir: appWith(func(a *directory.Application) {
			a.FederatedIdentityCredentials = many.Tenants[0].Applications[0].FederatedIdentityCredentials[:20]
		}), rule: RuleFICLimit},
		{name: "duplicate pair", dir: appWith(func(a *directory.Application) {
			a.FederatedIdentityCredentials = []directory.FederatedIdentityCredential{fic("a", GitHubIssuer, "repo:o/r:pull_request"), fic("b", GitHubIssuer, "repo:o/r:pull_request")}
		}), rule: RuleFICDuplicate, want: []Severity{Warning}, key: "id-b"},
	})
}

func TestPermissionRules(t *testing.T) {
	const api = "dddddddd-0000-4000-8000-000000000004"
	tenant := func(apiScopes []directory.PermissionScope, access ...directory.ResourceAccess) *directory.Directory {
		client := directory.Application{ID: objID, AppID: appID, DisplayName: "client",
			RequiredResourceAccess: []directory.RequiredResourceAccess{{ResourceAppID: api, ResourceAccess: access}}}
		res := directory.Application{ID: "x", AppID: api, DisplayName: "jobs-api",
			AppRoles: []directory.AppRole{{ID: "role-1", Value: "Jobs.Run", AllowedMemberTypes: []string{"Application"}}}}
		res.API.OAuth2PermissionScopes = apiScopes
		return &directory.Directory{Tenants: []directory.Tenant{{ID: "t", Applications: []directory.Application{client, res}}}}
	}
	scope := []directory.PermissionScope{{ID: "scope-1", Value: "access_as_user"}}
	runRuleCases(t, []ruleCase{
		{name: "delegated from api with only roles", dir: tenant(nil, directory.ResourceAccess{ID: "anything", Type: "Scope"}), rule: RuleDelegatedNotExposed, want: []Severity{Critical}},
		{name: "delegated from api with scope", dir: tenant(scope, directory.ResourceAccess{ID: "scope-1", Type: "Scope"}), rule: RuleDelegatedNotExposed},
		{name: "application permission only", dir: tenant(nil, directory.ResourceAccess{ID: "role-1", Type: "Role"}), rule: RuleDelegatedNotExposed},
		{name: "unknown scope id", dir: tenant(scope, directory.ResourceAccess{ID: "scope-2", Type: "Scope"}), rule: RuleUnknownPermission, want: []Severity{Warning}},
		{name: "unknown role id", dir: tenant(scope, directory.ResourceAccess{ID: "role-9", Type: "Role"}), rule: RuleUnknownPermission, want: []Severity{Warning}},
		{name: "known ids", dir: tenant(scope, directory.ResourceAccess{ID: "role-1", Type: "Role"}, directory.ResourceAccess{ID: "scope-1", Type: "Scope"}), rule: RuleUnknownPermission},
		{name: "api not in the input is not judged", dir: appWith(func(a *directory.Application) {
			a.RequiredResourceAccess = []directory.RequiredResourceAccess{{ResourceAppID: "ffffffff-0000-4000-8000-000000000000", ResourceAccess: []directory.ResourceAccess{{ID: "x", Type: "Scope"}}}}
		}), rule: RuleDelegatedNotExposed},
		{name: "microsoft graph not judged", dir: appWith(func(a *directory.Application) {
			a.RequiredResourceAccess = []directory.RequiredResourceAccess{{ResourceAppID: directory.MicrosoftGraphAppID, ResourceAccess: []directory.ResourceAccess{{ID: "x", Type: "Scope"}}}}
		}), rule: RuleUnknownPermission},
	})
}

type fakeSignIns map[string]time.Time // keyID -> last sign-in

func (f fakeSignIns) LastSignIn(_ context.Context, app, keyID string) (time.Time, bool, error) {
	if app != appID {
		return time.Time{}, false, errors.New("wrong app id")
	}
	t, ok := f[keyID]
	return t, ok, nil
}

type failingSignIns struct{}

func (failingSignIns) LastSignIn(context.Context, string, string) (time.Time, bool, error) {
	return time.Time{}, false, errors.New("store closed")
}

func TestUnusedCredentials(t *testing.T) {
	d := appWith(func(a *directory.Application) {
		a.PasswordCredentials = []directory.PasswordCredential{
			secret("used", now.Add(-dur(200)), now.Add(dur(100))),
			secret("stale", now.Add(-dur(200)), now.Add(dur(100))),
			secret("never", now.Add(-dur(200)), now.Add(dur(100))),
			secret("young", now.Add(-dur(10)), now.Add(dur(100))),
		}
		a.KeyCredentials = []directory.KeyCredential{{KeyID: "cert", Type: directory.KeyTypeX509, Usage: "Verify", Start: now.Add(-dur(200)), End: now.Add(dur(100))}}
	})
	store := fakeSignIns{"used": now.Add(-dur(3)), "stale": now.Add(-dur(120)), "cert": now.Add(-dur(1))}
	o := DefaultOptions(now)
	o.SignIns = store
	got := find(mustRun(t, d, o), RuleUnused)
	var keys []string
	for _, f := range got {
		keys = append(keys, f.KeyID)
	}
	if strings.Join(keys, ",") != "never,stale" {
		t.Fatalf("unused keys %v, want never,stale", keys)
	}
	o.UnusedAfter = dur(150)
	if got := find(mustRun(t, d, o), RuleUnused); len(got) != 1 || got[0].KeyID != "never" {
		t.Fatalf("with 150 days: %v", got)
	}
	o.SignIns = nil
	if got := find(mustRun(t, d, o), RuleUnused); len(got) != 0 {
		t.Fatal("rule ran without a sign-in store")
	}
	o.SignIns = failingSignIns{}
	if _, err := Run(context.Background(), d, o); err == nil || !strings.Contains(err.Error(), "store closed") {
		t.Fatalf("store error not returned: %v", err)
	}
}

func TestOptionsValidate(t *testing.T) {
	o := DefaultOptions(time.Time{})
	if _, err := Run(context.Background(), &directory.Directory{}, o); !errors.Is(err, ErrOptions) {
		t.Fatalf("zero now: %v", err)
	}
	o = DefaultOptions(now)
	o.CriticalWithin = dur(60)
	if err := o.Validate(); !errors.Is(err, ErrOptions) {
		t.Fatal("critical longer than warn accepted")
	}
}

func TestSharedSamples(t *testing.T) {
	// The Azure CLI recordings are from 2022; on 2026-11-22 all their
	// credentials are expired.
	for _, name := range []string{
		"azure-cli_msgraph-v1.0_applications-list_2-passwordCredentials.response.json",
		"azure-cli_msgraph-v1.0_servicePrincipals-list_1-passwordCredential.response.json",
		"azure-cli_aadgraph1.6_application_with-keyCredential.response.json",
	} {
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile("../../shared/data/apps/" + name)
			if err != nil {
				t.Skip(err)
			}
			d, err := directory.Read(name, b)
			if err != nil {
				t.Fatal(err)
			}
			fs := mustRun(t, d, DefaultOptions(now))
			if len(find(fs, RuleExpired)) == 0 {
				t.Fatalf("no expired finding: %v", fs)
			}
			// One day before the first key expired, it is critical-expiring.
			early := mustRun(t, d, DefaultOptions(time.Date(2023, 2, 15, 0, 0, 0, 0, time.UTC)))
			if len(find(early, RuleExpired)) != 0 && strings.Contains(name, "aadgraph") {
				t.Fatal("expired too early")
			}
		})
	}
}

func TestFindingsSortedAndNoSecrets(t *testing.T) {
	d, err := directory.LoadFile("../examples/directory.json")
	if err != nil {
		t.Fatal(err)
	}
	fs := mustRun(t, d, DefaultOptions(now))
	for i := 1; i < len(fs); i++ {
		if fs[i].Severity > fs[i-1].Severity {
			t.Fatal("not sorted by severity")
		}
	}
	b, _ := json.Marshal(fs)
	if strings.Contains(string(b), "NOT-REAL") {
		t.Fatal("a secret reached the findings")
	}
	if Worst(fs) != Critical {
		t.Fatalf("example directory worst %s", Worst(fs))
	}
}

func TestSAMLCertificateReportedOnce(t *testing.T) {
	d := spWith(func(sp *directory.ServicePrincipal) {
		end := now.Add(dur(3))
		sp.KeyCredentials = []directory.KeyCredential{
			{KeyID: "sign", Type: directory.KeyTypeX509, Usage: "Sign", CustomKeyIdentifier: "ABCD", End: end},
			{KeyID: "verify", Type: directory.KeyTypeX509, Usage: "Verify", CustomKeyIdentifier: "ABCD", End: end},
			{KeyID: "other", Type: directory.KeyTypeX509, Usage: "Verify", CustomKeyIdentifier: "EF01", End: end},
		}
	})
	got := find(mustRun(t, d, DefaultOptions(now)), RuleExpiring)
	if len(got) != 2 || got[0].KeyID == "verify" || got[1].KeyID == "verify" {
		t.Fatalf("%v", got)
	}
}
