package errtext

// Field is one named value found in the text, exactly as the text has it
// (trimmed).
type Field struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Result is what Parse found in a text.
type Result struct {
	// Codes is every AADSTS code in the text, in order of first appearance.
	Codes []int
	// Primary is the most specific code (the inner one of the old
	// two-code messages), 0 when the text has none.
	Primary int
	// OAuthError is the OAuth 2.0 `error` value when the text has one.
	OAuthError string
	// Fields are the named values, in order of appearance. Names are those
	// of FieldNames.
	Fields []Field
	// Messages maps a code to the message text that followed it
	// ("AADSTS50012: <message>"), without the Trace ID/Correlation ID tail.
	Messages map[int]string
	// Form is the detected shape of the text, one of Forms().
	Form string
	// Text is the text after its encodings were undone (JSON escapes, HTML
	// entities, percent-encoding, quote markers): what message signals are
	// matched against.
	Text string
	// Normalised holds canonical forms of some field values: times as
	// RFC 3339 in UTC, GUIDs in lower case, durations in Go syntax. The
	// names are the field names.
	Normalised []Field
}

// Field returns the value of the named field and whether it was found.
func (r Result) Field(name string) (string, bool) {
	for _, f := range r.Fields {
		if f.Name == name {
			return f.Value, true
		}
	}
	return "", false
}

// Normal returns the normalised value of the named field, if any.
func (r Result) Normal(name string) (string, bool) {
	for _, f := range r.Normalised {
		if f.Name == name {
			return f.Value, true
		}
	}
	return "", false
}

// Forms of pasted text, as Result.Form reports them.
const (
	FormTokenJSON      = "token-json"
	FormMSALDotNet     = "msal-dotnet"
	FormMSALJava       = "msal-java"
	FormMSALPython     = "msal-python"
	FormMSALJS         = "msal-js"
	FormMSALGo         = "msal-go"
	FormIdentityDotNet = "azure-identity-dotnet"
	FormIdentityJava   = "azure-identity-java"
	FormIdentityPython = "azure-identity-python"
	FormIdentityJS     = "azure-identity-js"
	FormIdentityGo     = "azure-identity-go"
	FormADAL           = "adal"
	FormAzCLI          = "az-cli"
	FormAzPowerShell   = "az-powershell"
	FormBrowser        = "browser"
	FormURL            = "url"
	FormLog            = "log-line"
	FormOther          = "other"
)

// Forms returns every value Result.Form can take.
func Forms() []string {
	return []string{FormTokenJSON, FormMSALDotNet, FormMSALJava, FormMSALPython, FormMSALJS, FormMSALGo,
		FormIdentityDotNet, FormIdentityJava, FormIdentityPython, FormIdentityJS, FormIdentityGo,
		FormADAL, FormAzCLI, FormAzPowerShell, FormBrowser, FormURL, FormLog, FormOther}
}

// FieldNames returns every field name Parse can report, in a stable order.
func FieldNames() []string {
	return []string{"trace_id", "correlation_id", "timestamp", "app_id", "tenant", "error_uri", "request_id",
		"thumbprint", "key_start", "key_end", "reason", "scope", "resource", "redirect_uri", "current_time",
		"assertion_valid_from", "assertion_expiry", "token_issued", "inactive_for", "max_lifetime",
		"grant_issued", "tokens_valid_from", "subject", "issuer", "audience", "user", "idp", "suberror",
		"authority", "origin"}
}
