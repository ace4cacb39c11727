package errtext

import (
	"regexp"
	"strings"
)

// reMSALJSPrefix matches MSAL JS's "<error>: <code> - [<timestamp>]: " prefix.
var reMSALJSPrefix = regexp.MustCompile(`[a-z_]+: \d{4,8} - \[\d{4}-\d\d-\d\d`)

// formMarkers are literal, lower-case markers of a library or tool, most
// specific first. The first form with a marker in the text wins.
var formMarkers = []struct {
	form    string
	markers []string
}{
	{FormIdentityJava, []string{"com.azure.identity", "azure identity =>"}},
	{FormIdentityPython, []string{"azure.identity", "azure.core.exceptions.clientauthenticationerror", "defaultazurecredential failed to retrieve a token"}},
	{FormIdentityJS, []string{"@azure/identity", "credentialunavailableerror", "authenticationrequirederror"}},
	{FormIdentityGo, []string{"azidentity", "azsdk/go/identity", "-\nresponse 4", "-\nresponse 5"}},
	{FormIdentityDotNet, []string{"azure.identity.", "azure.identity:", "authenticationfailedexception"}},
	{FormMSALJava, []string{"com.microsoft.aad.msal4j", "msal4j"}},
	{FormMSALDotNet, []string{"microsoft.identity.client", "msalserviceexception", "msaluirequiredexception", "msalclientexception", "msal-net", "msal.net"}},
	{FormMSALGo, []string{"fromassertion()", "reply status code was", "microsoft-authentication-library-for-go", "confidential.newcredfrom"}},
	{FormMSALPython, []string{"msal/", "msal\\", "msal.application", "import msal", "oidc discovery endpoint rejects"}},
	{FormMSALJS, []string{"servererror:", "interactionrequiredautherror", "browserautherror", "autherror.ts", "@azure/msal", "msal-browser", "msal-node"}},
	{FormADAL, []string{"microsoft.identitymodel.clients.activedirectory", "adalserviceexception", "adal4j", "adal-node", "adal.adal_error", "adalerror", "adalclaimchallengeexception"}},
	{FormAzCLI, []string{"azure.cli", "azclierror", "az login", "az account get-access-token"}},
	{FormAzPowerShell, []string{"connect-azaccount", "connect-mggraph", "get-aztoken", "fullyqualifiederrorid"}},
}

// formScan bounds how much of the text form detection reads.
const formScan = 64 << 10

// detectForm names the shape of the text.
func detectForm(low string, hasCodes bool) string {
	if len(low) > formScan {
		low = low[:formScan]
	}
	for _, f := range formMarkers {
		for _, m := range f.markers {
			if strings.Contains(low, m) {
				return f.form
			}
		}
	}
	if reMSALJSPrefix.MatchString(low) {
		return FormMSALJS
	}
	switch {
	case startsWithDate(low):
		return FormLog
	case strings.Contains(low, "request id:") && strings.Contains(low, "correlation id:") && strings.Contains(low, "message:"):
		return FormBrowser
	case strings.Contains(low, "sorry, but we") || strings.Contains(low, "troubleshooting details"):
		return FormBrowser
	case strings.Contains(low, `"error_description"`) || strings.Contains(low, `"error":`) || strings.Contains(low, `"error" :`):
		return FormTokenJSON
	case strings.Contains(low, "error?code=") && !strings.Contains(low, " "):
		return FormURL
	case strings.Contains(low, "error_description=aadsts") || strings.Contains(low, "?error=") || strings.Contains(low, "#error=") || strings.Contains(low, "&error="):
		return FormURL
	case looksLikeLog(low):
		return FormLog
	}
	_ = hasCodes
	return FormOther
}

// looksLikeLog: a line that starts with a date or carries a log level.
func looksLikeLog(low string) bool {
	for _, lv := range []string{" error ", "[error]", " warn ", "level=error", "error:", "##[error]"} {
		if strings.Contains(low, lv) && strings.Count(low, "\n") > 0 && strings.Contains(low, ": ") {
			return strings.Contains(low, "##[error]") || strings.Contains(low, "level=")
		}
	}
	return false
}

// startsWithDate: the text starts with a log line's date.
func startsWithDate(low string) bool {
	line := strings.TrimSpace(low)
	return len(line) >= 10 && line[4] == '-' && line[7] == '-' && isDigits(line[:4])
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
