package scenarios

import (
	"encoding/base64"
	"maps"
	"net/url"
	"strings"
	"time"

	"github.com/aadsts/aadsts/cred"
	"github.com/aadsts/aadsts/rules"
)

// builder accumulates scenarios and the first signing error.
type builder struct {
	m   *material
	err error
	out []Scenario
}

func (b *builder) sign(c Cert, alg string, header, claims map[string]any) string {
	tok, err := assertion(c, alg, header, claims)
	if err != nil && b.err == nil {
		b.err = err
	}
	return tok
}

func (b *builder) add(name, rule string, want int, url string, f url.Values, opts ...func(*Scenario)) {
	sc := Scenario{Name: name, Rule: rule, URL: url, Form: f, WantCode: want}
	for _, o := range opts {
		o(&sc)
	}
	b.out = append(b.out, sc)
}

// claims returns a valid certificate assertion payload for aud.
func (m *material) claims(aud string) map[string]any {
	now := m.s.Now
	return map[string]any{
		"aud": aud, "iss": AppID, "sub": AppID, "jti": "6b3c1e2a-0d5f-4c4e-9a7b-1f2e3d4c5b6a",
		"nbf": now.Add(-time.Minute).Unix(), "exp": now.Add(9 * time.Minute).Unix(),
	}
}

func with(m map[string]any, kv ...any) map[string]any {
	out := maps.Clone(m)
	for i := 0; i+1 < len(kv); i += 2 {
		k := kv[i].(string)
		if kv[i+1] == nil {
			delete(out, k)
		} else {
			out[k] = kv[i+1]
		}
	}
	return out
}

func x5t(c Cert) map[string]any {
	return map[string]any{"typ": "JWT", "x5t": cred.ThumbprintsOf(c.Cert).X5t}
}

func x5tS256(c Cert) map[string]any {
	return map[string]any{"typ": "JWT", "x5t#S256": cred.ThumbprintsOf(c.Cert).X5tS256}
}

// ccAssertion is a client_credentials form with a certificate assertion.
func ccAssertion(clientID, tok string) url.Values {
	return form("grant_type", "client_credentials", "client_id", clientID, "scope", GraphScope,
		"client_assertion_type", rules.AssertionTypeJWTBearer, "client_assertion", tok)
}

func ccSecret(clientID, secret string) url.Values {
	return form("grant_type", "client_credentials", "client_id", clientID, "scope", GraphScope, "client_secret", secret)
}

func (m *material) table() ([]Scenario, error) {
	s := m.s
	b := &builder{m: m}
	ep := s.TokenURL(TenantID)
	epV1 := s.BaseURL + "/" + TenantID + "/oauth2/token"
	cl := m.claims(ep)
	reg := m.reg
	tp := cred.ThumbprintsOf(reg.Cert)
	ok := func(name string, tok string) { b.add(name, "§8 accepted", 0, ep, ccAssertion(AppID, tok)) }

	// Accepted certificate assertions (§2, §3.1, §8).
	ok("cert-rs256-x5t", b.sign(reg, "RS256", x5t(reg), cl))
	ok("cert-ps256-x5t#S256", b.sign(reg, "PS256", x5tS256(reg), cl))
	ok("cert-rs384", b.sign(reg, "RS384", x5t(reg), cl))
	ok("cert-rs512", b.sign(reg, "RS512", x5t(reg), cl))
	ok("cert-ps384", b.sign(reg, "PS384", x5tS256(reg), cl))
	ok("cert-ps512", b.sign(reg, "PS512", x5tS256(reg), cl))
	ok("cert-x5t-standard-base64-padded", b.sign(reg, "RS256", map[string]any{"x5t": tp.SHA1Base64}, cl))
	// MSAL Go writes x5t#S256 in standard, padded base64 (§2.3).
	s256, _ := cred.ParseThumbprintForm(tp.X5tS256)
	ok("cert-x5t#S256-standard-base64-padded", b.sign(reg, "PS256", map[string]any{"x5t#S256": s256.Base64()}, cl))
	ok("cert-both-thumbprints-msal-go", b.sign(reg, "PS256", map[string]any{"x5t": tp.SHA1Base64, "x5t#S256": s256.Base64(), "x5c": []string{base64.StdEncoding.EncodeToString(reg.Cert.Raw)}}, cl))
	ok("cert-no-typ", b.sign(reg, "RS256", map[string]any{"x5t": tp.X5t}, cl))
	ok("cert-kid-is-thumbprint", b.sign(reg, "RS256", map[string]any{"kid": tp.X5t}, cl))
	ok("cert-aud-verified-domain", b.sign(reg, "RS256", x5t(reg), m.claims(s.TokenURL(TenantDomain))))
	ok("cert-no-nbf", b.sign(reg, "RS256", x5t(reg), with(cl, "nbf", nil)))
	ok("cert-expired-within-skew", b.sign(reg, "RS256", x5t(reg), with(cl, "nbf", s.Now.Add(-12*time.Minute).Unix(), "exp", s.Now.Add(-2*time.Minute).Unix())))
	b.add("cert-v1-endpoint", "§3.1 v1 aud", 0, epV1, form("grant_type", "client_credentials", "client_id", AppID, "resource", "https://graph.microsoft.com",
		"client_assertion_type", rules.AssertionTypeJWTBearer, "client_assertion", b.sign(reg, "RS256", x5t(reg), m.claims(epV1))))
	b.add("cert-msal-appends-oidc-scopes", "entra-protocol §6.2", 0, ep, with2(ccAssertion(AppID, b.sign(reg, "RS256", x5t(reg), cl)), "scope", GraphScope+" openid offline_access profile"))
	b.add("cert-domain-url", "§3.1", 0, s.TokenURL(TenantDomain), ccAssertion(AppID, b.sign(reg, "RS256", x5t(reg), m.claims(s.TokenURL(TenantDomain)))))

	// §5 request level.
	good := b.sign(reg, "RS256", x5t(reg), cl)
	b.add("json-body", "§5.1 900144", 900144, ep, nil, func(sc *Scenario) { sc.ContentType = "application/json" })
	b.add("grant-type-in-query", "§5.1 900144", 900144, ep, form("client_id", AppID, "scope", GraphScope, "client_secret", SecretValue),
		func(sc *Scenario) { sc.Query = form("grant_type", "client_credentials") })
	b.add("missing-client-id", "§5.1 900144", 900144, ep, form("grant_type", "client_credentials", "scope", GraphScope, "client_secret", SecretValue))
	b.add("missing-scope", "§5.1 900144", 900144, ep, form("grant_type", "client_credentials", "client_id", AppID, "client_secret", SecretValue))
	b.add("code-grant-without-code", "entra-protocol §6.3 900144", 900144, ep, form("grant_type", "authorization_code", "client_id", AppID, "scope", GraphScope, "client_secret", SecretValue, "redirect_uri", "https://localhost/cb"))
	b.add("refresh-grant-without-token", "entra-protocol §6.4 900144", 900144, ep, form("grant_type", "refresh_token", "client_id", AppID, "scope", GraphScope, "client_secret", SecretValue))
	b.add("obo-without-assertion", "entra-protocol §6.5 900144", 900144, ep, form("grant_type", rules.GrantJWTBearer, "client_id", AppID, "scope", GraphScope, "client_secret", SecretValue, "requested_token_use", "on_behalf_of"))
	b.add("unsupported-grant", "entra-protocol §9.2 70003", 70003, ep, with2(ccSecret(AppID, SecretValue), "grant_type", "client_credential"))
	b.add("tenant-malformed", "§5.2b 900023", 900023, s.BaseURL+"/not_a_tenant!/oauth2/v2.0/token", ccSecret(AppID, SecretValue))
	b.add("tenant-not-found", "§5.2 90002", 90002, s.TokenURL(OtherTenant), ccSecret(AppID, SecretValue))
	b.add("tenant-empty-guid", "§5.2 90002", 90002, s.TokenURL("00000000-0000-0000-0000-000000000000"), ccSecret(AppID, SecretValue))
	b.add("tenant-domain-not-found", "§5.2 90002", 90002, s.TokenURL("fabrikam.onmicrosoft.com"), ccSecret(AppID, SecretValue))
	b.add("client-credentials-on-common", "§5.2c 9001023", 9001023, s.TokenURL("common"), ccSecret(AppID, SecretValue))
	b.add("client-credentials-on-consumers", "§5.2c 9001023", 9001023, s.TokenURL("consumers"), ccSecret(AppID, SecretValue))
	b.add("app-not-found", "§5.3 700016", 700016, ep, ccSecret("99999999-9999-4999-8999-999999999999", SecretValue))
	b.add("object-id-as-client-id", "§5.3 700016", 700016, ep, ccSecret("a0000000-0000-4000-8000-000000000001", SecretValue))
	b.add("no-service-principal", "§5.3b 7000229", 7000229, ep, ccSecret(NoSPAppID, SecretValue), func(sc *Scenario) { sc.RequireServicePrincipal = true })
	b.add("service-principal-disabled", "§5.3c 7000112", 7000112, ep, ccSecret(DisabledApp, SecretValue))
	b.add("no-credential", "§5.4b 7000216", 7000216, ep, form("grant_type", "client_credentials", "client_id", AppID, "scope", GraphScope))
	b.add("no-credential-code-grant", "§5.4 7000218", 7000218, ep, form("grant_type", "authorization_code", "client_id", AppID, "scope", GraphScope, "code", "0.AXcode", "redirect_uri", "https://localhost/cb"))
	b.add("public-client-with-secret", "§5.4c 700025", 700025, ep, ccSecret(PublicAppID, SecretValue))
	b.add("assertion-type-missing", "§5.4b 7000216 (inferred)", 7000216, ep, with2(ccAssertion(AppID, good), "client_assertion_type", ""))
	b.add("assertion-type-wrong", "§5.4b 7000216 (inferred)", 7000216, ep, with2(ccAssertion(AppID, good), "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:saml2-bearer"))
	b.add("secret-and-assertion", "entra-protocol §6.1", 0, ep, with2(ccAssertion(AppID, good), "client_secret", "wrong"))

	// Secrets (§5 secret table).
	b.add("secret-ok", "§5 secrets", 0, ep, ccSecret(AppID, SecretValue))
	b.add("secret-basic-auth", "entra-protocol §6.1", 0, ep, form("grant_type", "client_credentials", "scope", GraphScope),
		func(sc *Scenario) { sc.BasicUser, sc.BasicPassword = AppID, SecretValue })
	b.add("secret-wrong", "§5 7000215", 7000215, ep, ccSecret(AppID, "Wrg1Q~this.is.not.the.registered.secret00"))
	b.add("secret-id-instead-of-value", "§5 7000215", 7000215, ep, ccSecret(AppID, SecretKeyID))
	b.add("secret-trailing-newline", "§5 7000215", 7000215, ep, ccSecret(AppID, SecretValue+"\n"))
	b.add("secret-quoted", "§5 7000215", 7000215, ep, ccSecret(AppID, `"`+SecretValue+`"`))
	b.add("secret-plus-not-url-encoded", "§5 7000215", 7000215, ep, ccSecret(AppID, strings.ReplaceAll(SecretPlusValue, "+", " ")))
	b.add("secret-plus-encoded", "§5", 0, ep, ccSecret(AppID, SecretPlusValue))
	b.add("secret-expired", "§5 7000222", 7000222, ep, ccSecret(AppID, SecretExpiredValue))
	b.add("secret-all-expired", "§5 7000222", 7000222, ep, ccSecret("77777777-0000-4000-8000-000000000007", "Wrg1Q~this.is.not.the.registered.secret00"))

	// §5.5–§5.8 assertion structure and header.
	b.add("assertion-garbage", "§5.5 50027", 50027, ep, ccAssertion(AppID, "not-a-jwt"))
	b.add("assertion-truncated", "§5.5 50027", 50027, ep, ccAssertion(AppID, good[:strings.LastIndex(good, ".")]))
	b.add("assertion-bearer-prefix", "§5.5 50027", 50027, ep, ccAssertion(AppID, "Bearer "+good))
	b.add("assertion-aud-array", "§3 50027", 50027, ep, ccAssertion(AppID, b.sign(reg, "RS256", x5t(reg), with(cl, "aud", []string{s.BaseURL + "/" + TenantID + "/v2.0", ep}))))
	b.add("alg-es256", "§2.1 5002738", 5002738, ep, ccAssertion(AppID, b.sign(m.ec, "ES256", x5t(m.ec), cl)))
	b.add("alg-hs256-client-secret-jwt", "§2.1 5002738", 5002738, ep, ccAssertion(AppID, hs256(SecretValue, cl)))
	b.add("alg-none", "§2.1 5002738", 5002738, ep, ccAssertion(AppID, unsigned(map[string]any{"alg": "none", "x5t": tp.X5t}, cl, nil)))
	b.add("no-key-identifier", "§2.3 5002723", 5002723, ep, ccAssertion(AppID, b.sign(reg, "RS256", map[string]any{"typ": "JWT"}, cl)))
	b.add("missing-iss", "§3 90014", 90014, ep, ccAssertion(AppID, b.sign(reg, "RS256", x5t(reg), with(cl, "iss", nil))))
	b.add("missing-aud", "§3 90014", 90014, ep, ccAssertion(AppID, b.sign(reg, "RS256", x5t(reg), with(cl, "aud", nil))))

	// §3 payload.
	b.add("iss-not-client-id", "§3 700021", 700021, ep, ccAssertion(AppID, b.sign(reg, "RS256", x5t(reg), with(cl, "iss", PublicAppID, "sub", PublicAppID))))
	b.add("sub-not-iss", "§3 50048", 50048, ep, ccAssertion(AppID, b.sign(reg, "RS256", x5t(reg), with(cl, "sub", "someone-else"))))
	b.add("aud-host-alias", "§3.1 700023", 700023, ep, ccAssertion(AppID, b.sign(reg, "RS256", x5t(reg), with(cl, "aud", "https://sts.windows.net/"+TenantID+"/oauth2/v2.0/token"))))
	b.add("aud-common", "§3.1 700023", 700023, ep, ccAssertion(AppID, b.sign(reg, "RS256", x5t(reg), with(cl, "aud", s.TokenURL("common")))))
	b.add("aud-other-cloud", "§3.1 700023", 700023, ep, ccAssertion(AppID, b.sign(reg, "RS256", x5t(reg), with(cl, "aud", "https://login.microsoftonline.us/"+TenantID+"/oauth2/v2.0/token"))))
	b.add("aud-other-tenant", "§3.1 700023", 700023, ep, ccAssertion(AppID, b.sign(reg, "RS256", x5t(reg), with(cl, "aud", s.TokenURL(OtherTenant)))))
	b.add("aud-issuer-form", "§3.1 700023", 700023, ep, ccAssertion(AppID, b.sign(reg, "RS256", x5t(reg), with(cl, "aud", s.BaseURL+"/"+TenantID+"/v2.0"))))
	b.add("aud-trailing-slash", "§3.1 700023", 700023, ep, ccAssertion(AppID, b.sign(reg, "RS256", x5t(reg), with(cl, "aud", ep+"/"))))
	b.add("expired", "§3.2 700024", 700024, ep, ccAssertion(AppID, b.sign(reg, "RS256", x5t(reg), with(cl, "nbf", s.Now.Add(-70*time.Minute).Unix(), "exp", s.Now.Add(-60*time.Minute).Unix()))))
	b.add("missing-exp", "§3.2 700024", 700024, ep, ccAssertion(AppID, b.sign(reg, "RS256", x5t(reg), with(cl, "exp", nil))))
	b.add("nbf-in-future", "§3.2 700024", 700024, ep, ccAssertion(AppID, b.sign(reg, "RS256", x5t(reg), with(cl, "nbf", s.Now.Add(2*time.Hour).Unix(), "exp", s.Now.Add(3*time.Hour).Unix()))))

	// §4 keys and signatures.
	b.add("key-not-registered", "§4 700027 not found", 700027, ep, ccAssertion(AppID, b.sign(m.other, "RS256", x5t(m.other), cl)))
	b.add("key-not-registered-x5t#S256", "§4 700027 not found", 700027, ep, ccAssertion(AppID, b.sign(m.other, "PS256", x5tS256(m.other), cl)))
	b.add("x5t-is-hex-text", "§2.3 700027", 700027, ep, ccAssertion(AppID, b.sign(reg, "RS256", map[string]any{"x5t": base64.RawURLEncoding.EncodeToString([]byte(tp.SHA1Hex))}, cl)))
	b.add("x5t#S256-holds-sha1", "§2.3 700027", 700027, ep, ccAssertion(AppID, b.sign(reg, "PS256", map[string]any{"x5t#S256": tp.X5t}, cl)))
	b.add("key-usage-sign-only", "§8.3 700027", 700027, ep, ccAssertion(AppID, b.sign(m.signOnly, "RS256", x5t(m.signOnly), cl)))
	b.add("key-expired", "§4 700027 expired", 700027, ep, ccAssertion(AppID, b.sign(m.expired, "RS256", x5t(m.expired), cl)))
	b.add("key-not-yet-valid", "§4 700027 expired (future start)", 700027, ep, ccAssertion(AppID, b.sign(m.future, "RS256", x5t(m.future), cl)))
	b.add("wrong-private-key", "§4 700027 signature", 700027, ep, ccAssertion(AppID, b.sign(m.other, "RS256", x5t(reg), cl)))
	b.add("pkcs1-signature-labelled-ps256", "§4 700027 signature", 700027, ep, ccAssertion(AppID, b.sign(reg, "RS256", with(x5tS256(reg), "alg", "PS256"), cl)))
	b.add("tampered-payload", "§4 700027 signature", 700027, ep, ccAssertion(AppID, tamper(good)))

	// entra-protocol §7 scope and resource.
	b.add("scope-without-default", "§5.13 1002012", 1002012, ep, with2(ccSecret(AppID, SecretValue), "scope", "https://graph.microsoft.com/User.Read.All"))
	b.add("scope-bare-permission", "§5.13 1002012", 1002012, ep, with2(ccSecret(AppID, SecretValue), "scope", "User.Read"))
	b.add("scope-invalid-resource-form", "§5.13 70011", 70011, ep, with2(ccSecret(AppID, SecretValue), "scope", "user.read/.default"))
	b.add("scope-two-resources", "§5.13 700022", 700022, ep, with2(ccSecret(AppID, SecretValue), "scope", GraphScope+" "+APIURI+"/.default"))
	b.add("resource-not-found", "§5.13 500011", 500011, ep, with2(ccSecret(AppID, SecretValue), "scope", "api://no-such-api/.default"))
	b.add("own-api-scope", "§7", 0, ep, with2(ccSecret(AppID, SecretValue), "scope", APIURI+"/.default"))
	b.add("api-guid-scope", "§7", 0, ep, with2(ccSecret(AppID, SecretValue), "scope", APIAppID+"/.default"))

	m.order(b, ep)
	m.federated(b, ep)
	return b.out, b.err
}

// with2 returns a copy of f with key set to value ("" deletes it).
func with2(f url.Values, key, value string) url.Values {
	out := url.Values{}
	for k, v := range f {
		out[k] = append([]string(nil), v...)
	}
	if value == "" {
		out.Del(key)
	} else {
		out.Set(key, value)
	}
	return out
}

// tamper changes one claim of a signed token without re-signing it.
func tamper(tok string) string {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return tok
	}
	b, _ := base64.RawURLEncoding.DecodeString(parts[1])
	b = []byte(strings.Replace(string(b), `"jti":"6`, `"jti":"7`, 1))
	parts[1] = base64.RawURLEncoding.EncodeToString(b)
	return strings.Join(parts, ".")
}
