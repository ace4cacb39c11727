package rules_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/aadsts/aadsts/cred"
	"github.com/aadsts/aadsts/rules"
	"github.com/aadsts/aadsts/rules/scenarios"
)

// The verdicts carry Entra's wire wording (shared/spec), with the values
// of the request filled in.
func TestVerdictMessages(t *testing.T) {
	s, err := scenarios.New(scenarios.DefaultBaseURL, suiteNow)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"service-principal-disabled":  `^Application '` + scenarios.DisabledApp + `'\(disabled\) is disabled\.$`,
		"tenant-empty-guid":           `^Requested tenant identifier '00000000-0000-0000-0000-000000000000' is not valid\. Tenant identifiers may not be an empty GUID\.$`,
		"resource-not-found":          `^The resource principal named api://no-such-api was not found in the tenant named Contoso\. This can happen`,
		"scope-invalid-resource-form": `^The provided request must include a 'scope' input parameter\. The provided value for the input parameter 'scope' is not valid\. The scope user\.read/\.default is not valid\. The scope format is invalid\.`,
		"tenant-not-found":            `^Tenant '` + scenarios.OtherTenant + `' not found\. Check to make sure you have the correct tenant ID`,
		"tenant-malformed":            `^Specified tenant identifier 'not_a_tenant!' is neither a valid DNS name, nor a valid external domain\.$`,
		"app-not-found":               `^Application with identifier '99999999-9999-4999-8999-999999999999' was not found in the directory 'Contoso'\. This can happen`,
		"missing-scope":               `^The request body must contain the following parameter: 'scope'\.$`,
		"no-credential":               `^'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type$`,
		"no-credential-code-grant":    `^The request body must contain the following parameter: 'client_assertion' or 'client_secret'\.$`,
		"secret-wrong":                `^Invalid client secret provided\. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '` + scenarios.AppID + `'\.$`,
		"secret-expired":              `^The provided client secret keys for app '` + scenarios.AppID + `' are expired\. Visit the Azure portal`,
		"alg-es256":                   `^Invalid JWT token\. 'ES256' is not a supported signature algorithm\. Supported signing algorithms are: 'RS256,RS384,RS512'$`,
		"no-key-identifier":           `^Invalid JWT token\. No certificate SHA-1 thumbprint, certificate SHA-256 thumbprint, nor keyId specified in token header\.$`,
		"missing-aud":                 `^The required field 'aud' is missing from the credential\.`,
		"iss-not-client-id":           `^Client assertion application identifier doesn't match 'client_id' parameter\. Review the documentation at https://\S+ \.$`,
		"aud-host-alias":              `^Client assertion audience claim does not match Realm issuer\. Review the documentation at https://\S+ \.$`,
		"expired":                     `^Client assertion is not within its valid time range\. Current time: 2026-03-01T12:00:00\.0000000Z, assertion valid from 2026-03-01T10:50:00\.0000000Z, expiry time of assertion 2026-03-01T11:00:00\.0000000Z\. Review the documentation at https://\S+ \.$`,
		"missing-exp":                 `expiry time of assertion 1970-01-01T00:00:00\.0000000Z`,
		"key-not-registered":          `^The certificate with identifier used to sign the client assertion is not registered on application\. \[Reason - The key was not found\., Thumbprint of key used by client: '(?P<thumb>[0-9A-F]{40})', Please visit .* for app Id '` + scenarios.AppID + `'`,
		"key-not-registered-x5t#S256": `^The certificate with identifier used to sign the client assertion is not registered on application\. \[Reason - The key was not found\., Please visit`,
		"key-expired":                 `^The certificate with identifier used to sign the client assertion is expired on application\. \[Reason - The key used is expired\., Thumbprint of key used by client: '[0-9A-F]{40}', Found key 'Start=\d\d/\d\d/\d{4} \d\d:\d\d:\d\d, End=02/28/2026 12:00:00'\]$`,
		"wrong-private-key":           `^Client assertion failed signature validation\. \[Reason - The provided signature value did not match the expected signature value\., Thumbprint of key used by client: '` + cred.ThumbprintsOf(s.Cert.Cert).SHA1Hex + `'`,
		"scope-without-default":       `^The provided value for scope https://graph\.microsoft\.com/User\.Read\.All is not valid\. Client credential flows must have a scope value with /\.default suffixed`,
		"fic-subject-case":            `^No matching federated identity record found for presented assertion subject 'REPO:contoso/deployer:ref:refs/heads/main'\. The subject matches with case-insensitive comparison`,
		"fic-issuer-mismatch":         `^No matching federated identity record found for presented assertion issuer 'https://gitlab\.com'\.`,
	}
	for _, sc := range s.Scenarios {
		re, ok := want[sc.Name]
		if !ok {
			continue
		}
		delete(want, sc.Name)
		t.Run(sc.Name, func(t *testing.T) {
			v := rules.CheckTokenRequest(s.Request(sc)).Verdict
			if v == nil {
				t.Fatal("accepted")
			}
			if !regexp.MustCompile(re).MatchString(v.Message) {
				t.Errorf("message\n  %s\ndoes not match\n  %s", v.Message, re)
			}
			if strings.Contains(v.Message, "Trace ID") || !strings.HasPrefix(v.Description(), "AADSTS") {
				t.Errorf("description %q", v.Description())
			}
		})
	}
	for name := range want {
		t.Errorf("no scenario %s", name)
	}
}
