package audit

import (
	"fmt"
	"strings"
	"time"
)

// Severity orders findings: Info < Warning < Critical.
type Severity int

// Severities.
const (
	Info Severity = iota + 1
	Warning
	Critical
)

func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Critical:
		return "critical"
	}
	return "unknown"
}

// MarshalText writes the severity's name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// ParseSeverity reads "info", "warning" or "critical".
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(s) {
	case "info":
		return Info, nil
	case "warning":
		return Warning, nil
	case "critical":
		return Critical, nil
	}
	return 0, fmt.Errorf("severity %q: want info, warning or critical", s)
}

// Object types a finding is about.
const (
	ObjectApplication      = "application"
	ObjectServicePrincipal = "servicePrincipal"
)

// Credential types a finding is about.
const (
	CredSecret      = "secret"
	CredCertificate = "certificate"
	CredKey         = "key"
	CredFederated   = "federated"
)

// Finding is one problem about one object and, when KeyID is set, one of
// its credentials. Its JSON form is the audit's output contract: rule,
// severity, app_id, object_id, key_id, message and fix, plus the extra
// fields below.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	AppID    string   `json:"app_id"`
	ObjectID string   `json:"object_id"`
	KeyID    string   `json:"key_id,omitempty"`
	Message  string   `json:"message"`
	Fix      string   `json:"fix"`

	TenantID       string     `json:"tenant_id,omitempty"`
	ObjectType     string     `json:"object_type"`
	DisplayName    string     `json:"display_name,omitempty"`
	CredentialType string     `json:"credential_type,omitempty"`
	CredentialName string     `json:"credential_name,omitempty"`
	Expires        *time.Time `json:"expires,omitempty"`
	Source         string     `json:"source,omitempty"`
}

// Rule describes one audit rule.
type Rule struct {
	ID       string
	Severity string // the severity or severities it reports
	Title    string
	Why      string
}

// Rules lists every rule, in the order documented in docs/audit.md.
func Rules() []Rule {
	return []Rule{
		{RuleExpired, "critical", "Expired secret or certificate", "Entra rejects an expired credential: AADSTS7000222 for a secret, AADSTS700027 for a certificate. Anything still using it is down."},
		{RuleExpiring, "warning / critical", "Secret or certificate about to expire", "The credential ends within the warning (default 30 days) or critical (default 7 days) window; rotate it before clients start failing."},
		{RuleNotYetValid, "info", "Credential not valid yet", "The credential's start date is in the future; sign-ins with it fail until then."},
		{RuleSecretLifetime, "warning", "Secret lifetime longer than policy", "Long-lived secrets are the ones that leak and are forgotten; the default policy is one year."},
		{RuleCertLifetime, "warning", "Certificate lifetime longer than policy", "Long-lived certificates outlive their owners; the default policy is two years."},
		{RuleSymmetricSign, "critical", "Symmetric signing key", "A keyCredential of type Symmetric with usage Sign on an application or service principal breaks token issuance: Entra signs tokens only with certificates."},
		{RuleSPSecret, "warning", "Secret on a service principal", "Secrets added to the service principal (az ad sp credential reset) do not show in the app registration's Certificates & secrets blade, so they are missed in reviews and rotations."},
		{RuleMultipleSecrets, "info / warning", "Several active secrets", "Two active secrets is a rotation in progress; more than two means old secrets were never removed."},
		{RuleThumbprint, "warning / info", "customKeyIdentifier is not the certificate's SHA-1", "Tools and people look certificates up by the thumbprint in customKeyIdentifier; when it is not the certificate's SHA-1 they rotate or delete the wrong one."},
		{RuleCertUnreadable, "warning", "Certificate that does not parse", "The key of a certificate credential is not a DER X.509 certificate."},
		{RuleWeakKey, "critical", "Weak key", "RSA keys under 2048 bits (and EC keys under 256 bits) are below what Entra and current policy accept."},
		{RuleSHA1Cert, "warning", "SHA-1-signed certificate", "The certificate is signed with SHA-1 (or MD5); such certificates fail most security reviews and some validators."},
		{RuleFICIssuer, "critical / warning", "Federated credential issuer will not match", "The issuer must be the exact https URL the external identity provider puts in iss; http, a trailing slash or a different case never match."},
		{RuleFICAudience, "warning", "Federated credential audience", "Entra expects exactly one audience, api://AzureADTokenExchange unless you have a reason; the external token's aud must equal it."},
		{RuleFICGitHubSubject, "warning", "GitHub Actions subject that will not match", "GitHub sends sub as repo:OWNER/REPO:ref:refs/heads/BRANCH, :environment:NAME, :pull_request or :ref:refs/tags/TAG (or OWNER@ID/REPO@ID for immutable subjects), compared case-sensitively; other spellings never match (AADSTS700213, AADSTS7002138)."},
		{RuleFICLimit, "warning", "Too many federated credentials", "An application holds at most 20 federated identity credentials."},
		{RuleFICDuplicate, "warning", "Duplicate federated credential", "issuer and subject must be unique per application."},
		{RuleDelegatedNotExposed, "critical", "Delegated permission of an API that exposes none", "The client asks for delegated permissions of an API that exposes only application permissions; delegated flows to it fail."},
		{RuleUnknownPermission, "warning", "Permission id the API does not define", "requiredResourceAccess names a scope or app role id the resource does not define; consent and tokens will not carry it."},
		{RuleUnused, "warning", "Credential without recent sign-ins", "No service-principal sign-in used this credential within the configured window; remove it if nothing needs it."},
	}
}

// Rule ids.
const (
	RuleExpired             = "credential-expired"
	RuleExpiring            = "credential-expiring"
	RuleNotYetValid         = "credential-not-yet-valid"
	RuleSecretLifetime      = "secret-lifetime-exceeds-policy"
	RuleCertLifetime        = "certificate-lifetime-exceeds-policy"
	RuleSymmetricSign       = "symmetric-signing-key"
	RuleSPSecret            = "service-principal-secret"
	RuleMultipleSecrets     = "multiple-active-secrets"
	RuleThumbprint          = "certificate-thumbprint-mismatch"
	RuleCertUnreadable      = "certificate-unreadable"
	RuleWeakKey             = "weak-key"
	RuleSHA1Cert            = "sha1-signed-certificate"
	RuleFICIssuer           = "fic-issuer"
	RuleFICAudience         = "fic-audience"
	RuleFICGitHubSubject    = "fic-github-subject"
	RuleFICLimit            = "fic-limit"
	RuleFICDuplicate        = "fic-duplicate"
	RuleDelegatedNotExposed = "delegated-permission-not-exposed"
	RuleUnknownPermission   = "unknown-permission-id"
	RuleUnused              = "credential-unused"
)
