package signins_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aadsts/aadsts/signins"
	"github.com/aadsts/aadsts/signins/sqlstore"
)

const shared = "../../shared/data"

func memStore(t *testing.T) signins.Store {
	t.Helper()
	s, err := sqlstore.OpenMemory(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestSharedSamples imports every shared sample and checks the record
// counts of data/SOURCES.md. Every record read is stored: the samples
// reuse ids across different records, and a record's key covers its
// original bytes, not only its id.
func TestSharedSamples(t *testing.T) {
	tests := []struct {
		file                   string
		signins, audits, added int
		kind                   signins.Kind
		codes                  map[int]int
	}{
		{"signins/elastic_test-adfs-signin.log", 1, 0, 1, signins.KindADFS, nil},
		{"signins/elastic_test-managed-identity-sample.first10.log", 10, 0, 10, signins.KindManagedIdentity, nil},
		{"signins/elastic_test-non-interactive-user-sample.first6.log", 6, 0, 6, signins.KindNonInteractive, nil},
		{"signins/elastic_test-service-principal-signinlogs-sample.log", 7, 0, 7, signins.KindServicePrincipal, nil},
		// ServicePrincipalSignInLogs and MicrosoftServicePrincipalSignInLogs
		// carry the same id: two different records, both stored.
		{"signins/elastic_test-signinlogs-raw.log", 5, 0, 5, "", map[int]int{50140: 5}},
		{"signins/elastic_test-signinlogs-sample.log", 2, 0, 2, signins.KindInteractive, nil},
		{"signins/elastic_test-time-formats-corner-cases.log", 11, 0, 11, signins.KindInteractive, nil},
		{"signins/graph-docs_v1.0_signin-list_example1.response.json", 1, 0, 1, signins.KindInteractive, nil},
		{"signins/graph-docs_beta_signin-list_example1.response.json", 1, 0, 1, signins.KindInteractive, nil},
		{"signins/entra-docs_azure-monitor-signin-schema_example.json", 1, 0, 1, signins.KindInteractive, map[int]int{50140: 1}},
		{"signins/entra-docs_log-analytics_ConditionalAccessPolicies_example.json", 4, 0, 4, signins.KindInteractive, nil},
		{"signins/loganalytics-export_SigninLogs_2rows.csv", 2, 0, 2, signins.KindInteractive, map[int]int{0: 1, 50140: 1}},
		{"audits/elastic-o365_UAL_AzureActiveDirectory_Update-application_RequiredResourceAccess.json", 0, 1, 1, "", nil},
		{"audits/elastic_test-audit-logs-edgecases.log", 0, 2, 2, "", nil},
		{"audits/elastic_test-audit-logs-sample.log", 0, 3, 3, "", nil},
		{"audits/elastic_test-auditlogs-raw.log", 0, 3, 3, "", nil},
		{"audits/graph-docs_v1.0_directoryaudit-get.response.json", 0, 1, 1, "", nil},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(shared, tt.file))
			if err != nil {
				t.Skipf("shared sample missing: %v", err)
			}
			for _, gz := range []bool{false, true} {
				in, name := data, tt.file
				if gz {
					var b bytes.Buffer
					w := gzip.NewWriter(&b)
					w.Write(data)
					w.Close()
					in, name = b.Bytes(), tt.file+".gz"
				}
				s := memStore(t)
				res, err := signins.Import(context.Background(), s, bytes.NewReader(in), name, signins.ImportOptions{})
				if err != nil {
					t.Fatal(err)
				}
				if res.BadCount != 0 || res.SignIns != tt.signins || res.Audits != tt.audits {
					t.Fatalf("gzip=%v: read %d sign-ins, %d audits, bad %v; want %d, %d", gz, res.SignIns, res.Audits, res.Bad, tt.signins, tt.audits)
				}
				if got := res.SignInsAdded + res.AuditsAdded; got != tt.added {
					t.Fatalf("added %d, want %d", got, tt.added)
				}
				again, err := signins.Import(context.Background(), s, bytes.NewReader(in), name, signins.ImportOptions{})
				if err != nil {
					t.Fatal(err)
				}
				if again.SignInsAdded+again.AuditsAdded != 0 || again.Duplicates != tt.added {
					t.Fatalf("second import added %d, duplicates %d; want 0 and %d", again.SignInsAdded+again.AuditsAdded, again.Duplicates, tt.added)
				}
				audits, _ := s.Audits(context.Background(), signins.AuditFilter{})
				if len(audits) != tt.audits {
					t.Fatalf("%d audits stored, want %d", len(audits), tt.audits)
				}
				recs, _ := s.SignIns(context.Background(), signins.Filter{}, 0)
				if len(recs) != tt.signins {
					t.Fatalf("%d sign-ins stored, want %d", len(recs), tt.signins)
				}
				codes := map[int]int{}
				for _, r := range recs {
					codes[r.Code]++
					if tt.kind != "" && r.Kind != tt.kind {
						t.Errorf("record %s kind %s, want %s", r.ID, r.Kind, tt.kind)
					}
					if r.Time.IsZero() || len(r.Raw) == 0 || r.ID == "" {
						t.Errorf("record %s lacks time, raw or id", r.ID)
					}
				}
				for c, n := range tt.codes {
					if codes[c] != n {
						t.Errorf("code %d: %d records, want %d", c, codes[c], n)
					}
				}
			}
		})
	}
}

func TestCorruptRecordsReported(t *testing.T) {
	in := strings.Join([]string{
		`{"time":"2026-03-05T08:12:44Z","category":"ServicePrincipalSignInLogs","properties":{"id":"a","appId":"x","status":{"errorCode":7000222}}}`,
		`{"time":"2026-03-05T08:12:44Z","category":"ServicePrincipalSignInLogs","properties":{"id":"b",`,
		``,
		`{"time":"not a time","category":"SignInLogs","properties":{"id":"c"}}`,
		`{"hello":"world"}`,
		`{"time":"2026-03-05T08:12:45Z","category":"ServicePrincipalSignInLogs","properties":{"id":"d","status":{"errorCode":0}}}`,
	}, "\n")
	res, err := signins.Import(context.Background(), memStore(t), strings.NewReader(in), "mixed.log", signins.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.SignInsAdded != 2 || res.BadCount != 3 {
		t.Fatalf("added %d, bad %d (%v); want 2 and 3", res.SignInsAdded, res.BadCount, res.Bad)
	}
	wantLines := []int{2, 4, 5}
	for i, b := range res.Bad {
		if b.Line != wantLines[i] || b.File != "mixed.log" || b.Reason == "" {
			t.Errorf("bad record %d = %+v, want line %d", i, b, wantLines[i])
		}
	}
}

func TestTrailingCommaAndDuplicateKeys(t *testing.T) {
	in := `{"value":[{"id":"1","createdDateTime":"2021-06-30T16:34:32Z","homeTenantId":"first","homeTenantId":"second",
	"status":{"errorCode":50126,},"ipAddress":"198.51.100.1",},]}`
	s := memStore(t)
	res, err := signins.Import(context.Background(), s, strings.NewReader(in), "graph.json", signins.ImportOptions{})
	if err != nil || res.SignInsAdded != 1 || res.BadCount != 0 {
		t.Fatalf("import = %+v, %v", res, err)
	}
	r, _ := s.SignIn(context.Background(), "1")
	if r[0].Code != 50126 || r[0].Outcome != signins.OutcomeFailure {
		t.Fatalf("record %+v", r[0])
	}
}

func TestPortalCSV(t *testing.T) {
	in := "\ufeffDate (UTC),Request ID,Correlation ID,Service principal ID,Service principal name,Credential key ID,Credential thumbprint,Application,Application ID ,App owner tenant ID,Resource,Resource ID ,Resource tenant ID,Resource owner tenant ID,Home tenant ID,Home tenant name,IP address,Location,Status,Sign-in error code,Failure reason,Conditional Access\r\n" +
		"2026-03-05T08:12:44Z,req-1,corr-1,sp-1,daemon,key-1,,daemon,app-1,,Microsoft Graph,00000003-0000-0000-c000-000000000000,ten,,,,203.0.113.10,\"Amsterdam, Noord-Holland, NL\",Failure,7000222,The provided client secret keys are expired.,Not Applied\r\n" +
		"3/5/2026 8:13:44 AM,req-2,corr-2,sp-1,daemon,key-1,,daemon,app-1,,Microsoft Graph,00000003-0000-0000-c000-000000000000,ten,,,,203.0.113.10,,Success,0,,Not Applied\r\n"
	s := memStore(t)
	res, err := signins.Import(context.Background(), s, strings.NewReader(in), "ApplicationSignIns_2026-03-05.csv", signins.ImportOptions{})
	if err != nil || res.SignInsAdded != 2 || res.BadCount != 0 {
		t.Fatalf("import = %+v, %v", res, err)
	}
	r, _ := s.SignIn(context.Background(), "req-1")
	got := r[0]
	if got.Kind != signins.KindServicePrincipal || got.Code != 7000222 || got.AppID != "app-1" || got.CredentialKeyID != "key-1" ||
		got.ResourceID != "00000003-0000-0000-c000-000000000000" || got.Location != "Amsterdam, Noord-Holland, NL" || got.Format != signins.FormatPortalCSV {
		t.Fatalf("record %+v", got)
	}
}

func TestOneCorruptFileAmongTen(t *testing.T) {
	s := memStore(t)
	imported := 0
	for i := range 10 {
		in := `{"time":"2026-03-05T08:12:44Z","category":"SignInLogs","properties":{"id":"id` + string(rune('a'+i)) + `","status":{"errorCode":0}}}`
		if i == 4 {
			in = "\x1f\x8b garbage"
		}
		res, err := signins.Import(context.Background(), s, strings.NewReader(in), "f.log", signins.ImportOptions{})
		if err == nil {
			imported += res.SignInsAdded
		}
	}
	if imported != 9 {
		t.Fatalf("imported %d, want 9", imported)
	}
}
