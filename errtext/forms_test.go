package errtext

import (
	"encoding/json"
	"math/rand"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
)

// base is a real 2022 token-endpoint body (7000215, old \r\n tail).
const base = `{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '396c2760-2fa5-4948-b9d5-9839a7440836'.\r\nTrace ID: 3ce379e4-441f-4eae-9730-fc0220183001\r\nCorrelation ID: 54752956-bf4f-48f1-b808-6ecae2522f59\r\nTimestamp: 2022-06-18 03:16:39Z","error_codes":[7000215],"timestamp":"2022-06-18 03:16:39Z","trace_id":"3ce379e4-441f-4eae-9730-fc0220183001","correlation_id":"54752956-bf4f-48f1-b808-6ecae2522f59","error_uri":"https://login.microsoftonline.com/error?code=7000215"}`

var baseFields = map[string]string{
	"app_id":         "396c2760-2fa5-4948-b9d5-9839a7440836",
	"trace_id":       "3ce379e4-441f-4eae-9730-fc0220183001",
	"correlation_id": "54752956-bf4f-48f1-b808-6ecae2522f59",
	"timestamp":      "2022-06-18 03:16:39Z",
}

func jsonEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\r", `\r`, "\n", `\n`)
	return r.Replace(s)
}

// TestForms checks the encodings users paste the same error in.
func TestForms(t *testing.T) {
	jsonDesc := strings.ReplaceAll(strings.ReplaceAll(base, "\r", `\r`), "\n", `\n`)
	tests := []struct {
		name string
		text string
	}{
		{"json", jsonDesc},
		{"escaped once", `"` + jsonEscape(jsonDesc) + `"`},
		{"escaped three times", `"` + jsonEscape(jsonEscape(jsonEscape(jsonDesc))) + `"`},
		{"html escaped", strings.NewReplacer(`"`, "&quot;", "'", "&#39;").Replace(jsonDesc)},
		{"url encoded", "https://app.example/cb?error=invalid_client&error_description=" +
			strings.NewReplacer(" ", "+", ":", "%3a", "'", "%27", "\r", "%0d", "\n", "%0a").Replace(
				"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '396c2760-2fa5-4948-b9d5-9839a7440836'.\r\nTrace ID: 3ce379e4-441f-4eae-9730-fc0220183001\r\nCorrelation ID: 54752956-bf4f-48f1-b808-6ecae2522f59\r\nTimestamp: 2022-06-18 03:16:39Z")},
		{"markdown quoted", "> " + strings.ReplaceAll(strings.ReplaceAll(base, `","`, "\",\n> \""), "\r\n", "\n> ")},
		{"single-space tail", strings.ReplaceAll(jsonDesc, `\r\n`, " ")},
		{"wrapped", strings.Replace(base, "3ce379e4-441f-4eae-9730-fc02\r\n", "", 1) + "\nTrace ID: 3ce379e4-441f-4eae-\n9730-fc0220183001"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Parse(tt.text)
			if !slices.Equal(r.Codes, []int{7000215}) || r.Primary != 7000215 {
				t.Fatalf("codes %v primary %d", r.Codes, r.Primary)
			}
			if r.OAuthError != "invalid_client" {
				t.Errorf("oauth_error %q", r.OAuthError)
			}
			for k, v := range baseFields {
				if got, _ := r.Field(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

func TestTwoCodeMessage(t *testing.T) {
	tests := []struct {
		text    string
		codes   []int
		primary int
	}{
		{"AADSTS70002: Error validating credentials. AADSTS50126: Invalid username or password", []int{70002, 50126}, 50126},
		{"AADSTS70002: The request body must contain the following parameter: 'client_secret or client_assertion'", []int{70002}, 70002},
		{`{"error_codes":[70002,50012]}`, []int{70002, 50012}, 50012},
		{`{"error_description":"AADSTS70002: Error validating cre`, []int{70002}, 70002},
		{`{"error_codes":[70002,50012],"error_description":"AADSTS70002: Error validating cre`, []int{70002, 50012}, 50012},
		{"ADSTS50059: No tenant-identifying information found", []int{50059}, 50059},
		{"first AADSTS50058: A silent sign-in request was sent. Later AADSTS50076: Due to a configuration change made by your administrator, you must use MFA.", []int{50058, 50076}, 50058},
		{"https://login.microsoftonline.com/error?code=50105", []int{50105}, 50105},
		{"no code here, only error 404", nil, 0},
	}
	for _, tt := range tests {
		r := Parse(tt.text)
		if !slices.Equal(r.Codes, tt.codes) || r.Primary != tt.primary {
			t.Errorf("Parse(%q): codes %v primary %d, want %v %d", tt.text, r.Codes, r.Primary, tt.codes, tt.primary)
		}
	}
}

func TestMessagesAndNormalised(t *testing.T) {
	r := Parse("AADSTS700024: Client assertion is not within its valid time range. Current time: 2024-10-02T22:05:03.6755165Z, assertion valid from 1970-01-01T00:00:00.0000000Z, expiry time of assertion 2024-10-02T21:30:53.0000000Z. Trace ID: 7A84B74B-1889-494F-B408-66E8B36C7400 Correlation ID: d75bd923-d9ca-4d18-b80e-b13851840fa9 Timestamp: 2025-08-29 05:47:32Z")
	if m := r.Messages[700024]; !strings.HasPrefix(m, "Client assertion is not within") || strings.Contains(m, "Trace ID") {
		t.Errorf("message %q", m)
	}
	want := map[string]string{
		"current_time":     "2024-10-02T22:05:03.6755165Z",
		"assertion_expiry": "2024-10-02T21:30:53Z",
		"timestamp":        "2025-08-29T05:47:32Z",
		"trace_id":         "7a84b74b-1889-494f-b408-66e8b36c7400",
	}
	for k, v := range want {
		if got, _ := r.Normal(k); got != v {
			t.Errorf("normalised %s = %q, want %q", k, got, v)
		}
	}
	if got, _ := r.Field("trace_id"); got != "7A84B74B-1889-494F-B408-66E8B36C7400" {
		t.Errorf("field trace_id %q must keep the text's case", got)
	}
}

// TestLargeInput: 1 MiB of arbitrary text parses without panic.
func TestLargeInput(t *testing.T) {
	text := adversarial(1<<19) + randomBytes(1<<19)
	r := Parse(text)
	if len(r.Text) == 0 {
		t.Fatal("no text kept")
	}
}

func randomBytes(n int) string {
	rng := rand.New(rand.NewSource(1))
	b := make([]byte, n)
	alphabet := []byte("aAdsStT0123456789 :'\"\\\n\r%+&;->[]{}_-=./trace idapplicationtenant")
	for i := range b {
		b[i] = alphabet[rng.Intn(len(alphabet))]
	}
	return string(b)
}

// adversarial repeats anchors and half-finished values.
func adversarial(n int) string {
	parts := []string{"AADSTS", "AADSTS5", "Trace ID: ", "tenant '", "application '", `\\\\\\`, "%3a", "&quot;",
		"[Reason - ", "the scope ", "Found key 'Start=", "> ", "+", "error_codes:[", "login.microsoftonline.com/",
		"[https://a.example/", "](https://a.example/(", "x[1](http://h/)", "**", "│ ", "{EmailHidden} ", "added to the ",
		"configured for the application: ", "in the directory ", `error_uri":"https://`, "login.microsoftonline.com/***/"}
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		b.WriteString(parts[i%len(parts)])
	}
	return b.String()[:n]
}

func FuzzParse(f *testing.F) {
	for _, s := range loadSamples(f) {
		f.Add(s.Raw)
	}
	f.Add(base)
	f.Fuzz(func(t *testing.T, s string) {
		r := Parse(s)
		if (r.Primary == 0) != (len(r.Codes) == 0) {
			t.Fatalf("primary %d with codes %v", r.Primary, r.Codes)
		}
		if r.Primary != 0 && !slices.Contains(r.Codes, r.Primary) {
			t.Fatalf("primary %d not among codes %v", r.Primary, r.Codes)
		}
		seen := map[string]bool{}
		for _, fl := range r.Fields {
			if seen[fl.Name] || fl.Value == "" || fl.Value != strings.TrimSpace(fl.Value) {
				t.Fatalf("bad field %+v in %+v", fl, r.Fields)
			}
			seen[fl.Name] = true
		}
	})
}

func benchParse(b *testing.B, n int) {
	text := adversarial(n/2) + randomBytes(n/2)
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Parse(text)
	}
}

func BenchmarkParse64KiB(b *testing.B) { benchParse(b, 64<<10) }
func BenchmarkParse1MiB(b *testing.B)  { benchParse(b, 1<<20) }
func BenchmarkParseSample(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Parse(base)
	}
}

// TestShapes checks hand-made texts in the shapes of real outputs
// (testdata/shapes.json: an Azure Identity Go error, an az CLI error, a JS
// AuthenticationError, an MSAL Python dict, markdown, browser messages).
// They are written by us, not collected; real samples are in *.jsonl.
func TestShapes(t *testing.T) {
	b, err := os.ReadFile("testdata/shapes.json")
	if err != nil {
		t.Fatal(err)
	}
	var shapes []struct {
		Text   string            `json:"text"`
		Form   string            `json:"form"`
		OAuth  string            `json:"oauth"`
		Fields map[string]string `json:"fields"`
	}
	if err := json.Unmarshal(b, &shapes); err != nil {
		t.Fatal(err)
	}
	for i, s := range shapes {
		r := Parse(s.Text)
		if len(r.Codes) != 1 || r.Form != s.Form || r.OAuthError != s.OAuth {
			t.Errorf("shape %d: codes %v form %s oauth %q, want one code, %s, %q", i, r.Codes, r.Form, r.OAuthError, s.Form, s.OAuth)
		}
		for k, v := range s.Fields {
			if got, _ := r.Field(k); got != v {
				t.Errorf("shape %d: %s = %q, want %q", i, k, got, v)
			}
		}
	}
}

func TestCurlyQuotes(t *testing.T) {
	r := Parse("AADSTS50011: The redirect URI “https://app.contoso.com/cb” specified in the request does not match the redirect URIs configured for the application ‘0b107b34-72a8-4081-a8ca-f3ecb0937531’.")
	if v, _ := r.Field("redirect_uri"); v != "https://app.contoso.com/cb" {
		t.Errorf("redirect_uri %q", v)
	}
	if v, _ := r.Field("app_id"); v != "0b107b34-72a8-4081-a8ca-f3ecb0937531" {
		t.Errorf("app_id %q", v)
	}
}

// TestCurlyQuotedDetails: an editor or a chat tool turned the straight
// quotes of a message into curly ones.
func TestCurlyQuotedDetails(t *testing.T) {
	r := Parse("AADSTS50105: Your administrator has configured the application Payroll Portal (‘6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d’) to block users unless they are specifically granted access. " +
		"AADSTS700027: Client assertion contains an invalid signature. [Reason - The key was not found., Thumbprint of key used by client: ‘0123456789ABCDEF0123456789ABCDEF01234567’, Found key ‘Start=01/02/2022 03:04:05, End=01/02/2024 03:04:05’]")
	want := map[string]string{
		"app_id":     "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d",
		"thumbprint": "0123456789ABCDEF0123456789ABCDEF01234567",
		"key_start":  "01/02/2022 03:04:05",
		"key_end":    "01/02/2024 03:04:05",
	}
	for k, v := range want {
		if got, _ := r.Field(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
}

func TestLocalisedLabels(t *testing.T) {
	tests := []string{
		"Anforderungs-ID: c73e65c8-c89c-4e9c-9891-86f61fd68100\nKorrelations-ID: 563004c8-c25f-4192-8c01-1fa7047ee614\nZeitstempel: 2022-04-29T22:14:59Z\nNachricht: AADSTS50020: Das Benutzerkonto ist nicht vorhanden.",
		"ID de la demande : c73e65c8-c89c-4e9c-9891-86f61fd68100\nID de corrélation : 563004c8-c25f-4192-8c01-1fa7047ee614\nHorodatage : 2022-04-29T22:14:59Z\nMessage : AADSTS50020: Le compte d'utilisateur n'existe pas.",
		"Id. de solicitud: c73e65c8-c89c-4e9c-9891-86f61fd68100\nId. de correlación: 563004c8-c25f-4192-8c01-1fa7047ee614\nMarca de tiempo: 2022-04-29T22:14:59Z\nMensaje: AADSTS50020: La cuenta de usuario no existe.",
	}
	for _, text := range tests {
		r := Parse(text)
		got := map[string]string{}
		for _, f := range r.Fields {
			got[f.Name] = f.Value
		}
		if r.Primary != 50020 || got["request_id"] != "c73e65c8-c89c-4e9c-9891-86f61fd68100" ||
			got["correlation_id"] != "563004c8-c25f-4192-8c01-1fa7047ee614" || got["timestamp"] != "2022-04-29T22:14:59Z" {
			t.Errorf("Parse(%q): primary %d fields %v", text, r.Primary, got)
		}
	}
}

func TestWrappedQuotedValues(t *testing.T) {
	r := Parse("AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '396c2760-2fa5-4948-b9d5-\n9839a7440836'.\nTrace ID: 3ce379e4-441f-4eae-9730-fc0220183001")
	if v, _ := r.Field("app_id"); v != "396c2760-2fa5-4948-b9d5-9839a7440836" {
		t.Errorf("app_id %q", v)
	}
	r = Parse("AADSTS50020: User account 'bob@fabrikam.com' from identity provider 'live.com' does not exist in tenant 'Contoso\n  Services' and cannot access the application.")
	if v, _ := r.Field("tenant"); v != "Contoso Services" {
		t.Errorf("tenant %q", v)
	}
}

func TestUTF16(t *testing.T) {
	text := "Connect-AzAccount : AADSTS7000215: Invalid client secret provided. Trace ID: 173f6480-4849-446c-8da6-b9d660957a00"
	for _, bom := range []bool{true, false} {
		var b []byte
		if bom {
			b = append(b, 0xff, 0xfe)
		}
		for _, u := range utf16.Encode([]rune(text)) {
			b = append(b, byte(u), byte(u>>8))
		}
		r := Parse(string(b))
		if r.Primary != 7000215 {
			t.Errorf("bom %v: primary %d", bom, r.Primary)
		}
		if v, _ := r.Field("trace_id"); v != "173f6480-4849-446c-8da6-b9d660957a00" {
			t.Errorf("bom %v: trace_id %q", bom, v)
		}
	}
}

func TestCamelCaseKeysAndHeaders(t *testing.T) {
	r := Parse(`{"errorCode":"invalid_grant","errorMessage":"AADSTS50173: The provided grant has expired due to it being revoked.","subError":"bad_token","correlationId":"84f7ed71-97dc-44bb-a496-015cf0b6ccc6"}
x-ms-request-id: 95ef993f-b3dd-4b7c-a102-7e169585da00`)
	want := map[string]string{"correlation_id": "84f7ed71-97dc-44bb-a496-015cf0b6ccc6", "trace_id": "95ef993f-b3dd-4b7c-a102-7e169585da00", "suberror": "bad_token"}
	for k, v := range want {
		if got, _ := r.Field(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if r.OAuthError != "invalid_grant" {
		t.Errorf("oauth_error %q", r.OAuthError)
	}
}

func TestBacktickedValues(t *testing.T) {
	r := Parse("AADSTS50049: Unknown or invalid instance.\nmsalConfig: { auth: { clientId: `4d6c2f8e-1b2a-4c3d-9e8f-7a6b5c4d3e2f`, authority: `https://contoso.b2clogin.com/contoso.onmicrosoft.com/B2C_1_signin`, } }")
	if v, _ := r.Field("authority"); v != "https://contoso.b2clogin.com/contoso.onmicrosoft.com/B2C_1_signin" {
		t.Errorf("authority %q", v)
	}
	if v, _ := r.Field("app_id"); v != "4d6c2f8e-1b2a-4c3d-9e8f-7a6b5c4d3e2f" {
		t.Errorf("app_id %q", v)
	}
}

// TestPasteDebris: texts written by us in the shapes that pages, terminals
// and tools leave around values (one case per rule; the real pastes these
// rules came from are in testdata/real-errors-heldout.jsonl, these are
// different texts of the same forms).
func TestPasteDebris(t *testing.T) {
	tests := []struct {
		name   string
		text   string
		codes  []int
		fields map[string]string
		absent []string // fields that must not be found
	}{
		{
			name:  "terraform gutter between label and ID",
			text:  "╷\n│ Error: building account: could not acquire access token to parse claims: clientCredentialsToken: received HTTP status 401 with response:\n│ {\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000222: The provided client secret keys for app\n│ '0a1b2c3d-1111-4222-8333-944455556666' are expired. Trace ID:\n│ 5d6e7f80-aaaa-4bbb-8ccc-dddd00001111 Correlation ID:\n│   b1c2d3e4-5555-4666-a777-888899990000 Timestamp: 2025-01-02 03:04:05Z\"}\n│ \n╵",
			codes: []int{7000222},
			fields: map[string]string{
				"trace_id": "5d6e7f80-aaaa-4bbb-8ccc-dddd00001111", "correlation_id": "b1c2d3e4-5555-4666-a777-888899990000",
				"timestamp": "2025-01-02 03:04:05Z",
			},
		},
		{
			name:   "auto-linked error_uri in compact JSON",
			text:   `Response body: {"error":"invalid_grant","error_description":"AADSTS50173: The provided grant has expired due to it being revoked.","error_codes":[50173],"error_uri":"[https://login.microsoftonline.us/error?code=50173"}](https://login.microsoftonline.us/error?code=50173%22})`,
			codes:  []int{50173},
			fields: map[string]string{"error_uri": "https://login.microsoftonline.us/error?code=50173"},
		},
		{
			name:   "auto-linked endpoint that swallowed a parenthesis",
			text:   "FromCertificate(): http call([https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token)(POST](https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token(POST))) error: reply status code was 400: AADSTS700027: Client assertion failed signature validation.",
			codes:  []int{700027},
			fields: map[string]string{"tenant": "contoso.onmicrosoft.com"},
		},
		{
			name:   "link inside a code",
			text:   "##[error]Login failed with Error: AADSTS70[02](https://example.invalid/run/1#step:4:2)1: The provided value for the input parameter 'redirect_uri' is not valid.",
			codes:  []int{70021},
			fields: map[string]string{},
		},
		{
			name:   "a link that is not mangling keeps its target",
			text:   "AADSTS50011: see [the error page](https://login.microsoftonline.com/error?code=50011) for details.",
			codes:  []int{50011},
			fields: map[string]string{},
		},
		{
			name:   "Entra's scrubbed user and the older directory wording",
			text:   "AADSTS50034: The user account {EUII Hidden} does not exist. To sign into this application the account must be added to the fabrikam.onmicrosoft.com directory.",
			codes:  []int{50034},
			fields: map[string]string{"user": "{EUII Hidden}", "tenant": "fabrikam.onmicrosoft.com"},
		},
		{
			name:   "template slots are not values",
			text:   "AADSTS500011: The resource principal named {resourceId} was not found in the tenant named {tenantName}. You might have sent your authentication request to the wrong tenant.",
			codes:  []int{500011},
			absent: []string{"resource", "tenant"},
		},
		{
			name:   "angle-bracket placeholder after a label",
			text:   "AADSTS50011: The redirect URI specified in the request does not match the redirect URIs configured for the application: <your-app-guid>. Make sure the redirect URI sent in the request matches one added to your application.",
			codes:  []int{50011},
			fields: map[string]string{"app_id": "<your-app-guid>"},
		},
		{
			name:   "a bare word after a label stays on its line",
			text:   "Message: AADSTS50011: The reply URL specified in the request does not match the reply URLs configured for the application:\n\nThanks in advance, we tried everything.\nThe user account\nwas created yesterday; it is in the directory\nfor sure.",
			codes:  []int{50011},
			absent: []string{"app_id", "user", "tenant"},
		},
		{
			name:   "in the directory, the name ends the sentence",
			text:   "AADSTS700016: Application with identifier '5e6f7a8b-0000-4111-8222-9a9b9c9d9e9f' was not found in the directory fabrikam.onmicrosoft.com. This can happen if the application has not been installed by the administrator of the tenant.",
			codes:  []int{700016},
			fields: map[string]string{"tenant": "fabrikam.onmicrosoft.com", "app_id": "5e6f7a8b-0000-4111-8222-9a9b9c9d9e9f"},
		},
		{
			name:   "a tenant display name of several words",
			text:   "ERROR: AADSTS500011: The resource principal named https://storage.azure.com was not found in the tenant named Northwind Traders Ltd. This can happen if the application has not been installed by the administrator of the tenant.",
			codes:  []int{500011},
			fields: map[string]string{"tenant": "Northwind Traders Ltd", "resource": "https://storage.azure.com"},
		},
		{
			name:   "client application missing its service principal",
			text:   `{"error":"invalid_client","error_description":"AADSTS7000229: The client application 0f1e2d3c-4b5a-4697-8887-a6b5c4d3e2f1 is missing service principal in the tenant 11223344-5566-4778-899a-abbccddeeff0. See instructions here: https://go.microsoft.com/fwlink/?linkid=2225119"}`,
			codes:  []int{7000229},
			fields: map[string]string{"app_id": "0f1e2d3c-4b5a-4697-8887-a6b5c4d3e2f1", "tenant": "11223344-5566-4778-899a-abbccddeeff0"},
		},
		{
			name:   "in the directory followed by prose is not a tenant",
			text:   "AADSTS50034: The user account does not exist in the directory for this application.",
			codes:  []int{50034},
			absent: []string{"tenant"},
		},
		{
			name:   "unquoted app id after keys for app Id",
			text:   "AADSTS700027: Client assertion failed signature validation. [Reason - The key was not found.] Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id 7e8f9a0b-1c2d-4e3f-8a9b-0c1d2e3f4a5b. Review the documentation.",
			codes:  []int{700027},
			fields: map[string]string{"app_id": "7e8f9a0b-1c2d-4e3f-8a9b-0c1d2e3f4a5b", "reason": "The key was not found."},
		},
		{
			name:   "bold values",
			text:   "AADSTS7000215: Invalid client secret provided. Trace ID: **2c3d4e5f-0000-4111-8222-333344445555** Correlation ID: 6a7b8c9d-aaaa-4bbb-8ccc-ddddeeeeffff, for a secret added to app '****'",
			codes:  []int{7000215},
			fields: map[string]string{"trace_id": "2c3d4e5f-0000-4111-8222-333344445555", "app_id": "****"},
		},
		{
			name:   "error_uri hard-wrapped inside its quotes",
			text:   "{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS70043: The refresh token has expired or is invalid due to sign-in frequency checks by conditional access.\",\"error_codes\":[70043],\"error_uri\":\"https://login.microsoftonl\nine.com/error?code=70043\"}",
			codes:  []int{70043},
			fields: map[string]string{"error_uri": "https://login.microsoftonline.com/error?code=70043"},
		},
		{
			name: "a console wrapped at a fixed width, inside a label, the IDs and a code",
			text: hardWrap("Get-AzAccessToken : AADSTS7000222: The provided client secret keys for app '0a0b0c0d-1e1f-4a2b-8c3d-4e5f6a7b8c9d' are expired. "+
				"Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or use certificate credentials. "+
				"Trace ID: 1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b Correlation ID: 9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d Timestamp: 2025-02-03 04:05:06Z. "+
				"After a retry with the new certificate pfx v2: AADSTS50027: JWT token is invalid or malformed.", 72),
			codes: []int{7000222, 50027},
			fields: map[string]string{
				"app_id": "0a0b0c0d-1e1f-4a2b-8c3d-4e5f6a7b8c9d", "trace_id": "1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b",
				"correlation_id": "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d", "timestamp": "2025-02-03 04:05:06Z",
			},
		},
		{
			name:   "CI log stamps on every line",
			text:   "2025-03-01T10:00:01.1234567Z ##[error]ClientAssertionCredential authentication failed.\n2025-03-01T10:00:01.1234567Z {\"error\":\"invalid_client\",\"error_codes\":[\n2025-03-01T10:00:01.1234567Z 700213],\"error_description\":\"AADSTS700213: No matching federated identity record found for presented assertion subject 'repo:acme/web:ref:refs/heads/main'. Timestamp:\n2025-03-01T10:00:01.1234567Z 2025-03-01 10:00:00Z\"}",
			codes:  []int{700213},
			fields: map[string]string{"timestamp": "2025-03-01 10:00:00Z", "subject": "repo:acme/web:ref:refs/heads/main"},
		},
		{
			name:  "an editor's wrap inside labels and values",
			text:  "AADSTS50173: The provided grant has expired due to it being revoked. The grant was\nissued on '2022-02-03T04:05:06.0000000Z' and the TokensValidFrom date (before which\ntokens are not valid) for this user is '2022-03-04T05:06:07.0000000Z'. Found key\n'Start=01/02/2022\n03:04:05, End=01/02/2024 03:04:05'. The user account bob@contoso.com does not exist in the\ncontoso.com directory. Reply URLs configured for the application:\n6b5a4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d",
			codes: []int{50173},
			fields: map[string]string{
				"grant_issued": "2022-02-03T04:05:06.0000000Z", "tokens_valid_from": "2022-03-04T05:06:07.0000000Z",
				"key_start": "01/02/2022 03:04:05", "tenant": "contoso.com", "app_id": "6b5a4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d",
			},
		},
		{
			name:   "an editor's wrap does not carry a bare word over",
			text:   "AADSTS50011: The reply URL does not match the reply URLs configured for the application:\nplease help. It is in the directory\nfor our team.",
			codes:  []int{50011},
			absent: []string{"app_id", "tenant"},
		},
		{
			name:   "in the directory, then the single-space tail",
			text:   "AADSTS700016: Application with identifier 'a1b2c3d4-0000-4111-8222-933344445555' was not found in the directory 0f0e0d0c-1b1a-4999-8888-777766665555 Trace ID: 5d6e7f80-aaaa-4bbb-8ccc-dddd00001111",
			codes:  []int{700016},
			fields: map[string]string{"tenant": "0f0e0d0c-1b1a-4999-8888-777766665555"},
		},
		{
			name:   "a truncated error_uri is not a value",
			text:   "Response body: {\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client secret provided.\",\"error_codes\":[7000215],\"error_uri\":\"https://login.microsoftonline\n\n(output truncated)",
			codes:  []int{7000215},
			absent: []string{"error_uri"},
		},
		{
			name:   "a nativeclient redirect URI names no tenant; a masked authority does",
			text:   "Redirect to https://login.microsoftonline.com/organizations/oauth2/nativeclient?code=x failed; POST https://login.microsoftonline.com/***/oauth2/token returned AADSTS7000222: The provided client secret keys for app '***' are expired.",
			codes:  []int{7000222},
			fields: map[string]string{"tenant": "***", "app_id": "***"},
		},
		{
			name:   "a redirect URI alone names no tenant",
			text:   "AADSTS50011: The redirect URI 'https://login.microsoftonline.com/common/oauth2/nativeclient' specified in the request does not match.",
			codes:  []int{50011},
			fields: map[string]string{"redirect_uri": "https://login.microsoftonline.com/common/oauth2/nativeclient"},
			absent: []string{"tenant"},
		},
		{
			name:   "an authority alone names its tenant",
			text:   "Authority: https://login.microsoftonline.com/fabrikam.com\nAADSTS90002: Tenant not found.",
			codes:  []int{90002},
			fields: map[string]string{"tenant": "fabrikam.com"},
		},
		{
			name:   "a time run into a word is garbled",
			text:   "AADSTS700082: The refresh token has expired due to inactivity. The token was issued on 2023-04-05T06:07:08.12345xx copy. The token was issued on 2023-04-05T06:07:08.1234567Z and was inactive for 90.00:00:00.",
			codes:  []int{700082},
			fields: map[string]string{"token_issued": "2023-04-05T06:07:08.1234567Z"},
		},
		{
			name:   "a time whose 'Z' runs into the next sentence",
			text:   "Error: ERROR: AADSTS700027: Client assertion failed signature validation. Trace ID: 0f1e2d3c-4b5a-4968-8777-a6b5c4d3e2f1 Correlation ID: 11223344-5566-4778-899a-abbccddeeff0 Timestamp: 2023-11-02 08:15:30ZPlease run 'az login' to setup account.",
			codes:  []int{700027},
			fields: map[string]string{"timestamp": "2023-11-02 08:15:30Z", "trace_id": "0f1e2d3c-4b5a-4968-8777-a6b5c4d3e2f1"},
		},
		{
			name:   "a phrase wrapped after a trailing blank",
			text:   "2023-06-01 10:00:00,123 WARN [oidc] token endpoint said: {\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to \t\napp '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'. Trace ID: \n2b3c4d5e-6f70-4819-a2b3-c4d5e6f70819\"}",
			codes:  []int{7000215},
			fields: map[string]string{"app_id": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", "trace_id": "2b3c4d5e-6f70-4819-a2b3-c4d5e6f70819"},
		},
		{
			name:   "an issuer quoted as the identity provider is not the tenant",
			text:   "AADSTS50177: User account '{EmailHidden}' from identity provider 'https://sts.windows.net/7e6d5c4b-3a29-4817-9605-f4e3d2c1b0a9/' does not exist in tenant.",
			codes:  []int{50177},
			fields: map[string]string{"user": "{EmailHidden}"},
			absent: []string{"tenant"},
		},
		{
			name:   "an elided value stands for nothing",
			text:   "AADSTS500011: The resource principal named '...' was not found in the tenant named '…'. This can happen if the application has not been installed by the administrator of the tenant. Consented to by application '.....'.",
			codes:  []int{500011},
			fields: map[string]string{},
			absent: []string{"resource", "tenant", "app_id"},
		},
		{
			name:   "a short text whose terminal wrap splits the code's prefix",
			text:   "after upgrading the package the sign-in page now fails with this message: AA\nDSTS90014: The required field 'request' is missing from the credential.",
			codes:  []int{90014},
			fields: map[string]string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Parse(tt.text)
			if !slices.Equal(r.Codes, tt.codes) {
				t.Errorf("codes %v, want %v", r.Codes, tt.codes)
			}
			for k, v := range tt.fields {
				if got, _ := r.Field(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
			for _, k := range tt.absent {
				if got, ok := r.Field(k); ok {
					t.Errorf("%s = %q, want none", k, got)
				}
			}
		})
	}
}

// TestFormDetection: texts written by us in the shapes of each tool's
// output, for the forms whose markers are not plain library names.
func TestFormDetection(t *testing.T) {
	tests := []struct {
		name, text, form string
	}{
		{"dotnet Azure.Identity log", "warn: Azure.Identity[2]\n      ManagedIdentityCredential.GetToken was unable to retrieve an access token. Exception: Azure.Identity.AuthenticationFailedException: AADSTS700016: Application with identifier 'x' was not found.", FormIdentityDotNet},
		{"python azure.identity", "azure.identity._exceptions.CredentialUnavailableError: AADSTS700016: Application with identifier 'x' was not found.", FormIdentityPython},
		{"powershell error record", "Exception      : Microsoft.Identity.Client.MsalServiceException\nMessage        : AADSTS50076: Due to a configuration change made by your administrator, you must use multi-factor authentication.\nHistoryId      : 7", FormAzPowerShell},
		{"powershell Write-Error", "Write-Error: Token acquisition failed. AADSTS700024: Client assertion is not within its valid time range.", FormAzPowerShell},
		{"ADAL exception named like Azure.Identity's", "Microsoft.Open.Azure.AD.CommonLibrary.AadAuthenticationFailedException: AADSTS50126: Error validating credentials due to invalid username or password. ---> Microsoft.IdentityModel.Clients.ActiveDirectory.AdalServiceException: AADSTS50126", FormADAL},
		{"msal-node JSON log", `{"errorCode":"invalid_grant","errorMessage":"50126 - [2022-01-02 03:04:05Z]: AADSTS50126: Error validating credentials.","subError":"","name":"ServerError","correlationId":"x"}`, FormMSALJS},
		{"azidentity older status line", "ClientCertificateCredential authentication failed\n    POST https://login.microsoftonline.com/t/oauth2/v2.0/token\n    ------------------------------\n    RESPONSE 400 Bad Request\n    ------------------------------\n    {\"error\":\"invalid_client\",\"error_description\":\"AADSTS700027: Client assertion failed signature validation.\"}", FormIdentityGo},
		{"azidentity in a terraform box", "│ \tClientSecretCredential authentication failed.\n│ \t\tPOST https://login.microsoftonline.com/t/oauth2/v2.0/token\n│ --------------------\n│ \t\tRESPONSE 401: 401 Unauthorized\n│ --------------------\n│ \t\t{ \"error\": \"invalid_client\", \"error_description\": \"AADSTS7000215: Invalid client secret provided.\" }", FormIdentityGo},
		{"az CLI traceback", "The command failed with an unexpected error. Here is the traceback:\nGet Token request returned http error: 400 and server response: {\"error\":\"invalid_grant\",\"error_description\":\"AADSTS50076: you must use multi-factor authentication.\"}", FormAzCLI},
		{"python u'' dict", "{u'error': u'invalid_client', u'error_description': u'AADSTS7000215: Invalid client secret provided.', u'error_codes': [7000215]}", FormMSALPython},
		{"python dict", "{'error': 'interaction_required', 'error_description': 'AADSTS50079: Due to a configuration change made by your administrator, you must enroll in multi-factor authentication.'}", FormMSALPython},
		{"key=value map is not a URL", "{error=invalid_grant, error_description=AADSTS70008: The provided authorization code or refresh token has expired., error_codes=[70008]}", FormOther},
		{"query string is a URL", "https://app.example/auth?error=access_denied&error_description=AADSTS65004%3a+User+declined+to+consent", FormURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := Parse(tt.text); r.Form != tt.form {
				t.Errorf("form %s, want %s", r.Form, tt.form)
			}
		})
	}
}

func TestStripBoldAndUnlink(t *testing.T) {
	bold := []struct{ in, want string }{
		{"ID: **abc-123** end", "ID: abc-123 end"},
		{`"id":"**abc**"`, `"id":"abc"`},
		{"app '***' and '****'", "app '***' and '****'"},
		{"https://x/7*****/c****/", "https://x/7*****/c****/"},
		{"a**b** c", "a**b** c"},
		{"** not bold **", "** not bold **"},
		{"**two\nlines**", "**two\nlines**"},
	}
	for _, tt := range bold {
		if got := stripBold(tt.in); got != tt.want {
			t.Errorf("stripBold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	links := []struct{ in, want string }{
		{`"u":"[https://h.example/e?c=1"}](https://h.example/e?c=1%22})`, `"u":"https://h.example/e?c=1"}`},
		{"code 12[34](https://ci.example/l#34)56 here", "code 123456 here"},
		{"see [docs](https://h.example/d) now", "see [docs](https://h.example/d) now"},
		{"[https://a.example/x](https://b.example/x)", "[https://a.example/x](https://b.example/x)"},
		{"[x](not a url)", "[x](not a url)"},
		{"[[[](](", "[[[](]("},
	}
	for _, tt := range links {
		if got := unlinkMarkdown(tt.in); got != tt.want {
			t.Errorf("unlinkMarkdown(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// hardWrap wraps s at w characters the way a terminal does: anywhere,
// also inside a word.
func hardWrap(s string, w int) string {
	var b strings.Builder
	col := 0
	for _, r := range s {
		if r == '\n' {
			col = 0
		} else if col == w {
			b.WriteByte('\n')
			col = 0
		}
		b.WriteRune(r)
		if r != '\n' {
			col++
		}
	}
	return b.String()
}

// wordWrap wraps s before w characters at spaces, the way an editor does.
func wordWrap(s string, w int) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		for len(line) > w {
			k := strings.LastIndex(line[:w], " ")
			if k <= 0 {
				break
			}
			out = append(out, line[:k])
			line = line[k+1:]
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// reSingleQuoted is a value between straight single quotes on one line.
var reSingleQuoted = regexp.MustCompile(`'([^'\n]*)'`)

// TestRealSamplesRepasted pastes every labelled real sample again the ways
// users pass text on (quoted in markdown, inside a Terraform box, indented
// as code, with terminal colours, with no-break or zero-width spaces, with
// smart quotes, escaped
// as a JSON string once or twice, HTML-escaped, with CRLF
// line ends, with a CI log's time stamps, wrapped at word boundaries by an
// editor, hard-wrapped by a terminal) and scores the result like
// TestRealSamples.
// A terminal's wrap loses what no rule can tell from the text (a value
// wrapped on a two-line text), hence its lower bar.
func TestRealSamplesRepasted(t *testing.T) {
	samples := loadSamples(t)
	tests := []struct {
		name string
		min  float64 // fields score, percent
		f    func(string) string
	}{
		{"markdown quote", 99, func(s string) string { return "> " + strings.ReplaceAll(s, "\n", "\n> ") }},
		{"terraform box", 99, func(s string) string { return "╷\n│ Error: " + strings.ReplaceAll(s, "\n", "\n│ ") + "\n╵" }},
		{"code indent", 99, func(s string) string { return "    " + strings.ReplaceAll(s, "\n", "\n    ") }},
		{"crlf", 99, func(s string) string {
			return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
		}},
		{"html escaped", 99, func(s string) string {
			return strings.NewReplacer("&", "&amp;", `"`, "&quot;", "'", "&#39;", "<", "&lt;", ">", "&gt;").Replace(s)
		}},
		{"json string", 99, func(s string) string { return `"` + jsonEscape(s) + `"` }},
		{"no-break spaces", 99, func(s string) string { return strings.ReplaceAll(s, " ", "\u00a0") }},
		{"zero-width spaces", 99, func(s string) string { return strings.ReplaceAll(s, "-", "-\u200b") }},
		{"smart quotes", 99, func(s string) string { return reSingleQuoted.ReplaceAllString(s, "‘$1’") }},
		{"terminal colours", 99, func(s string) string {
			return "\x1b[31m│\x1b[0m \x1b[1m" + strings.NewReplacer(": ", ": \x1b[1m", "\n", "\x1b[0m\n\x1b[31m│\x1b[0m ").Replace(s)
		}},
		{"terminal colours, escape lost", 99, func(s string) string {
			return "[31m│[0m [1m" + strings.NewReplacer(": ", ": [1m", "\n", "[0m\n[31m│[0m ").Replace(s)
		}},
		{"json string twice", 99, func(s string) string { return `"` + jsonEscape(jsonEscape(s)) + `"` }},
		{"CI log stamps", 99, func(s string) string {
			const stamp = "2024-05-14T13:49:32.9659077Z "
			return stamp + strings.ReplaceAll(s, "\n", "\n"+stamp)
		}},
		{"editor wrap at 80", 98, func(s string) string { return wordWrap(s, 80) }},
		{"editor wrap at 60", 98, func(s string) string { return wordWrap(s, 60) }},
		{"terminal wrap at 80", 95, func(s string) string { return hardWrap(s, 80) }},
		{"terminal wrap at 117", 95, func(s string) string { return hardWrap(s, 117) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, got := 0, 0
			for _, s := range samples {
				r := Parse(tt.f(s.Raw))
				if !slices.Equal(r.Codes, s.Codes) && !(len(r.Codes) == 0 && len(s.Codes) == 0) {
					t.Errorf("%s: codes %v, want %v", s.ID, r.Codes, s.Codes)
				}
				for name, v := range s.Fields {
					want++
					if g, _ := r.Field(name); g == v {
						got++
					} else {
						t.Logf("%s: %s = %q, want %q", s.ID, name, g, v)
					}
				}
			}
			score := 100 * float64(got) / float64(max(want, 1))
			t.Logf("fields %d/%d (%.1f%%)", got, want, score)
			if score < tt.min {
				t.Errorf("fields %.1f%%, want at least %.0f%%", score, tt.min)
			}
		})
	}
}

// Rules compile on demand; this proves every one of them compiles, so a
// broken pattern fails here rather than on a user's text.
func TestEveryRuleCompiles(t *testing.T) {
	rs := loadRules()
	for i := range rs {
		r := &rs[i]
		if r.regexp() == nil {
			t.Fatalf("rule %d (%s) did not compile", i, r.field)
		}
	}
}
