package scenarios

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
	"time"

	"github.com/aadsts/aadsts/cred"
	"github.com/aadsts/aadsts/directory"
	"github.com/aadsts/aadsts/jose"
	"github.com/aadsts/aadsts/rules"
)

// Fixed identities of the suite's directory.
const (
	TenantID     = "aaaaaaaa-0000-4000-8000-00000000000a"
	TenantDomain = "contoso.onmicrosoft.com"
	OtherTenant  = "bbbbbbbb-0000-4000-8000-00000000000b"
	AppID        = "11111111-1111-4111-8111-111111111111" // confidential: certificates and secrets
	PublicAppID  = "22222222-2222-4222-8222-222222222222" // isFallbackPublicClient
	FICAppID     = "33333333-3333-4333-8333-333333333333" // federated identity credentials
	DisabledApp  = "44444444-4444-4444-8444-444444444444" // service principal disabled
	NoSPAppID    = "55555555-5555-4555-8555-555555555555" // no service principal
	APIAppID     = "66666666-6666-4666-8666-666666666666" // an API: api://contoso-api
	APIURI       = "api://contoso-api"
	GraphScope   = "https://graph.microsoft.com/.default"
	FICIssuer    = "https://token.actions.githubusercontent.com"
	FICSubject   = "repo:contoso/deployer:ref:refs/heads/main"
	FICAudience  = "api://AzureADTokenExchange"
	EntraIssuer  = "https://login.microsoftonline.com/" + OtherTenant + "/v2.0"
	MISubject    = "/eid1/c/pub/t/" + OtherTenant + "/a/abcdefabcdef/77777777-7777-4777-8777-777777777777"
)

// Secret values registered on AppID. They exist only in this suite.
const (
	SecretValue        = "Tst8Q~scenario.secret.value-for.tests01"
	SecretPlusValue    = "Pls5Q~scenario+secret+value-for.tests02"
	SecretExpiredValue = "Old3Q~scenario.secret.expired.for.test03"
	SecretKeyID        = "c0c0c0c0-0000-4000-8000-000000000001"
	SecretPlusKeyID    = "c0c0c0c0-0000-4000-8000-000000000002"
	SecretExpiredKeyID = "c0c0c0c0-0000-4000-8000-000000000003"
	CertKeyID          = "d0d0d0d0-0000-4000-8000-000000000001"
	ExpiredCertKeyID   = "d0d0d0d0-0000-4000-8000-000000000002"
	FutureCertKeyID    = "d0d0d0d0-0000-4000-8000-000000000003"
	SignOnlyCertKeyID  = "d0d0d0d0-0000-4000-8000-000000000004"
)

// DefaultBaseURL is the public cloud's login host.
const DefaultBaseURL = "https://login.microsoftonline.com"

// Scenario is one token request and what Entra answers.
type Scenario struct {
	Name string
	// Rule names the spec section the scenario exercises.
	Rule string
	// Method and ContentType of the request ("" means POST, form).
	Method, ContentType string
	// URL is the token endpoint the request is posted to.
	URL string
	// Form is the request body; Query the URL query string.
	Form, Query url.Values
	// BasicUser and BasicPassword, when set, go in an Authorization:
	// Basic header (client_secret_basic).
	BasicUser, BasicPassword string
	// RequireServicePrincipal turns on the 7000229 check.
	RequireServicePrincipal bool
	// WantCode is the AADSTS code Entra answers; 0 when it accepts.
	WantCode int
}

// Suite is the scenario table and the material it was built from.
type Suite struct {
	Now     time.Time
	BaseURL string
	// Directory is the tenant the requests run against. Its
	// passwordCredentials carry SecretText, as an emulator directory does.
	Directory *directory.Directory
	// Cert is the certificate registered on AppID (and its key).
	Cert Cert
	// IssuerKeys are the external issuers' keys for federated assertions.
	IssuerKeys map[string][]jose.JWK
	Scenarios  []Scenario
}

// Request returns the scenario as the rules package takes it.
func (s *Suite) Request(sc Scenario) rules.TokenRequest {
	return rules.TokenRequest{
		Now: s.Now, Directory: s.Directory, TokenEndpoint: sc.URL,
		Method: sc.Method, ContentType: sc.ContentType, Form: sc.Form, Query: sc.Query,
		BasicUser: sc.BasicUser, BasicPassword: sc.BasicPassword,
		IssuerKeys: s.IssuerKeys, RequireServicePrincipal: sc.RequireServicePrincipal,
	}
}

// TokenURL returns the v2 token endpoint of tenant on the suite's host.
func (s *Suite) TokenURL(tenant string) string {
	return s.BaseURL + "/" + tenant + "/oauth2/v2.0/token"
}

// material holds the generated keys while the table is built.
type material struct {
	s                           *Suite
	reg, other, expired, future Cert
	signOnly, ec, issuer        Cert
}

// New builds the suite for a token service at baseURL (scheme and host,
// such as DefaultBaseURL or an httptest server's URL) at time now.
func New(baseURL string, now time.Time) (*Suite, error) {
	s := &Suite{Now: now.UTC(), BaseURL: strings.TrimRight(baseURL, "/")}
	m := &material{s: s}
	var err error
	year := 365 * 24 * time.Hour
	for _, g := range []struct {
		c          *Cert
		cn         string
		start, end time.Time
	}{
		{&m.reg, "contoso-daemon", now.Add(-30 * 24 * time.Hour), now.Add(year)},
		{&m.other, "unregistered", now.Add(-24 * time.Hour), now.Add(year)},
		{&m.expired, "expired", now.Add(-2 * year), now.Add(-24 * time.Hour)},
		{&m.future, "future", now.Add(24 * time.Hour), now.Add(year)},
		{&m.signOnly, "signing-only", now.Add(-24 * time.Hour), now.Add(year)},
		{&m.issuer, "github-oidc", now.Add(-24 * time.Hour), now.Add(year)},
	} {
		if *g.c, err = pooledRSACert(g.cn, g.start, g.end); err != nil {
			return nil, err
		}
	}
	if m.ec, err = NewECCert("ec", now.Add(-24*time.Hour), now.Add(year)); err != nil {
		return nil, err
	}
	s.Cert = m.reg
	s.Directory = m.directory()
	s.IssuerKeys = map[string][]jose.JWK{
		FICIssuer:   {m.jwk(m.issuer)},
		EntraIssuer: {m.jwk(m.issuer)},
	}
	if s.Scenarios, err = m.table(); err != nil {
		return nil, err
	}
	return s, nil
}

func (m *material) jwk(c Cert) jose.JWK {
	tp := cred.ThumbprintsOf(c.Cert)
	return jose.JWK{Kid: tp.X5t, Kty: "RSA", Use: "sig", X5t: tp.X5t, Public: c.Cert.PublicKey, Cert: c.Cert, X5c: [][]byte{c.Cert.Raw}}
}

func keyCred(id string, c Cert, usage string) directory.KeyCredential {
	return directory.KeyCredential{
		KeyID: id, Type: directory.KeyTypeX509, Usage: usage, DisplayName: c.Cert.Subject.String(),
		CustomKeyIdentifier: cred.ThumbprintsOf(c.Cert).SHA1Hex,
		Start:               c.Cert.NotBefore, End: c.Cert.NotAfter, Key: c.Cert.Raw,
	}
}

func (m *material) directory() *directory.Directory {
	now := m.s.Now
	yes, no := true, false
	secret := func(id, name, value string, start, end time.Time) directory.PasswordCredential {
		return directory.PasswordCredential{KeyID: id, DisplayName: name, Hint: value[:3], SecretText: value, Start: start, End: end}
	}
	app := directory.Application{
		ID: "a0000000-0000-4000-8000-000000000001", AppID: AppID, DisplayName: "contoso-daemon", SignInAudience: "AzureADMyOrg",
		KeyCredentials: []directory.KeyCredential{
			keyCred(CertKeyID, m.reg, directory.KeyUsageVerify),
			keyCred(ExpiredCertKeyID, m.expired, directory.KeyUsageVerify),
			keyCred(FutureCertKeyID, m.future, directory.KeyUsageVerify),
			keyCred(SignOnlyCertKeyID, m.signOnly, directory.KeyUsageSign),
		},
		PasswordCredentials: []directory.PasswordCredential{
			secret(SecretKeyID, "ci", SecretValue, now.Add(-24*time.Hour), now.Add(180*24*time.Hour)),
			secret(SecretPlusKeyID, "plus", SecretPlusValue, now.Add(-24*time.Hour), now.Add(180*24*time.Hour)),
			secret(SecretExpiredKeyID, "old", SecretExpiredValue, now.Add(-400*24*time.Hour), now.Add(-24*time.Hour)),
		},
	}
	expiredOnly := directory.Application{ID: "a0000000-0000-4000-8000-000000000007", AppID: "77777777-0000-4000-8000-000000000007", DisplayName: "expired-secrets",
		PasswordCredentials: []directory.PasswordCredential{secret("c0c0c0c0-0000-4000-8000-000000000007", "old", SecretExpiredValue, now.Add(-400*24*time.Hour), now.Add(-24*time.Hour))}}
	public := directory.Application{ID: "a0000000-0000-4000-8000-000000000002", AppID: PublicAppID, DisplayName: "contoso-cli", IsFallbackPublicClient: &yes,
		PasswordCredentials: []directory.PasswordCredential{secret("c0c0c0c0-0000-4000-8000-000000000004", "pub", SecretValue, now.Add(-24*time.Hour), now.Add(180*24*time.Hour))}}
	fic := directory.Application{ID: "a0000000-0000-4000-8000-000000000003", AppID: FICAppID, DisplayName: "contoso-deployer",
		FederatedIdentityCredentials: []directory.FederatedIdentityCredential{
			{ID: "f0000000-0000-4000-8000-000000000001", Name: "github-main", Issuer: FICIssuer, Subject: FICSubject, Audiences: []string{FICAudience}},
			{ID: "f0000000-0000-4000-8000-000000000002", Name: "mi", Issuer: EntraIssuer, Subject: MISubject, Audiences: []string{FICAudience}},
		}}
	disabled := directory.Application{ID: "a0000000-0000-4000-8000-000000000004", AppID: DisabledApp, DisplayName: "disabled",
		PasswordCredentials: []directory.PasswordCredential{secret("c0c0c0c0-0000-4000-8000-000000000005", "d", SecretValue, now.Add(-24*time.Hour), now.Add(180*24*time.Hour))}}
	noSP := directory.Application{ID: "a0000000-0000-4000-8000-000000000005", AppID: NoSPAppID, DisplayName: "no-sp",
		PasswordCredentials: []directory.PasswordCredential{secret("c0c0c0c0-0000-4000-8000-000000000006", "n", SecretValue, now.Add(-24*time.Hour), now.Add(180*24*time.Hour))}}
	api := directory.Application{ID: "a0000000-0000-4000-8000-000000000006", AppID: APIAppID, DisplayName: "contoso-api", IdentifierURIs: []string{APIURI}}
	sp := func(id, appID, name string, enabled *bool, names ...string) directory.ServicePrincipal {
		return directory.ServicePrincipal{ID: id, AppID: appID, DisplayName: name, AccountEnabled: enabled, ServicePrincipalNames: append([]string{appID}, names...)}
	}
	return &directory.Directory{Tenants: []directory.Tenant{{
		ID: TenantID, DisplayName: "Contoso", Domains: []string{TenantDomain},
		Applications: []directory.Application{app, public, fic, disabled, noSP, api, expiredOnly},
		ServicePrincipals: []directory.ServicePrincipal{
			sp("50000000-0000-4000-8000-000000000001", AppID, "contoso-daemon", &yes),
			sp("50000000-0000-4000-8000-000000000002", PublicAppID, "contoso-cli", &yes),
			sp("50000000-0000-4000-8000-000000000003", FICAppID, "contoso-deployer", &yes),
			sp("50000000-0000-4000-8000-000000000004", DisabledApp, "disabled", &no),
			sp("50000000-0000-4000-8000-000000000006", APIAppID, "contoso-api", &yes, APIURI),
			sp("50000000-0000-4000-8000-000000000007", expiredOnly.AppID, "expired-secrets", &yes),
		},
	}}}
}

// assertion builds a signed JWT: alg is the algorithm used to sign,
// header entries override (an "alg" entry changes only the label).
func assertion(c Cert, alg string, header, claims map[string]any) (string, error) {
	return jose.Sign(claims, header, c.Key, alg)
}

// unsigned builds a JWT with the given alg label and raw signature bytes.
func unsigned(header, claims map[string]any, sig []byte) string {
	hb, _ := json.Marshal(header)
	cb, _ := json.Marshal(claims)
	enc := base64.RawURLEncoding
	return enc.EncodeToString(hb) + "." + enc.EncodeToString(cb) + "." + enc.EncodeToString(sig)
}

// hs256 builds a client_secret_jwt assertion (which Entra refuses).
func hs256(secret string, claims map[string]any) string {
	hb, _ := json.Marshal(map[string]any{"alg": "HS256", "typ": "JWT"})
	cb, _ := json.Marshal(claims)
	enc := base64.RawURLEncoding
	input := enc.EncodeToString(hb) + "." + enc.EncodeToString(cb)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(input))
	return input + "." + enc.EncodeToString(mac.Sum(nil))
}

func form(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}
