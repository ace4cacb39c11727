package cli

import (
	"encoding/json"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestAuditInputShapes runs every input shape of audit/testdata/shapes
// through the CLI with a pinned --now and checks each finding's rule,
// severity, app_id, object_id and key_id ("-" for empty).
func TestAuditInputShapes(t *testing.T) {
	const now = "2024-05-01T12:00:00Z"
	tests := []struct {
		file string
		want []string // "rule severity app_id object_id key_id", sorted
	}{
		// legacy Azure AD Graph 1.6 page (objectId, endDate, odata.type)
		{"aad16.json", []string{
			"credential-expired critical 66666666-1111-1111-1111-111111111111 66666666-aaaa-1111-1111-111111111111 p6666666-1111-1111-1111-111111111111",
		}},
		// az ad app show: 12 secrets of one calendar year starting in a leap year, a Symmetric/Sign key with null keyId and dates
		{"az-app-show.json", []string{
			"multiple-active-secrets warning 12121212-1111-1111-1111-111111111111 12121212-aaaa-1111-1111-111111111111 -",
			"symmetric-signing-key critical 12121212-1111-1111-1111-111111111111 12121212-aaaa-1111-1111-111111111111 -",
		}},
		// {"applications": [...], "servicePrincipals": [...]} without "tenants"
		{"bundle.json", []string{
			"credential-expired critical aaaaaaaa-0000-4000-8000-000000000001 bbbbbbbb-0000-4000-8000-000000000002 12121212-3434-4565-8787-909090909090",
			"symmetric-signing-key critical aaaaaaaa-0000-4000-8000-000000000001 cccccccc-0000-4000-8000-000000000003 f0f0f0f0-1111-4222-8333-444444444444",
		}},
		// Graph beta federatedIdentityCredentials page: claimsMatchingExpression as an object, subject null
		{"g-beta-fic-page.json", []string{}},
		// two servicePrincipals pages (the first with @odata.nextLink) in one array, typed only by @odata.context
		{"g-sp-pages-array.json", []string{
			"credential-expiring critical a1 s1 k1",
			"service-principal-secret warning a1 s1 k1",
			"symmetric-signing-key critical a2 s2 k2",
		}},
		// Get-MgApplication with /Date(ms)/ and byte arrays, redirected in Windows PowerShell 5 (UTF-16 LE BOM)
		{"ps5-mgapp-utf16.json", []string{
			"credential-expired critical 11111111-1111-1111-1111-111111111111 aaaaaaaa-1111-1111-1111-111111111111 p1111111-1111-1111-1111-111111111111",
		}},
		// az ad sp list: a SAML app's signing certificate (Verify and Sign halves) and its paired password, reported once
		{"az-sp-list-saml.json", []string{
			"certificate-lifetime-exceeds-policy warning aaaaaaaa-0000-4000-8000-000000000001 cccccccc-0000-4000-8000-000000000003 k2000000-0000-4000-8000-000000000002",
			"credential-expiring warning aaaaaaaa-0000-4000-8000-000000000001 cccccccc-0000-4000-8000-000000000003 k2000000-0000-4000-8000-000000000002",
		}},
		// az ad app federated-credential list with 21 credentials, over the per-app limit of 20
		{"az-fic-list-21.json", []string{
			"fic-limit warning - - -",
		}},
		// az ad sp list: a managed identity's Azure-rotated certificate is not reported
		{"az-sp-list-mi.json", []string{
			"credential-expiring warning 5e5e5e5e-0000-4000-8000-000000000004 6f6f6f6f-0000-4000-8000-000000000005 7a7a7a7a-0000-4000-8000-000000000006",
		}},
		// az ad app credential list --cert: hex and base64 customKeyIdentifier, 7-digit fractions, null endDateTime
		{"az-cred-cert.json", []string{
			"credential-expired critical - - c2222222-1111-1111-1111-111111111111",
			"credential-expiring warning - - c1111111-1111-1111-1111-111111111111",
		}},
		// az ad app credential list: +00:00 offsets, 7-digit fractions, a secret without keyId
		{"az-cred.json", []string{
			"credential-expired critical - - s1111111-1111-1111-1111-111111111111",
			"credential-expiring critical - - s2222222-1111-1111-1111-111111111111",
			"multiple-active-secrets info - - -",
			"secret-lifetime-exceeds-policy warning - - -",
		}},
		// AzureAD module Get-AzureADApplication: ObjectId, EndDate as /Date(ms)/ and without a zone
		{"azuread.json", []string{
			"credential-expired critical 77777777-1111-1111-1111-111111111111 77777777-aaaa-1111-1111-111111111111 k7777777-1111-1111-1111-111111111111",
			"credential-expiring critical 77777777-1111-1111-1111-111111111111 77777777-aaaa-1111-1111-111111111111 p7777777-1111-1111-1111-111111111111",
		}},
		// customKeyIdentifier as hex, base64 of raw SHA-1, base64 of hex text, lower-case hex, a wrong one, key as base64 PEM
		{"certs.json", []string{
			"certificate-thumbprint-mismatch warning b0b0b0b0-0000-0000-0000-000000000000 a0a0a0a0-0000-0000-0000-000000000000 c0000004-0000-0000-0000-000000000000",
		}},
		// az ad app federated-credential list: GitHub subjects in good and bad forms, http issuer, wrong audience
		{"fic.json", []string{
			"fic-audience warning - - f7",
			"fic-github-subject warning - - f10",
			"fic-github-subject warning - - f11",
			"fic-github-subject warning - - f12",
			"fic-github-subject warning - - f9",
			"fic-issuer critical - - f6",
		}},
		// Graph beta application entity
		{"g-beta-single.json", []string{
			"credential-expired critical 99999999-1111-1111-1111-111111111111 99999999-aaaa-1111-1111-111111111111 p9999999-1111-1111-1111-111111111111",
		}},
		// two concatenated $select pages with @odata.nextLink
		{"g-pages.json", []string{
			"credential-expiring critical 44444444-1111-1111-1111-111111111111 dddddddd-1111-1111-1111-111111111111 p4444444-1111-1111-1111-111111111111",
		}},
		// $select=id,keyCredentials servicePrincipal page: symmetric Sign key, no appId
		{"g-select-min.json", []string{
			"credential-expired critical - ffffffff-1111-1111-1111-111111111111 k6666666-1111-1111-1111-111111111111",
			"symmetric-signing-key critical - ffffffff-1111-1111-1111-111111111111 k6666666-1111-1111-1111-111111111111",
		}},
		// Graph servicePrincipal entity identified only by @odata.context
		{"g-sp-entity.json", []string{
			"credential-expired critical 88888888-1111-1111-1111-111111111111 88888888-aaaa-1111-1111-111111111111 p8888888-1111-1111-1111-111111111111",
		}},
		// Get-MgApplication | ConvertTo-Json -Depth 10: PascalCase, byte-array customKeyIdentifier, /Date(ms)/
		{"ps-mgapp.json", []string{
			"credential-expired critical 11111111-1111-1111-1111-111111111111 aaaaaaaa-1111-1111-1111-111111111111 p1111111-1111-1111-1111-111111111111",
		}},
		// ConvertTo-Json with a too small -Depth (type names) and a DateTime written as an object
		{"ps-shallow.json", []string{
			"credential-expiring critical c2c2c2c2-0000-0000-0000-000000000000 d2d2d2d2-0000-0000-0000-000000000000 e2e2e2e2-0000-0000-0000-000000000000",
		}},
		// one Get-MgApplication object: 7-digit fraction, start without zone
		{"ps-single.json", []string{
			"credential-expired critical 22222222-1111-1111-1111-111111111111 bbbbbbbb-1111-1111-1111-111111111111 p2222222-1111-1111-1111-111111111111",
		}},
		// Get-MgServicePrincipal: symmetric Sign key and a secret on the service principal
		{"ps-sp.json", []string{
			"service-principal-secret warning 33333333-1111-1111-1111-111111111111 cccccccc-1111-1111-1111-111111111111 p3333333-1111-1111-1111-111111111111",
			"symmetric-signing-key critical 33333333-1111-1111-1111-111111111111 cccccccc-1111-1111-1111-111111111111 k3333333-1111-1111-1111-111111111111",
		}},
		// the same redirected with > in Windows PowerShell 5 (UTF-16 LE BOM, CRLF)
		{"ps5-utf16.json", []string{
			"service-principal-secret warning 33333333-1111-1111-1111-111111111111 cccccccc-1111-1111-1111-111111111111 p3333333-1111-1111-1111-111111111111",
			"symmetric-signing-key critical 33333333-1111-1111-1111-111111111111 cccccccc-1111-1111-1111-111111111111 k3333333-1111-1111-1111-111111111111",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", "audit", "--now", now, "-o", "json", filepath.Join("..", "..", "audit", "testdata", "shapes", tc.file))
			if code != ExitOK {
				t.Fatalf("exit %d, stderr: %s", code, errOut)
			}
			var rep struct {
				Findings []struct {
					Rule     string `json:"rule"`
					Severity string `json:"severity"`
					AppID    string `json:"app_id"`
					ObjectID string `json:"object_id"`
					KeyID    string `json:"key_id"`
					Message  string `json:"message"`
					Fix      string `json:"fix"`
				} `json:"findings"`
			}
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatalf("output is not JSON: %v\n%s", err, out)
			}
			got := []string{}
			for _, f := range rep.Findings {
				if f.Message == "" || f.Fix == "" {
					t.Errorf("finding %s %s has no message or fix", f.Rule, f.KeyID)
				}
				got = append(got, strings.Join([]string{f.Rule, f.Severity, dash(f.AppID), dash(f.ObjectID), dash(f.KeyID)}, " "))
			}
			sort.Strings(got)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
