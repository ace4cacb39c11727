package signins

import (
	"encoding/json"
	"time"
)

// Kind is the sign-in log a record comes from.
type Kind string

// The kinds of sign-in, one per Entra sign-in log.
const (
	KindInteractive      Kind = "interactive"
	KindNonInteractive   Kind = "noninteractive"
	KindServicePrincipal Kind = "serviceprincipal"
	KindManagedIdentity  Kind = "managedidentity"
	KindADFS             Kind = "adfs"
)

// Kinds returns every kind, in a stable order.
func Kinds() []Kind {
	return []Kind{KindInteractive, KindNonInteractive, KindServicePrincipal, KindManagedIdentity, KindADFS}
}

// ParseKind accepts a kind by its name or by a log/table/category name
// ("SignInLogs", "AADServicePrincipalSignInLogs", "ApplicationSignIns"...).
func ParseKind(s string) (Kind, bool) {
	k, ok := kindNames[foldName(s)]
	return k, ok
}

var kindNames = map[string]Kind{
	"interactive": KindInteractive, "interactiveuser": KindInteractive, "signinlogs": KindInteractive,
	"signin": KindInteractive, "interactivesignins": KindInteractive, "user": KindInteractive,
	"noninteractive": KindNonInteractive, "noninteractiveuser": KindNonInteractive,
	"noninteractiveusersigninlogs": KindNonInteractive, "aadnoninteractiveusersigninlogs": KindNonInteractive,
	"noninteractivesignins": KindNonInteractive,
	"serviceprincipal":      KindServicePrincipal, "sp": KindServicePrincipal, "serviceprincipalsigninlogs": KindServicePrincipal,
	"aadserviceprincipalsigninlogs": KindServicePrincipal, "microsoftserviceprincipalsigninlogs": KindServicePrincipal,
	"applicationsignins": KindServicePrincipal, "application": KindServicePrincipal,
	"managedidentity": KindManagedIdentity, "mi": KindManagedIdentity, "msi": KindManagedIdentity,
	"managedidentitysigninlogs": KindManagedIdentity, "aadmanagedidentitysigninlogs": KindManagedIdentity,
	"msisignins": KindManagedIdentity,
	"adfs":       KindADFS, "adfssigninlogs": KindADFS, "adfssignins": KindADFS,
}

// Outcome says how a sign-in ended.
type Outcome string

// Outcomes. An interrupt is a step the user (or client) is expected to
// complete, such as MFA or "stay signed in?", not a failure.
const (
	OutcomeSuccess   Outcome = "success"
	OutcomeFailure   Outcome = "failure"
	OutcomeInterrupt Outcome = "interrupt"
)

// Record is one normalized sign-in, whatever log and format it came from.
// Empty strings mean "not in the source".
type Record struct {
	ID            string    `json:"id"`
	Time          time.Time `json:"time"`
	Kind          Kind      `json:"kind"`
	TenantID      string    `json:"tenant_id,omitempty"`
	AppID         string    `json:"app_id,omitempty"`
	AppName       string    `json:"app_name,omitempty"`
	SPID          string    `json:"service_principal_id,omitempty"`
	SPName        string    `json:"service_principal_name,omitempty"`
	ResourceID    string    `json:"resource_id,omitempty"`
	ResourceName  string    `json:"resource_name,omitempty"`
	UserID        string    `json:"user_id,omitempty"`
	UserPrincipal string    `json:"user_principal_name,omitempty"`
	UserName      string    `json:"user_display_name,omitempty"`
	IP            string    `json:"ip,omitempty"`
	Location      string    `json:"location,omitempty"`
	// Code is the AADSTS code, 0 for success.
	Code          int     `json:"code"`
	FailureReason string  `json:"failure_reason,omitempty"`
	Outcome       Outcome `json:"outcome"`
	// CredentialType is Graph's clientCredentialType (certificate,
	// clientSecret, clientAssertion, federatedIdentityCredential,
	// managedIdentity...).
	CredentialType        string `json:"credential_type,omitempty"`
	CredentialKeyID       string `json:"credential_key_id,omitempty"`
	CredentialThumbprint  string `json:"credential_thumbprint,omitempty"`
	FederatedCredentialID string `json:"federated_credential_id,omitempty"`
	CorrelationID         string `json:"correlation_id,omitempty"`
	RequestID             string `json:"request_id,omitempty"`
	CAStatus              string `json:"conditional_access_status,omitempty"`
	// Format is the import format the record was read from.
	Format Format `json:"format,omitempty"`
	// Raw is the original record as read, for drill-down.
	Raw json.RawMessage `json:"raw,omitempty"`
}

// Credential returns the credential a record names: the key id, else the
// thumbprint, else the federated credential id; empty when none.
func (r *Record) Credential() string {
	switch {
	case r.CredentialKeyID != "":
		return r.CredentialKeyID
	case r.CredentialThumbprint != "":
		return r.CredentialThumbprint
	}
	return r.FederatedCredentialID
}

// AuditEvent is one directory audit event. Credential changes carry the
// key ids added and removed.
type AuditEvent struct {
	ID            string    `json:"id"`
	Time          time.Time `json:"time"`
	Activity      string    `json:"activity"`
	Category      string    `json:"category,omitempty"`
	Result        string    `json:"result,omitempty"`
	CorrelationID string    `json:"correlation_id,omitempty"`
	TenantID      string    `json:"tenant_id,omitempty"`
	InitiatedBy   string    `json:"initiated_by,omitempty"`
	// TargetType is Application, ServicePrincipal...; TargetID its object id.
	TargetType string `json:"target_type,omitempty"`
	TargetID   string `json:"target_id,omitempty"`
	TargetName string `json:"target_name,omitempty"`
	// AppID is the application (client) id the event is about, when known.
	AppID string `json:"app_id,omitempty"`
	// CredentialChange is true for events that add, remove or update an
	// application's or service principal's credentials.
	CredentialChange bool            `json:"credential_change"`
	Keys             []KeyChange     `json:"keys,omitempty"`
	Format           Format          `json:"format,omitempty"`
	Raw              json.RawMessage `json:"raw,omitempty"`
}

// KeyChange is one credential added or removed by an audit event.
type KeyChange struct {
	Action      string `json:"action"` // "added" or "removed"
	KeyID       string `json:"key_id"`
	KeyType     string `json:"key_type,omitempty"`
	KeyUsage    string `json:"key_usage,omitempty"`
	DisplayName string `json:"display_name,omitempty"`
}
