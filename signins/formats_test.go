package signins_test

import (
	"context"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/aadsts/aadsts/signins"
)

// TestExportShapes covers the export shapes no shared sample has: Log
// Analytics JSON rows of each sign-in table, the query API's tables, many
// Graph pages, portal JSON downloads and {"records":[…]} blobs.
func TestExportShapes(t *testing.T) {
	tests := []struct {
		name, file, in string
		want           int
		kind           signins.Kind
		code           int
		check          func(t *testing.T, r signins.Record)
	}{
		{"log analytics SP rows", "export.json", `[
{"TenantId":"ws","TimeGenerated":"2026-03-05T08:12:44.123Z","Type":"AADServicePrincipalSignInLogs","Category":"ServicePrincipalSignInLogs","Id":"sp1","AppId":"app1","ServicePrincipalId":"spid","ServicePrincipalName":"daemon","ResourceIdentity":"00000003-0000-0000-c000-000000000000","ResourceDisplayName":"Microsoft Graph","ResultType":"7000222","ResultDescription":"expired","ServicePrincipalCredentialKeyId":"k1","ServicePrincipalCredentialThumbprint":"","IPAddress":"203.0.113.10","LocationDetails":{"city":"Amsterdam","state":"NH","countryOrRegion":"NL"},"CorrelationId":"c1","ResourceId":"/tenants/x/providers/Microsoft.aadiam"},
{"TimeGenerated":"2026-03-05T08:13:44Z","Type":"AADServicePrincipalSignInLogs","Id":"sp2","AppId":"app1","ResultType":"0","LocationDetails":"{\"city\":\"Paris\"}"}]`,
			2, signins.KindServicePrincipal, 7000222, func(t *testing.T, r signins.Record) {
				if r.ResourceID != "00000003-0000-0000-c000-000000000000" || r.CredentialKeyID != "k1" || r.Location != "Amsterdam, NH, NL" || r.SPName != "daemon" {
					t.Errorf("record %+v", r)
				}
			}},
		{"log analytics MI rows", "mi.json", `[{"TimeGenerated":"2026-03-05T08:12:44Z","Type":"AADManagedIdentitySignInLogs","Id":"mi1","AppId":"a","ServicePrincipalId":"s","ResultType":"0"}]`,
			1, signins.KindManagedIdentity, 0, nil},
		{"log analytics non-interactive rows", "ni.json", `[{"TimeGenerated":"2026-03-05T08:12:44Z","Type":"AADNonInteractiveUserSignInLogs","Id":"n1","AppId":"a","UserId":"u","ResultType":"50076","Status":"{\"errorCode\":50076}","IsInteractive":"false"}]`,
			1, signins.KindNonInteractive, 50076, func(t *testing.T, r signins.Record) {
				if r.Outcome != signins.OutcomeInterrupt {
					t.Errorf("50076 outcome %s", r.Outcome)
				}
			}},
		{"query API tables", "q.json", `{"tables":[{"name":"PrimaryResult","columns":[{"name":"TimeGenerated","type":"datetime"},{"name":"Type","type":"string"},{"name":"Id","type":"string"},{"name":"AppId","type":"string"},{"name":"ResultType","type":"string"}],
"rows":[["2026-03-05T08:12:44Z","AADServicePrincipalSignInLogs","q1","app","7000215"],["2026-03-05T08:12:45Z","AADServicePrincipalSignInLogs","q2","app","0"]]}]}`,
			2, signins.KindServicePrincipal, 7000215, nil},
		{"graph pages concatenated", "pages.json", `{"@odata.context":"https://graph.microsoft.com/beta/$metadata#auditLogs/signIns","value":[{"id":"g1","createdDateTime":"2026-03-05T08:12:44Z","appId":"a","servicePrincipalId":"s","signInEventTypes":["servicePrincipal"],"status":{"errorCode":700027}}],"@odata.nextLink":"x"}
{"value":[{"id":"g2","createdDateTime":"2026-03-05T08:13:44Z","appId":"a","servicePrincipalId":"s","signInEventTypes":["servicePrincipal"],"status":{"errorCode":0}}]}`,
			2, signins.KindServicePrincipal, 700027, nil},
		{"graph pages in an array", "pages.json", `[{"value":[{"id":"g1","createdDateTime":"2026-03-05T08:12:44Z","appId":"a","status":{"errorCode":50126},"isInteractive":true}]},{"value":[{"id":"g2","createdDateTime":"2026-03-05T08:12:44Z","appId":"a","status":{"errorCode":0},"isInteractive":true}]}]`,
			2, signins.KindInteractive, 50126, nil},
		{"portal ApplicationSignIns JSON", "ApplicationSignIns_2026-03-05_2026-03-06.json", `[{"id":"p1","createdDateTime":"2026-03-05T08:12:44Z","appId":"a","servicePrincipalId":"s","servicePrincipalCredentialKeyId":"k","status":{"errorCode":7000222,"failureReason":"expired"}}]`,
			1, signins.KindServicePrincipal, 7000222, func(t *testing.T, r signins.Record) {
				if r.Format != signins.FormatPortal || r.CredentialKeyID != "k" {
					t.Errorf("record %+v", r)
				}
			}},
		{"portal MSISignIns JSON", "MSISignIns_2026.json", `[{"id":"m1","createdDateTime":"2026-03-05T08:12:44Z","appId":"a","status":{"errorCode":0}}]`,
			1, signins.KindManagedIdentity, 0, nil},
		{"portal NonInteractiveSignIns CSV", "NonInteractiveSignIns_2026.csv", "Date (UTC),Request ID,User ID,Username,Application,Application ID ,Status,Sign-in error code,Failure reason\n2026-03-05T08:12:44Z,r1,u,a@b.c,Portal,app,Interrupted,50074,Strong auth\n",
			1, signins.KindNonInteractive, 50074, nil},
		{"portal CSV saved with semicolons", "InteractiveSignIns_x.csv", "Date (UTC);Request ID;User ID;Application ID ;Status;Sign-in error code\r\n2026-03-05T08:12:44Z;r1;u;app;Failure;50126\r\n",
			1, signins.KindInteractive, 50126, nil},
		{"event hub records blob", "PT1H.json", `{"records":[{"time":"2026-03-05T08:12:44Z","category":"ManagedIdentitySignInLogs","properties":{"id":"e1","appId":"a","status":{"errorCode":0}}},{"time":"2026-03-05T08:12:45Z","category":"ManagedIdentitySignInLogs","properties":"{\"id\":\"e2\",\"appId\":\"a\",\"status\":{\"errorCode\":0}}"}]}`,
			2, signins.KindManagedIdentity, 0, nil},
		{"event hub record with resultType only", "x.log", `{"time":"2026-03-05T08:12:44Z","category":"SignInLogs","resultType":50126,"resultDescription":"bad password","properties":{"id":"r1","appId":"a"}}`,
			1, signins.KindInteractive, 50126, func(t *testing.T, r signins.Record) {
				if r.FailureReason != "bad password" {
					t.Errorf("failure reason %q", r.FailureReason)
				}
			}},
	}
	ps := `[{"Id":"ps1","CreatedDateTime":"\/Date(1695131117287)\/","AppId":"a","ServicePrincipalId":"s","SignInEventTypes":["servicePrincipal"],"Status":{"ErrorCode":7000222,"FailureReason":"expired"}}]`
	tests = append(tests, struct {
		name, file, in string
		want           int
		kind           signins.Kind
		code           int
		check          func(t *testing.T, r signins.Record)
	}{"Graph PowerShell ConvertTo-Json, UTF-16", "signins.json", utf16le(ps), 1, signins.KindServicePrincipal, 7000222, nil})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := memStore(t)
			res, err := signins.Import(context.Background(), s, strings.NewReader(tt.in), tt.file, signins.ImportOptions{})
			if err != nil || res.BadCount != 0 || res.SignInsAdded != tt.want {
				t.Fatalf("import %+v, %v; want %d", res, err, tt.want)
			}
			recs, _ := s.SignIns(context.Background(), signins.Filter{}, 0)
			if recs[0].Kind != tt.kind || recs[0].Code != tt.code {
				t.Fatalf("first record kind %s code %d, want %s %d", recs[0].Kind, recs[0].Code, tt.kind, tt.code)
			}
			if tt.check != nil {
				tt.check(t, recs[0])
			}
		})
	}
}

func utf16le(s string) string {
	b := []byte{0xff, 0xfe}
	for _, r := range utf16.Encode([]rune(s)) {
		b = append(b, byte(r), byte(r>>8))
	}
	return string(b)
}
