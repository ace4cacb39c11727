package errtext

import (
	"regexp"
	"strings"
)

// reMSALJSPrefix matches MSAL JS's "<error>: <code> - [<timestamp>]: " prefix.
var reMSALJSPrefix = regexp.MustCompile(`[a-z_]+: \d{4,8} - \[\d{4}-\d\d-\d\d`)

// formMarkers are lower-case markers of a library or tool, most specific
// first. The first form with a marker in the text wins. A marker must not
// continue a word ("authenticationfailedexception" is not found in
// "AadAuthenticationFailedException"). cased markers are matched against
// the text as it is: .NET namespaces are PascalCase ("Azure.Identity"),
// Python modules lower case ("azure.identity").
var formMarkers = []struct {
	form    string
	markers []string
	cased   []string
}{
	// A PowerShell error record wraps whatever library failed under it.
	{form: FormAzPowerShell, markers: []string{"connect-azaccount", "connect-azurermaccount", "connect-mggraph", "connect-azuread",
		"connect-msolservice", "get-aztoken", "get-azaccesstoken", "fullyqualifiederrorid", "+ categoryinfo", "invocationinfo",
		"historyid", "write-error:"}},
	{form: FormIdentityJava, markers: []string{"com.azure.identity", "azure identity =>"}},
	{form: FormIdentityDotNet, cased: []string{"Azure.Identity", "Azure-Identity"}},
	{form: FormIdentityPython, markers: []string{"azure.core.exceptions.clientauthenticationerror", "defaultazurecredential failed to retrieve a token"}, cased: []string{"azure.identity"}},
	{form: FormIdentityJS, markers: []string{"@azure/identity", "credentialunavailableerror", "authenticationrequirederror"}},
	{form: FormIdentityGo, markers: []string{"azidentity", "azsdk/go/identity"}},
	{form: FormIdentityDotNet, markers: []string{"azure.identity.", "azure.identity:", "authenticationfailedexception"}},
	{form: FormMSALJava, markers: []string{"com.microsoft.aad.msal4j", "msal4j"}},
	{form: FormMSALDotNet, markers: []string{"microsoft.identity.client", "msalserviceexception", "msaluirequiredexception", "msalclientexception", "msal-net", "msal.net"}},
	{form: FormMSALGo, markers: []string{"fromassertion()", "reply status code was", "microsoft-authentication-library-for-go", "confidential.newcredfrom"}},
	{form: FormMSALPython, markers: []string{"msal/", "msal\\", "msal.application", "import msal", "oidc discovery endpoint rejects"}},
	// msal-node logs its errors as JSON: {"errorCode":...,"name":"ServerError"}.
	{form: FormMSALJS, markers: []string{"servererror:", `"name":"servererror"`, `"name": "servererror"`, "interactionrequiredautherror",
		"browserautherror", "autherror.ts", "@azure/msal", "msal-browser", "msal-node"}},
	{form: FormADAL, markers: []string{"microsoft.identitymodel.clients.activedirectory", "adalserviceexception", "adal4j", "adal-node",
		"adal.adal_error", "adalerror", "adalclaimchallengeexception"}},
	// The az CLI prints a Python traceback for errors it did not expect.
	{form: FormAzCLI, markers: []string{"azure.cli", "azclierror", "az login", "az account get-access-token", "here is the traceback"}},
}

// reAzidResponse is the status line of an Azure Identity for Go error
// ("RESPONSE 401: 401 Unauthorized", older "RESPONSE 401 Unauthorized")
// between lines of dashes.
var reAzidResponse = regexp.MustCompile(`(?m)^[ \t]*response [45]\d\d\b`)

// rePythonDict is a Python dict of a token response, as MSAL Python returns
// it and scripts print it: {'error': ...} or {u'error': ...}.
var rePythonDict = regexp.MustCompile(`u?'error(?:_description|_codes)?': u?['\[]`)

// formScan bounds how much of the text form detection reads.
const formScan = 64 << 10

// detectForm names the shape of the text. view is the decoded text, low
// its lower-case copy.
func detectForm(view, low string, stamped bool) string {
	if len(low) > formScan {
		view, low = view[:formScan], low[:formScan]
	}
	for _, f := range formMarkers {
		for _, m := range f.markers {
			if containsWord(low, m) {
				return f.form
			}
		}
		for _, m := range f.cased {
			if containsWord(view, m) {
				return f.form
			}
		}
		if f.form == FormIdentityGo && strings.Contains(low, "-----") && strings.Contains(low, "response ") && reAzidResponse.MatchString(low) {
			return f.form
		}
	}
	if strings.Contains(low, " - [") && reMSALJSPrefix.MatchString(low) {
		return FormMSALJS
	}
	switch {
	case stamped || startsWithDate(low):
		return FormLog
	case strings.Contains(low, "request id:") && strings.Contains(low, "correlation id:") && strings.Contains(low, "message:"):
		return FormBrowser
	case strings.Contains(low, "sorry, but we") || strings.Contains(low, "troubleshooting details"):
		return FormBrowser
	case strings.Contains(low, "'error") && rePythonDict.MatchString(low):
		return FormMSALPython
	case strings.Contains(low, `"error_description"`) || strings.Contains(low, `"error_codes"`) || strings.Contains(low, `"error":`) || strings.Contains(low, `"error" :`):
		return FormTokenJSON
	case strings.Contains(low, "error?code=") && !strings.Contains(low, " "):
		return FormURL
	case strings.Contains(low, "?error=") || strings.Contains(low, "#error=") || strings.Contains(low, "&error=") ||
		strings.Contains(low, "&error_description=") || strings.Contains(low, "?error_description="):
		return FormURL
	case looksLikeLog(low):
		return FormLog
	}
	return FormOther
}

// containsWord reports whether marker occurs in s not as the tail of a
// longer word.
func containsWord(s, marker string) bool {
	for from := 0; from < len(s); {
		i := strings.Index(s[from:], marker)
		if i < 0 {
			return false
		}
		i += from
		if i == 0 || !isWordByte(s[i-1]) || !isWordByte(marker[0]) {
			return true
		}
		from = i + 1
	}
	return false
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
