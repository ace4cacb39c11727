package scenarios

import (
	"time"

	"github.com/aadsts/aadsts/rules"
)

// order adds scenarios with two faults at once, where the verdict is the
// fault Entra checks first (client-assertion-rules.md §5: parameters,
// tenant, application, credential, assertion header, payload, time, key,
// then scope), and the edges of the assumed ±5 minute skew (§3.2, §8.2).
func (m *material) order(b *builder, ep string) {
	s, reg := m.s, m.reg
	cl := m.claims(ep)
	at := func(d time.Duration) int64 { return s.Now.Add(d).Unix() }
	expired := with(cl, "nbf", at(-70*time.Minute), "exp", at(-60*time.Minute))
	wrongAud := s.TokenURL(OtherTenant)
	sign := func(c Cert, alg string, claims map[string]any) string { return b.sign(c, alg, x5t(c), claims) }

	// §3.2 / §8.2: exp > now − skew, nbf ≤ now + skew (rules.DefaultSkew).
	skew := rules.DefaultSkew
	b.add("nbf-within-skew", "§3.2 skew", 0, ep, ccAssertion(AppID, sign(reg, "RS256", with(cl, "nbf", at(skew-time.Minute), "exp", at(skew+9*time.Minute)))))
	b.add("nbf-past-skew", "§3.2 700024", 700024, ep, ccAssertion(AppID, sign(reg, "RS256", with(cl, "nbf", at(skew+time.Minute), "exp", at(skew+11*time.Minute)))))
	b.add("exp-past-skew", "§3.2 700024", 700024, ep, ccAssertion(AppID, sign(reg, "RS256", with(cl, "nbf", at(-skew-11*time.Minute), "exp", at(-skew-time.Minute)))))

	// Two faults: the earlier check wins.
	b.add("order-params-before-tenant", "§5.1 before §5.2b", 900144, s.BaseURL+"/not_a_tenant!/oauth2/v2.0/token",
		form("grant_type", "client_credentials", "scope", GraphScope, "client_secret", SecretValue))
	b.add("order-common-before-app", "§5.2c before §5.3", 9001023, s.TokenURL("common"), ccSecret("99999999-9999-4999-8999-999999999999", SecretValue))
	b.add("order-tenant-before-app", "§5.2 before §5.3", 90002, s.TokenURL(OtherTenant), ccSecret("99999999-9999-4999-8999-999999999999", SecretValue))
	b.add("order-app-before-credential", "§5.3 before §5.4", 700016, ep, form("grant_type", "client_credentials", "client_id", "99999999-9999-4999-8999-999999999999", "scope", GraphScope))
	b.add("order-secret-before-scope", "§5 secrets before §5.13", 7000215, ep,
		with2(ccSecret(AppID, "Wrg1Q~this.is.not.the.registered.secret00"), "scope", "https://graph.microsoft.com/User.Read.All"))
	b.add("order-alg-before-missing-iss", "§5.6 before §5.8", 5002738, ep, ccAssertion(AppID, b.sign(m.ec, "ES256", x5t(m.ec), with(cl, "iss", nil))))
	b.add("order-key-id-before-missing-iss", "§5.7 before §5.8", 5002723, ep, ccAssertion(AppID, b.sign(reg, "RS256", map[string]any{"typ": "JWT"}, with(cl, "iss", nil))))
	b.add("order-iss-before-aud", "§5.9 before §5.10", 700021, ep, ccAssertion(AppID, sign(reg, "RS256", with(cl, "iss", PublicAppID, "sub", PublicAppID, "aud", wrongAud))))
	b.add("order-sub-before-aud", "§5.9 before §5.10", 50048, ep, ccAssertion(AppID, sign(reg, "RS256", with(cl, "sub", "someone-else", "aud", wrongAud))))
	b.add("order-aud-before-time", "§5.10 before §5.11", 700023, ep, ccAssertion(AppID, sign(reg, "RS256", with(expired, "aud", wrongAud))))
	b.add("order-time-before-key", "§5.11 before §5.12", 700024, ep, ccAssertion(AppID, sign(m.other, "RS256", expired)))
	b.add("order-assertion-before-scope", "§5.11 before §5.13", 700024, ep,
		with2(ccAssertion(AppID, sign(reg, "RS256", expired)), "scope", "https://graph.microsoft.com/User.Read.All"))
}
