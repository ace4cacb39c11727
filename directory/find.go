package directory

import (
	"strings"
)

// MicrosoftGraphAppID is the appId of Microsoft Graph's service principal.
const MicrosoftGraphAppID = "00000003-0000-0000-c000-000000000000"

// FindTenant finds a tenant by id or by one of its domains
// (case-insensitive).
func (d *Directory) FindTenant(idOrDomain string) (*Tenant, bool) {
	for i := range d.Tenants {
		t := &d.Tenants[i]
		if strings.EqualFold(t.ID, idOrDomain) {
			return t, true
		}
		for _, dom := range t.Domains {
			if strings.EqualFold(dom, idOrDomain) {
				return t, true
			}
		}
	}
	return nil, false
}

// FindApplication finds an application by appId (client id).
func (t *Tenant) FindApplication(appID string) (*Application, bool) {
	for i := range t.Applications {
		if strings.EqualFold(t.Applications[i].AppID, appID) {
			return &t.Applications[i], true
		}
	}
	return nil, false
}

// FindServicePrincipal finds a service principal of the tenant by appId.
// Microsoft Graph's is found even when the tenant does not list it.
func (t *Tenant) FindServicePrincipal(appID string) (*ServicePrincipal, bool) {
	for i := range t.ServicePrincipals {
		if strings.EqualFold(t.ServicePrincipals[i].AppID, appID) {
			return &t.ServicePrincipals[i], true
		}
	}
	if strings.EqualFold(appID, MicrosoftGraphAppID) {
		return MicrosoftGraph(), true
	}
	return nil, false
}

// FindServicePrincipalByID finds a service principal by object id.
func (t *Tenant) FindServicePrincipalByID(id string) (*ServicePrincipal, bool) {
	for i := range t.ServicePrincipals {
		if strings.EqualFold(t.ServicePrincipals[i].ID, id) {
			return &t.ServicePrincipals[i], true
		}
	}
	if g := MicrosoftGraph(); strings.EqualFold(id, g.ID) {
		return g, true
	}
	return nil, false
}

// ServicePrincipalFor finds the resource service principal a token request
// names, by appId or by a servicePrincipalName (an identifier URI), as in a
// "scope" of "https://graph.microsoft.com/.default" or "api://x/read". A
// trailing "/.default" or scope name must be removed by the caller unless
// the value is a bare appId or a URI listed in servicePrincipalNames;
// ServicePrincipalFor tries the value as given, then without a trailing
// slash. Microsoft Graph's service principal is always present.
func (t *Tenant) ServicePrincipalFor(appIDOrURI string) (*ServicePrincipal, bool) {
	want := strings.TrimSuffix(appIDOrURI, "/")
	match := func(sp *ServicePrincipal) bool {
		if strings.EqualFold(sp.AppID, want) {
			return true
		}
		for _, n := range sp.ServicePrincipalNames {
			if strings.EqualFold(strings.TrimSuffix(n, "/"), want) {
				return true
			}
		}
		return false
	}
	for i := range t.ServicePrincipals {
		if match(&t.ServicePrincipals[i]) {
			return &t.ServicePrincipals[i], true
		}
	}
	if g := MicrosoftGraph(); match(g) {
		return g, true
	}
	return nil, false
}

// AppRoleByValue finds an enabled or disabled app role by its value.
func (sp *ServicePrincipal) AppRoleByValue(value string) (*AppRole, bool) {
	for i := range sp.AppRoles {
		if sp.AppRoles[i].Value == value {
			return &sp.AppRoles[i], true
		}
	}
	return nil, false
}

// ScopeByValue finds a delegated permission scope by its value.
func (sp *ServicePrincipal) ScopeByValue(value string) (*PermissionScope, bool) {
	for i := range sp.OAuth2PermissionScopes {
		if strings.EqualFold(sp.OAuth2PermissionScopes[i].Value, value) {
			return &sp.OAuth2PermissionScopes[i], true
		}
	}
	return nil, false
}

// MicrosoftGraph returns a fresh copy of Microsoft Graph's service
// principal as every tenant holds it, with its common application
// permissions (app roles) and delegated scopes. The ids are Graph's real
// permission ids. Its object id is fixed for the emulator.
func MicrosoftGraph() *ServicePrincipal {
	enabled := true
	sp := &ServicePrincipal{
		ID:                     "00000003-0000-0000-c000-0000000000f0",
		AppID:                  MicrosoftGraphAppID,
		DisplayName:            "Microsoft Graph",
		AppDisplayName:         "Microsoft Graph",
		AccountEnabled:         &enabled,
		AppOwnerOrganizationID: "f8cdef31-a31e-4b4a-93e4-5f571e91255a",
		ServicePrincipalType:   "Application",
		SignInAudience:         "AzureADMultipleOrgs",
		ServicePrincipalNames: []string{
			MicrosoftGraphAppID,
			"https://graph.microsoft.com",
			"https://graph.microsoft.us",
			"https://dod-graph.microsoft.us",
			"https://canary.graph.microsoft.com",
			"https://ags.windows.net",
			"https://microsoftgraph.chinacloudapi.cn",
		},
	}
	for _, r := range graphRoles {
		sp.AppRoles = append(sp.AppRoles, AppRole{ID: r[0], Value: r[1], DisplayName: r[1],
			AllowedMemberTypes: []string{"Application"}, IsEnabled: true, Origin: "Application"})
	}
	for _, s := range graphScopes {
		sp.OAuth2PermissionScopes = append(sp.OAuth2PermissionScopes, PermissionScope{ID: s[0], Value: s[1],
			Type: s[2], IsEnabled: true, AdminConsentDisplayName: s[1]})
	}
	return sp
}

// graphRoles are Microsoft Graph application permissions: id, value.
var graphRoles = [][2]string{
	{"9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30", "Application.Read.All"},
	{"1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9", "Application.ReadWrite.All"},
	{"b0afded3-3588-46d8-8b3d-9842eff778da", "AuditLog.Read.All"},
	{"7ab1d382-f21e-4acd-a863-ba3e13f7da61", "Directory.Read.All"},
	{"5b567255-7703-4780-807c-7be8301ae99b", "Group.Read.All"},
	{"df021288-bdef-4463-88db-98f22de89214", "User.Read.All"},
	{"246dd0d5-5bd0-4def-940b-0421030a5b68", "Policy.Read.All"},
}

// graphScopes are Microsoft Graph delegated permissions: id, value, type.
var graphScopes = [][3]string{
	{"e1fe6dd8-ba31-4d61-89e7-88639da4683d", "User.Read", "User"},
	{"a154be20-db9c-4678-8ab7-66f6cc099a59", "User.Read.All", "Admin"},
	{"c79f8feb-a9db-4090-85f9-90d820caa0eb", "Application.Read.All", "Admin"},
	{"e4c9e354-4dc5-45b8-9e7c-e1393b0b1a20", "AuditLog.Read.All", "Admin"},
	{"37f7f235-527c-4136-accd-4a02d197296e", "openid", "User"},
	{"14dad69e-099b-42c9-810b-d002981feec1", "profile", "User"},
	{"64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0", "email", "User"},
	{"7427e0e9-2fba-42fe-b0c0-848c9e6a8182", "offline_access", "User"},
}
