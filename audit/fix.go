package audit

import "fmt"

// Fix texts give one command per tool: az CLI, Microsoft Graph PowerShell,
// and the portal path. Placeholders in <angle brackets> are for the user.

func portal(o owner) string {
	if o.portalText != "" {
		return o.portalText
	}
	if o.typ == ObjectServicePrincipal {
		return "Portal: Entra admin center > Enterprise applications > " + nameOr(o) + "."
	}
	return "Portal: Entra admin center > App registrations > " + nameOr(o) + " > Certificates & secrets."
}

func nameOr(o owner) string {
	if o.name != "" && !o.synthetic {
		return o.name
	}
	return o.appIDOr()
}

func (o owner) appIDOr() string {
	if o.appID == "" {
		return "<appId>"
	}
	return o.appID
}

func (o owner) objectIDOr() string {
	if o.objectID == "" {
		return "<objectId>"
	}
	return o.objectID
}

// fixRotate is built by concatenation: it runs for most findings of a
// large tenant.
func fixRotate(o owner, c credential) string {
	app, obj, key := o.appIDOr(), o.objectIDOr(), c.keyID
	if o.typ == ObjectServicePrincipal {
		if c.kind == CredSecret {
			return "Add a new secret, switch clients to it, then remove the old one: az ad sp credential reset --id " + app +
				" --append --display-name rotated; az ad sp credential delete --id " + app + " --key-id " + key +
				". PowerShell: Add-MgServicePrincipalPassword -ServicePrincipalId " + obj +
				"; Remove-MgServicePrincipalPassword -ServicePrincipalId " + obj + " -KeyId " + key + ". " + portal(o)
		}
		return "Upload a new certificate and remove the old one: az ad sp credential reset --id " + app +
			" --cert @new-cert.pem --append; az ad sp credential delete --id " + app + " --key-id " + key +
			" --cert. For a SAML signing certificate: Enterprise applications > " + nameOr(o) +
			" > Single sign-on > SAML Certificates > New Certificate, then make it active. " + portal(o)
	}
	if c.kind == CredSecret {
		return "Add a new secret, switch clients to it, then remove the old one: az ad app credential reset --id " + app +
			" --append --display-name rotated --years 1; az ad app credential delete --id " + app + " --key-id " + key +
			". PowerShell: Add-MgApplicationPassword -ApplicationId " + obj +
			" -PasswordCredential @{displayName='rotated'; endDateTime=(Get-Date).AddMonths(6)}; Remove-MgApplicationPassword -ApplicationId " + obj +
			" -KeyId " + key + ". " + portal(o)
	}
	return "Upload the new certificate next to the old one, switch clients, then remove the old one: az ad app credential reset --id " + app +
		" --cert @new-cert.pem --append; az ad app credential delete --id " + app + " --key-id " + key +
		" --cert. PowerShell: Update-MgApplication -ApplicationId " + obj + " -KeyCredentials <existing keys + new key>. " + portal(o)
}

func fixRemoveSecret(o owner, keyID string) string {
	if o.typ == ObjectServicePrincipal {
		return fmt.Sprintf("Remove it once nothing uses it: az ad sp credential delete --id %s --key-id %s; PowerShell: Remove-MgServicePrincipalPassword -ServicePrincipalId %s -KeyId %s.", o.appIDOr(), keyID, o.objectIDOr(), keyID)
	}
	return fmt.Sprintf("Remove the old secret once nothing uses it: az ad app credential delete --id %s --key-id %s; PowerShell: Remove-MgApplicationPassword -ApplicationId %s -KeyId %s. %s", o.appIDOr(), keyID, o.objectIDOr(), keyID, portal(o))
}

func fixRemoveKey(o owner, keyID string) string {
	if o.typ == ObjectServicePrincipal {
		return fmt.Sprintf("Remove the key: az ad sp credential delete --id %s --key-id %s --cert; PowerShell: Update-MgServicePrincipal -ServicePrincipalId %s -KeyCredentials <the keys without %s>.", o.appIDOr(), keyID, o.objectIDOr(), keyID)
	}
	return fmt.Sprintf("Remove the key: az ad app credential delete --id %s --key-id %s --cert; PowerShell: Update-MgApplication -ApplicationId %s -KeyCredentials <the keys without %s>. Or delete the entry from keyCredentials in the app's Manifest blade.", o.appIDOr(), keyID, o.objectIDOr(), keyID)
}
