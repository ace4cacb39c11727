package audit

import (
	"fmt"
	"strings"

	"github.com/aadsts/aadsts/directory"
)

// resource is what the permission rules know about an API.
type resource struct {
	name   string
	scopes []directory.PermissionScope
	roles  []directory.AppRole
}

// resourceFor finds an API in the audited tenant by appId, from its
// service principal or else its app registration. Microsoft Graph is not
// judged: the built-in model lists only its common permissions.
func (r *run) resourceFor(appID string) (resource, bool) {
	if strings.EqualFold(appID, directory.MicrosoftGraphAppID) {
		return resource{}, false
	}
	for i := range r.t.ServicePrincipals {
		sp := &r.t.ServicePrincipals[i]
		if strings.EqualFold(sp.AppID, appID) {
			return resource{name: sp.DisplayName, scopes: sp.OAuth2PermissionScopes, roles: sp.AppRoles}, true
		}
	}
	for i := range r.t.Applications {
		a := &r.t.Applications[i]
		if strings.EqualFold(a.AppID, appID) && !a.Synthetic {
			return resource{name: a.DisplayName, scopes: a.API.OAuth2PermissionScopes, roles: a.AppRoles}, true
		}
	}
	return resource{}, false
}

func (r *run) permissions(o owner, a *directory.Application) {
	for _, rra := range a.RequiredResourceAccess {
		res, ok := r.resourceFor(rra.ResourceAppID)
		if !ok {
			continue
		}
		resLabel := fmt.Sprintf("%q (%s)", res.name, rra.ResourceAppID)
		delegatedReported := false
		for _, ra := range rra.ResourceAccess {
			switch {
			case strings.EqualFold(ra.Type, "Scope") && len(res.scopes) == 0:
				if !delegatedReported {
					r.add(o, RuleDelegatedNotExposed, Critical,
						fmt.Sprintf("%s asks for delegated permissions of %s, which exposes no delegated permissions (only application permissions). Sign-ins as a user for this API (authorization code, device code, on-behalf-of) fail.", o.label(), resLabel),
						fmt.Sprintf("Expose a delegated scope on the API (App registrations > %s > Expose an API > Add a scope; or az ad app update --id %s with api.oauth2PermissionScopes), then consent to it for the client; or have the client use the client-credentials flow with an application permission.", res.name, rra.ResourceAppID),
						Finding{})
					delegatedReported = true
				}
			case strings.EqualFold(ra.Type, "Scope") && !hasScope(res.scopes, ra.ID):
				r.add(o, RuleUnknownPermission, Warning,
					fmt.Sprintf("%s asks for delegated permission %s of %s, which the API does not define.", o.label(), ra.ID, resLabel),
					fmt.Sprintf("Remove it and add the right one: az ad app permission delete --id %s --api %s --api-permissions %s; az ad app permission add --id %s --api %s --api-permissions <scope id>=Scope.", o.appIDOr(), rra.ResourceAppID, ra.ID, o.appIDOr(), rra.ResourceAppID),
					Finding{})
			case strings.EqualFold(ra.Type, "Role") && !hasRole(res.roles, ra.ID):
				r.add(o, RuleUnknownPermission, Warning,
					fmt.Sprintf("%s asks for application permission %s of %s, which the API does not define as an app role.", o.label(), ra.ID, resLabel),
					fmt.Sprintf("Remove it and add the right one: az ad app permission delete --id %s --api %s --api-permissions %s; az ad app permission add --id %s --api %s --api-permissions <role id>=Role.", o.appIDOr(), rra.ResourceAppID, ra.ID, o.appIDOr(), rra.ResourceAppID),
					Finding{})
			}
		}
	}
}

func hasScope(ss []directory.PermissionScope, id string) bool {
	for _, s := range ss {
		if strings.EqualFold(s.ID, id) {
			return true
		}
	}
	return false
}

func hasRole(rs []directory.AppRole, id string) bool {
	for _, x := range rs {
		if strings.EqualFold(x.ID, id) {
			return true
		}
	}
	return false
}
