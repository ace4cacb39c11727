package rules

import (
	"fmt"
	"strings"
	"time"
)

// entraError is one error Entra sends: code, OAuth error and message text
// (wire wording from shared/spec, without the diagnostics tail).
type entraError struct {
	code  int
	oauth string
	msg   string
}

// Documentation links Entra puts inside messages.
const (
	certCredsDocOld = "https://docs.microsoft.com/azure/active-directory/develop/active-directory-certificate-credentials"
	certCredsDoc    = "https://learn.microsoft.com/entra/identity-platform/certificate-credentials"
	wifDoc          = "https://learn.microsoft.com/entra/workload-id/workload-identity-federation"
	wifDocOld       = "https://docs.microsoft.com/en-us/azure/active-directory/develop/workload-identity-federation"
)

// AllowedAssertionAlgs are the signature algorithms Entra accepts on a
// client assertion (client-assertion-rules.md §2.1).
var AllowedAssertionAlgs = []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"}

func errMissingParam(name string) entraError {
	return entraError{900144, ErrInvalidRequest, fmt.Sprintf("The request body must contain the following parameter: '%s'.", name)}
}

func errTenantNotFound(tenant string) entraError {
	return entraError{90002, ErrInvalidRequest, fmt.Sprintf("Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.", tenant)}
}

func errTenantEmptyGUID(tenant string) entraError {
	return entraError{90002, ErrInvalidRequest, fmt.Sprintf("Requested tenant identifier '%s' is not valid. Tenant identifiers may not be an empty GUID.", tenant)}
}

func errTenantMalformed(tenant string) entraError {
	return entraError{900023, ErrInvalidRequest, fmt.Sprintf("Specified tenant identifier '%s' is neither a valid DNS name, nor a valid external domain.", tenant)}
}

func errGrantOnCommon() entraError {
	return entraError{9001023, ErrInvalidRequest, "The grant type isn't supported over the /common or /consumers endpoints. Please use the /organizations or tenant-specific endpoint."}
}

func errAppNotFound(appID, tenant string) entraError {
	return entraError{700016, ErrUnauthorizedClient, fmt.Sprintf("Application with identifier '%s' was not found in the directory '%s'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.", appID, tenant)}
}

func errNoServicePrincipal(appID, tenantID string) entraError {
	return entraError{7000229, ErrInvalidClient, fmt.Sprintf("The client application %s is missing service principal in the tenant %s. See instructions here: https://go.microsoft.com/fwlink/?linkid=2225119", appID, tenantID)}
}

// errAppDisabled is 7000112 as observed: "Application '{appId}'({name}) is disabled."
func errAppDisabled(appID, name string) entraError {
	return entraError{7000112, ErrUnauthorizedClient, fmt.Sprintf("Application '%s'(%s) is disabled.", appID, name)}
}

func errNoCredential() entraError {
	return entraError{7000218, ErrInvalidClient, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."}
}

func errNoCredentialClientCredentials() entraError {
	return entraError{7000216, ErrInvalidClient, "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type"}
}

func errPublicClientCredential() entraError {
	return entraError{700025, ErrInvalidClient, "Client is public so neither 'client_assertion' nor 'client_secret' should be presented."}
}

func errMalformedJWT() entraError {
	return entraError{50027, ErrInvalidRequest, "JWT token is invalid or malformed."}
}

// algListAsObserved is the list 5002738 prints, as captured from ESTS
// (client-assertion-rules.md §2.1 [C2]): it does not name PS256-PS512,
// which are accepted all the same.
const algListAsObserved = "RS256,RS384,RS512"

func errAlg(alg string) entraError {
	return entraError{5002738, ErrInvalidClient, fmt.Sprintf("Invalid JWT token. '%s' is not a supported signature algorithm. Supported signing algorithms are: '%s'", alg, algListAsObserved)}
}

func errNoKeyID() entraError {
	return entraError{5002723, ErrInvalidClient, "Invalid JWT token. No certificate SHA-1 thumbprint, certificate SHA-256 thumbprint, nor keyId specified in token header."}
}

func errMissingField(name string) entraError {
	return entraError{90014, ErrInvalidRequest, fmt.Sprintf("The required field '%s' is missing from the credential. Ensure that you have all the necessary parameters for the login request.", name)}
}

func errIssMismatch() entraError {
	return entraError{700021, ErrInvalidClient, fmt.Sprintf("Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at %s .", certCredsDocOld)}
}

func errSubMismatch() entraError {
	return entraError{50048, ErrInvalidClient, "Subject must match the issuer claim in the client assertion."}
}

func errAudience() entraError {
	return entraError{700023, ErrInvalidClient, fmt.Sprintf("Client assertion audience claim does not match Realm issuer. Review the documentation at %s .", certCredsDocOld)}
}

// entraTime formats a time the way Entra prints it in 700024: ISO-8601 UTC
// with seven fractional digits.
func entraTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.0000000Z") }

// keyTime formats a key date the way 700027 prints it: US format, no zone.
func keyTime(t time.Time) string { return t.UTC().Format("01/02/2006 15:04:05") }

func errTimeWindow(now, nbf, exp time.Time) entraError {
	return entraError{700024, ErrInvalidClient, fmt.Sprintf("Client assertion is not within its valid time range. Current time: %s, assertion valid from %s, expiry time of assertion %s. Review the documentation at %s .", entraTime(now), entraTime(nbf), entraTime(exp), certCredsDoc)}
}

// errKeyNotFound is 700027 "The key was not found". thumbHex is empty when
// the header carried no SHA-1 thumbprint: Entra then omits that segment.
func errKeyNotFound(thumbHex, appID string) entraError {
	var b strings.Builder
	b.WriteString("The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., ")
	if thumbHex != "" {
		fmt.Fprintf(&b, "Thumbprint of key used by client: '%s', ", thumbHex)
	}
	fmt.Fprintf(&b, "Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '%s'. Review the documentation at https://docs.microsoft.com/en-us/graph/deployments to determine the corresponding service endpoint and https://docs.microsoft.com/en-us/graph/api/application-get?view=graph-rest-1.0&tabs=http to build a query request URL, such as 'https://graph.microsoft.com/beta/applications/%s']. Alternatively, SNI may be configured on the app. Please ensure that client assertion is being sent with the x5c claim in the JWT header using MSAL's WithSendX5C() method so that Azure Active Directory can validate the certificate being used.", appID, appID)
	return entraError{700027, ErrInvalidClient, b.String()}
}

func errKeyExpired(thumbHex string, start, end time.Time) entraError {
	return entraError{700027, ErrInvalidClient, fmt.Sprintf("The certificate with identifier used to sign the client assertion is expired on application. [Reason - The key used is expired., Thumbprint of key used by client: '%s', Found key 'Start=%s, End=%s']", thumbHex, keyTime(start), keyTime(end))}
}

func errBadSignature(thumbHex string, start, end time.Time) entraError {
	return entraError{700027, ErrInvalidClient, fmt.Sprintf("Client assertion failed signature validation. [Reason - The provided signature value did not match the expected signature value., Thumbprint of key used by client: '%s', Found key 'Start=%s, End=%s']", thumbHex, keyTime(start), keyTime(end))}
}

func errSecretInvalid(appID string) entraError {
	return entraError{7000215, ErrInvalidClient, fmt.Sprintf("Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '%s'.", appID)}
}

func errSecretExpired(appID string) entraError {
	return entraError{7000222, ErrInvalidClient, fmt.Sprintf("The provided client secret keys for app '%s' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.", appID)}
}

func errScopeNoDefault(scope string) entraError {
	return entraError{1002012, ErrInvalidScope, fmt.Sprintf("The provided value for scope %s is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).", scope)}
}

// errScopeFormat is 70011 for a scope that is neither a URI nor a GUID
// form, as observed: scope is the whole scope parameter.
func errScopeFormat(scope string) entraError {
	return entraError{70011, ErrInvalidScope, fmt.Sprintf("The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope %s is not valid. The scope format is invalid. Scope must be in a valid URI form <https://example/scope> or a valid Guid <guid/scope>.", scope)}
}

func errMultipleResources(scope string) entraError {
	return entraError{700022, ErrInvalidScope, fmt.Sprintf("The provided value for the input parameter scope is not valid because it contains more than one resource. Scope %s is not valid.", scope)}
}

func errResourceNotFound(resource, tenant string) entraError {
	return entraError{500011, ErrInvalidResource, fmt.Sprintf("The resource principal named %s was not found in the tenant named %s. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.", resource, tenant)}
}

func errResourceParamOnV2() entraError {
	return entraError{901002, ErrInvalidRequest, "The 'resource' request parameter is not supported."}
}

func errUnsupportedGrant(grant string) entraError {
	return entraError{70003, ErrUnsupportedGrant, fmt.Sprintf("The app requested an unsupported grant type '%s'.", grant)}
}

func errFICIssuer(iss string) entraError {
	return entraError{700211, ErrInvalidClient, fmt.Sprintf("No matching federated identity record found for presented assertion issuer '%s'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. %s", iss, wifDocOld)}
}

func errFICAudience(aud string) entraError {
	return entraError{700212, ErrInvalidClient, fmt.Sprintf("No matching federated identity record found for presented assertion audience '%s'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. %s", aud, wifDocOld)}
}

func errFICSubject(sub string) entraError {
	return entraError{700213, ErrInvalidClient, fmt.Sprintf("No matching federated identity record found for presented assertion subject '%s'. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. %s", sub, wifDoc)}
}

func errFICSubjectCase(sub string) entraError {
	return entraError{7002138, ErrInvalidClient, fmt.Sprintf("No matching federated identity record found for presented assertion subject '%s'. The subject matches with case-insensitive comparison, but not with case-sensitive comparison. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. See documentation at: %s. See breaking change notification and remediation at: https://learn.microsoft.com/en-us/entra/identity-platform/reference-breaking-changes#august-2024.", sub, wifDoc)}
}

func errFICManagedIdentitySubject(sub, want string) entraError {
	return entraError{7002137, ErrInvalidClient, fmt.Sprintf("No matching federated identity record found for presented assertion subject '%s'. Please make sure the federated identity credential Subject is '%s'.", sub, want)}
}

func errFICDelegatedToken() entraError {
	return entraError{700229, ErrInvalidClient, "Only app-only tokens can be used as Federated Identity Credentials for Microsoft Entra issuer."}
}

func errOBOSignature(reason string) entraError {
	return entraError{50013, ErrInvalidGrant, "Assertion failed signature validation. [Reason - " + reason + "]"}
}

func errOBOExpired(now, exp time.Time) entraError {
	return entraError{500133, ErrInvalidGrant, fmt.Sprintf("Assertion is not within its valid time range. Ensure that the access token is not expired before using it for user assertion, or request a new token. Current time: %s, expiry time of assertion %s.", entraTime(now), entraTime(exp))}
}

func errOBOAudience(aud, appID, name string) entraError {
	return entraError{500131, ErrInvalidGrant, fmt.Sprintf("Assertion audience does not match the Client app presenting the assertion. The audience in the assertion was '%s' and the expected audience is '%s' or one of the Application Uris of this application with App ID '%s'(%s). The downstream client must request a token for the expected audience (the application that made the OBO request) and this application should use that token as the assertion.", aud, appID, appID, name)}
}

func errOBOIDToken() entraError {
	return entraError{240002, ErrInvalidGrant, "Input id_token cannot be used as 'urn:ietf:params:oauth:grant-type:jwt-bearer' grant."}
}

func errOBONotUserToken() entraError {
	return entraError{50013, ErrInvalidGrant, "Assertion is not a user token."}
}
