package scenarios

import (
	"strings"
	"time"
)

// federated adds the §7 workload identity federation scenarios.
func (m *material) federated(b *builder, ep string) {
	now := m.s.Now
	iss := m.issuer
	gh := map[string]any{
		"iss": FICIssuer, "sub": FICSubject, "aud": FICAudience, "jti": "0f1e2d3c",
		"nbf": now.Add(-time.Minute).Unix(), "iat": now.Add(-time.Minute).Unix(), "exp": now.Add(5 * time.Minute).Unix(),
		"repository": "contoso/deployer",
	}
	hdr := map[string]any{"typ": "JWT", "kid": m.jwk(iss).Kid}
	fic := func(name, rule string, want int, claims map[string]any, signer Cert, alg string) {
		b.add(name, rule, want, ep, ccAssertion(FICAppID, b.sign(signer, alg, hdr, claims)))
	}
	fic("fic-github-ok", "§7", 0, gh, iss, "RS256")
	fic("fic-issuer-mismatch", "§7 700211", 700211, with(gh, "iss", "https://gitlab.com"), iss, "RS256")
	fic("fic-issuer-trailing-slash", "§7 700211", 700211, with(gh, "iss", FICIssuer+"/"), iss, "RS256")
	fic("fic-subject-mismatch", "§7 700213", 700213, with(gh, "sub", "repo:contoso/deployer:environment:prod"), iss, "RS256")
	fic("fic-subject-case", "§7 7002138", 7002138, with(gh, "sub", strings.ToUpper(FICSubject[:5])+FICSubject[5:]), iss, "RS256")
	fic("fic-audience-mismatch", "§7 700212", 700212, with(gh, "aud", "https://github.com/contoso"), iss, "RS256")
	fic("fic-expired", "§7 700024", 700024, with(gh, "nbf", now.Add(-30*time.Minute).Unix(), "exp", now.Add(-20*time.Minute).Unix()), iss, "RS256")
	fic("fic-es256", "§7 5002738", 5002738, gh, m.ec, "ES256")
	fic("fic-bad-signature", "§7 signature", 700027, gh, m.other, "RS256")
	mi := map[string]any{
		"iss": EntraIssuer, "sub": MISubject, "aud": FICAudience, "tid": OtherTenant, "idtyp": "app",
		"nbf": now.Add(-time.Minute).Unix(), "exp": now.Add(50 * time.Minute).Unix(),
	}
	fic("fic-managed-identity-ok", "§7", 0, mi, iss, "RS256")
	fic("fic-managed-identity-subject", "§7 7002137", 7002137, with(mi, "sub", MISubject[:len(MISubject)-1]+"8"), iss, "RS256")
	fic("fic-entra-delegated-token", "§7 700229", 700229, with(mi, "scp", "user_impersonation", "idtyp", "user"), iss, "RS256")
}
