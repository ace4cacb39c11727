package directory

import "time"

// Directory is a set of tenants. Read also records what it saw but could
// not use in Notes and the first-party application catalog in FirstParty.
type Directory struct {
	Tenants []Tenant `json:"tenants"`
	// FirstParty is filled when a first-party app catalog (ROADtools'
	// firstpartyscopes.json shape) was read: it names Microsoft's own apps,
	// it is not a set of app registrations, so nothing in it is audited.
	FirstParty []FirstPartyApp `json:"-"`
	// Notes are human sentences about input that was skipped.
	Notes []string `json:"-"`
}

// Tenant is one Entra tenant and the objects it holds.
type Tenant struct {
	ID                     string                  `json:"id"`
	DisplayName            string                  `json:"displayName"`
	Domains                []string                `json:"domains"`
	Applications           []Application           `json:"applications"`
	ServicePrincipals      []ServicePrincipal      `json:"servicePrincipals"`
	Users                  []User                  `json:"users"`
	AppRoleAssignments     []AppRoleAssignment     `json:"appRoleAssignments"`
	OAuth2PermissionGrants []OAuth2PermissionGrant `json:"oauth2PermissionGrants"`
}

// Application is an app registration (Graph "application").
type Application struct {
	// ID is the object id; AppID is the client id.
	ID                           string                        `json:"id" alias:"objectId"`
	AppID                        string                        `json:"appId"`
	DisplayName                  string                        `json:"displayName"`
	SignInAudience               string                        `json:"signInAudience"`
	IdentifierURIs               []string                      `json:"identifierUris"`
	IsFallbackPublicClient       *bool                         `json:"isFallbackPublicClient"`
	KeyCredentials               []KeyCredential               `json:"keyCredentials"`
	PasswordCredentials          []PasswordCredential          `json:"passwordCredentials"`
	FederatedIdentityCredentials []FederatedIdentityCredential `json:"federatedIdentityCredentials"`
	AppRoles                     []AppRole                     `json:"appRoles"`
	API                          APIApplication                `json:"api"`
	RequiredResourceAccess       []RequiredResourceAccess      `json:"requiredResourceAccess"`
	Web                          WebApplication                `json:"web"`
	SPA                          RedirectURIs                  `json:"spa"`
	PublicClient                 RedirectURIs                  `json:"publicClient"`
	Tags                         []string                      `json:"tags"`
	// Source names the file (and shape) the object was read from.
	Source string `json:"-"`
	// Synthetic is true when the object was made up by Read to hold
	// credentials that were listed without their application (the output
	// of `az ad app credential list`): its ids are then unknown.
	Synthetic bool `json:"-"`
}

// APIApplication is the "api" facet of an application.
type APIApplication struct {
	// RequestedAccessTokenVersion is null/1 for v1 tokens, 2 for v2.
	RequestedAccessTokenVersion *int                       `json:"requestedAccessTokenVersion"`
	AcceptMappedClaims          *bool                      `json:"acceptMappedClaims"`
	KnownClientApplications     []string                   `json:"knownClientApplications"`
	OAuth2PermissionScopes      []PermissionScope          `json:"oauth2PermissionScopes"`
	PreAuthorizedApplications   []PreAuthorizedApplication `json:"preAuthorizedApplications"`
}

// PreAuthorizedApplication is a client pre-consented for delegated scopes.
type PreAuthorizedApplication struct {
	AppID                  string   `json:"appId"`
	DelegatedPermissionIDs []string `json:"delegatedPermissionIds"`
}

// WebApplication is the "web" facet of an application.
type WebApplication struct {
	RedirectURIs          []string               `json:"redirectUris" alias:"replyUrls"`
	HomePageURL           *string                `json:"homePageUrl"`
	LogoutURL             *string                `json:"logoutUrl"`
	ImplicitGrantSettings *ImplicitGrantSettings `json:"implicitGrantSettings"`
}

// ImplicitGrantSettings says whether the implicit flow may issue tokens.
type ImplicitGrantSettings struct {
	EnableIDTokenIssuance     bool `json:"enableIdTokenIssuance"`
	EnableAccessTokenIssuance bool `json:"enableAccessTokenIssuance"`
}

// RedirectURIs is the "spa" and "publicClient" facets.
type RedirectURIs struct {
	RedirectURIs []string `json:"redirectUris"`
}

// ServicePrincipal is an application's instance in a tenant (Graph
// "servicePrincipal").
type ServicePrincipal struct {
	ID                        string               `json:"id" alias:"objectId"`
	AppID                     string               `json:"appId"`
	DisplayName               string               `json:"displayName"`
	AppDisplayName            string               `json:"appDisplayName"`
	AccountEnabled            *bool                `json:"accountEnabled"`
	AppOwnerOrganizationID    string               `json:"appOwnerOrganizationId"`
	AppRoleAssignmentRequired bool                 `json:"appRoleAssignmentRequired"`
	ServicePrincipalType      string               `json:"servicePrincipalType"`
	ServicePrincipalNames     []string             `json:"servicePrincipalNames"`
	SignInAudience            string               `json:"signInAudience"`
	AlternativeNames          []string             `json:"alternativeNames"`
	KeyCredentials            []KeyCredential      `json:"keyCredentials"`
	PasswordCredentials       []PasswordCredential `json:"passwordCredentials"`
	AppRoles                  []AppRole            `json:"appRoles"`
	OAuth2PermissionScopes    []PermissionScope    `json:"oauth2PermissionScopes" alias:"oauth2Permissions"`
	Tags                      []string             `json:"tags"`
	// Source names the file (and shape) the object was read from.
	Source string `json:"-"`
}

// Enabled reports whether the service principal may sign in (a missing
// accountEnabled means enabled).
func (sp *ServicePrincipal) Enabled() bool { return sp.AccountEnabled == nil || *sp.AccountEnabled }

// KeyCredential is a certificate or key on an application or service
// principal.
type KeyCredential struct {
	KeyID       string `json:"keyId"`
	Type        string `json:"type"`  // AsymmetricX509Cert, Symmetric, X509CertAndPassword
	Usage       string `json:"usage"` // Verify, Sign, Encrypt
	DisplayName string `json:"displayName"`
	// CustomKeyIdentifier is kept exactly as given (Graph prints it as
	// base64; for certificates it usually reads as the hex SHA-1
	// thumbprint). Byte arrays from PowerShell are turned into base64.
	CustomKeyIdentifier string    `json:"customKeyIdentifier"`
	Start               time.Time `json:"startDateTime" alias:"startDate"`
	End                 time.Time `json:"endDateTime" alias:"endDate"`
	// Key is the DER certificate (or raw key) when present.
	Key []byte `json:"key" alias:"value"`
}

// Certificate types and usages of KeyCredential.
const (
	KeyTypeX509          = "AsymmetricX509Cert"
	KeyTypeSymmetric     = "Symmetric"
	KeyTypeX509AndPasswd = "X509CertAndPassword"
	KeyUsageVerify       = "Verify"
	KeyUsageSign         = "Sign"
	KeyUsageEncrypt      = "Encrypt"
)

// PasswordCredential is a client secret.
type PasswordCredential struct {
	KeyID               string `json:"keyId"`
	DisplayName         string `json:"displayName"`
	Hint                string `json:"hint"`
	CustomKeyIdentifier string `json:"customKeyIdentifier"`
	// SecretText is the secret itself. It is read from the emulator's
	// directory file, never marshalled (always null), never logged.
	SecretText string    `json:"secretText" alias:"value"`
	Start      time.Time `json:"startDateTime" alias:"startDate"`
	End        time.Time `json:"endDateTime" alias:"endDate"`
}

// FederatedIdentityCredential trusts tokens of an external issuer.
type FederatedIdentityCredential struct {
	ID                       string   `json:"id"`
	Name                     string   `json:"name"`
	Issuer                   string   `json:"issuer"`
	Subject                  string   `json:"subject"`
	Description              string   `json:"description"`
	Audiences                []string `json:"audiences"`
	ClaimsMatchingExpression *string  `json:"claimsMatchingExpression"`
}

// AppRole is a role an application exposes (application permissions when
// AllowedMemberTypes holds "Application").
type AppRole struct {
	ID                 string   `json:"id"`
	Value              string   `json:"value"`
	DisplayName        string   `json:"displayName"`
	Description        string   `json:"description"`
	AllowedMemberTypes []string `json:"allowedMemberTypes"`
	IsEnabled          bool     `json:"isEnabled"`
	Origin             string   `json:"origin"`
}

// PermissionScope is a delegated permission (oauth2PermissionScopes).
type PermissionScope struct {
	ID                      string `json:"id"`
	Value                   string `json:"value"`
	Type                    string `json:"type"` // User or Admin
	IsEnabled               bool   `json:"isEnabled"`
	AdminConsentDisplayName string `json:"adminConsentDisplayName"`
	AdminConsentDescription string `json:"adminConsentDescription"`
	UserConsentDisplayName  string `json:"userConsentDisplayName"`
	UserConsentDescription  string `json:"userConsentDescription"`
}

// RequiredResourceAccess lists the permissions a client asks of one API.
type RequiredResourceAccess struct {
	ResourceAppID  string           `json:"resourceAppId"`
	ResourceAccess []ResourceAccess `json:"resourceAccess"`
}

// ResourceAccess is one permission id; Type is "Scope" (delegated) or
// "Role" (application).
type ResourceAccess struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

// User is a user account.
type User struct {
	ID                string           `json:"id"`
	UserPrincipalName string           `json:"userPrincipalName"`
	DisplayName       string           `json:"displayName"`
	Mail              string           `json:"mail"`
	AccountEnabled    *bool            `json:"accountEnabled"`
	PasswordProfile   *PasswordProfile `json:"passwordProfile"`
}

// PasswordProfile holds a user's password in the emulator's directory
// file. It is never marshalled.
type PasswordProfile struct {
	Password                      string `json:"password"`
	ForceChangePasswordNextSignIn bool   `json:"forceChangePasswordNextSignIn"`
}

// AppRoleAssignment grants an app role of a resource service principal to
// a principal (a service principal, user or group). Ids are object ids.
type AppRoleAssignment struct {
	ID                   string    `json:"id"`
	AppRoleID            string    `json:"appRoleId"`
	PrincipalID          string    `json:"principalId"`
	PrincipalType        string    `json:"principalType"`
	PrincipalDisplayName string    `json:"principalDisplayName"`
	ResourceID           string    `json:"resourceId"`
	ResourceDisplayName  string    `json:"resourceDisplayName"`
	CreatedDateTime      time.Time `json:"createdDateTime"`
}

// OAuth2PermissionGrant is consent to delegated scopes: ClientID and
// ResourceID are service principal object ids, Scope is space-separated,
// ConsentType is "AllPrincipals" or "Principal" (with PrincipalID).
type OAuth2PermissionGrant struct {
	ID          string `json:"id"`
	ClientID    string `json:"clientId"`
	ConsentType string `json:"consentType"`
	PrincipalID string `json:"principalId"`
	ResourceID  string `json:"resourceId"`
	Scope       string `json:"scope"`
}

// FirstPartyApp is one entry of a first-party application catalog.
type FirstPartyApp struct {
	AppID        string
	Name         string
	PublicClient bool
	FOCI         bool
}
