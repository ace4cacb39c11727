package signins_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aadsts/aadsts/signins"
)

// wantSignIn is what a sign-in of a public sample says, read from the
// sample by hand. An empty id picks the file's only sign-in.
type wantSignIn struct {
	id, app, key string
	kind         signins.Kind
	code         int
	outcome      signins.Outcome
	time         string
}

// wantAudit is what an audit event of a public sample says.
type wantAudit struct {
	id, activity, result, target, app string
	time                              string
}

// TestPublicSamples imports every file of testdata/public (their sources
// are in testdata/public/SOURCES.md) and checks the counts and, for a few
// records per file, the fields read from the sample by hand.
func TestPublicSamples(t *testing.T) {
	const nineFortyOne = "2007-01-09T09:41:00Z"
	tests := []struct {
		file            string
		signins, audits int
		signIn          []wantSignIn
		audit           []wantAudit
		// auditTimes counts the audit events at each time.
		auditTimes map[string]int
	}{
		{file: "elastic_signinlogs_test-alternative-time-and-duration-as-string.log", signins: 1, signIn: []wantSignIn{
			// The envelope's time is "11/14/2025 1:48:53 AM"; createdDateTime wins.
			{id: "66666666-6666-6666-6666-666666666666", app: "22222222-2222-2222-2222-222222222222", kind: signins.KindServicePrincipal,
				outcome: signins.OutcomeSuccess, time: "2025-11-14T01:46:16.4282975Z"},
		}},
		{file: "elastic_signinlogs_test-created-datetime-timestamp.log", signins: 2, signIn: []wantSignIn{
			{id: "aaaa1111-0000-0000-0000-000000000002", app: "aaaa1111-0000-0000-0000-000000000004", kind: signins.KindInteractive,
				outcome: signins.OutcomeSuccess, time: "2026-07-10T20:01:51.9248761Z"},
			// No createdDateTime: the envelope's time.
			{id: "bbbb2222-0000-0000-0000-000000000002", app: "bbbb2222-0000-0000-0000-000000000004", kind: signins.KindInteractive,
				outcome: signins.OutcomeSuccess, time: "2026-07-10T20:03:31.273742Z"},
		}},
		// A flat record, keys capitalised, no id, no properties, no status:
		// its Category names the log.
		{file: "elastic_signinlogs_test-invalid-time.log", signins: 1, signIn: []wantSignIn{
			{kind: signins.KindServicePrincipal, outcome: signins.OutcomeSuccess, time: "2025-07-01T10:45:17.5824212Z"},
		}},
		{file: "elastic_signinlogs_test-service-principal.log", signins: 1, signIn: []wantSignIn{
			{id: "22222222-5ec0-4795-bf9f-9017bcc32f00", app: "22222222-ddf2-4ab6-b25f-f23d5d614338", kind: signins.KindServicePrincipal,
				code: 7000222, outcome: signins.OutcomeFailure, time: "2021-07-30T11:29:26.6733668Z"},
		}},
		// Two pretty-printed records one after the other, keys lowercased by
		// Panther, "2023-07-26 22:58:30.983201900" times without a zone.
		{file: "panther_azure_failed_signins.Log.json", signins: 2, signIn: []wantSignIn{
			{id: "36658c78-02d9-4d8f-84ee-5ca4a3fdefef", app: "cfceb902-8fab-4f8c-88ba-374d3c975c3a", kind: signins.KindServicePrincipal,
				code: 7000215, outcome: signins.OutcomeFailure, time: "2023-07-26T22:58:30.9832019Z"},
			{id: "55270060-d8fe-435e-9bf2-219a1d456b60", app: "3b245ca3-dcce-4a54-a070-49ad8de02963", kind: signins.KindServicePrincipal,
				key: "2afc776a-4e79-4588-b2ad-f62c94d6bea8", outcome: signins.OutcomeSuccess, time: "2023-07-27T13:59:53.6916803Z"},
		}},
		{file: "graph-docs-ru_beta_signin-list_example3_nonInteractiveUser.response.json", signins: 1, signIn: []wantSignIn{
			{id: "ef1e1fcc-80bd-489b-82c5-16ad80770e00", app: "de8bc8b5-d9f9-48b1-a8ad-b748da725064", kind: signins.KindNonInteractive,
				outcome: signins.OutcomeSuccess, time: "2022-03-18T18:13:37Z"},
		}},
		// UAL sign-in events (AzureActiveDirectoryStsLogon) are sign-ins;
		// CreationTime has no zone and is UTC.
		{file: "elastic-o365_UAL_AzureActiveDirectoryStsLogon_UserLoggedIn.first2.json", signins: 2, signIn: []wantSignIn{
			{id: "ca0efc24-1b89-4962-8fef-a3ac5437302f", app: "4345a7b9-9a63-4910-a426-35363201d503", kind: signins.KindInteractive,
				outcome: signins.OutcomeSuccess, time: "2020-02-10T15:13:13Z"},
			{id: "b53de36d-ea71-4ebf-9b71-feb431bd4eba", app: "89bee1f7-5e6e-4d8a-9f3d-ecd601259da7", kind: signins.KindInteractive,
				outcome: signins.OutcomeSuccess, time: "2020-02-12T10:53:24Z"},
		}},
		{file: "xsoar_o365-auditlog-search_UserLoginFailed.json", signins: 1, signIn: []wantSignIn{
			{id: "8133912e-b888-4849-b8fb-070710b35400", app: "00000002-0000-0ff1-ce00-000000000000", kind: signins.KindInteractive,
				code: 50126, outcome: signins.OutcomeFailure, time: "2021-01-01T23:59:56Z"},
		}},
		{file: "elastic_auditlogs_test-audit-logs-duration-as-string.log", audits: 1, audit: []wantAudit{
			{id: "Directory_87979703-118b-498f-99c2-ccd1a56f1a5a_ULAYA_144938566", activity: "Update service principal", result: "success",
				target: "ServicePrincipal", app: "a70a7931-c387-4dce-9f35-fbf95bdcc91e", time: "2022-01-22T18:15:02.3875429Z"},
		}},
		{file: "elastic_auditlogs_test-auditlogs-result-reason.log", audits: 1, audit: []wantAudit{
			{id: "Directory_3d6f1a4c-92be-4b17-8e5d-7c0a4f2b9e13_KLQ7R_188214903", activity: "Add member to role", result: "failure",
				target: "ServicePrincipal", app: "a70a7931-c387-4dce-9f35-fbf95bdcc91e", time: "2022-01-22T18:22:41.5091873Z"},
		}},
		// Eleven records of time and category only: seven spellings of
		// 09:41:00 UTC (one of them 11:41 at +02:00, one 10:41 AM at
		// +01:00) and four with a fraction.
		{file: "elastic_auditlogs_test-time-formats-corner-cases.log", audits: 11, auditTimes: map[string]int{
			nineFortyOne: 7, "2007-01-09T09:41:00.22Z": 1, "2007-01-09T09:41:00.6816663Z": 1,
			"2007-01-09T09:41:00.535404056Z": 1, "2007-01-09T09:41:00.992099Z": 1,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "public", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			s := memStore(t)
			res, err := signins.Import(ctx, s, bytes.NewReader(data), tt.file, signins.ImportOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if res.BadCount != 0 || res.SignIns != tt.signins || res.Audits != tt.audits {
				t.Fatalf("read %d sign-ins, %d audits, bad %v; want %d, %d, none", res.SignIns, res.Audits, res.Bad, tt.signins, tt.audits)
			}
			if res.SignInsAdded != tt.signins || res.AuditsAdded != tt.audits {
				t.Fatalf("stored %d sign-ins, %d audits; want every record", res.SignInsAdded, res.AuditsAdded)
			}
			again, err := signins.Import(ctx, s, bytes.NewReader(data), tt.file, signins.ImportOptions{})
			if err != nil || again.SignInsAdded+again.AuditsAdded != 0 {
				t.Fatalf("second import added %d, %v", again.SignInsAdded+again.AuditsAdded, err)
			}
			recs, err := s.SignIns(ctx, signins.Filter{}, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.signIn {
				checkSignIn(t, recs, w)
			}
			audits, err := s.Audits(ctx, signins.AuditFilter{})
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.audit {
				checkAudit(t, audits, w)
			}
			if tt.auditTimes != nil {
				got := map[string]int{}
				for _, a := range audits {
					got[a.Time.UTC().Format(time.RFC3339Nano)]++
				}
				for at, n := range tt.auditTimes {
					if got[at] != n {
						t.Errorf("%d audit events at %s, want %d (all: %v)", got[at], at, n, got)
					}
				}
			}
		})
	}
}

func checkSignIn(t *testing.T, recs []signins.Record, w wantSignIn) {
	t.Helper()
	var r *signins.Record
	for i := range recs {
		if recs[i].ID == w.id || w.id == "" && len(recs) == 1 {
			r = &recs[i]
		}
	}
	if r == nil {
		t.Errorf("no sign-in %q", w.id)
		return
	}
	want, _ := time.Parse(time.RFC3339Nano, w.time)
	if r.Kind != w.kind || r.AppID != w.app || r.Code != w.code || r.Outcome != w.outcome ||
		!r.Time.Equal(want) || r.CredentialKeyID != w.key {
		t.Errorf("sign-in %s: kind %s app %q code %d outcome %s time %s key %q; want %s %q %d %s %s %q",
			r.ID, r.Kind, r.AppID, r.Code, r.Outcome, r.Time.Format(time.RFC3339Nano), r.CredentialKeyID,
			w.kind, w.app, w.code, w.outcome, w.time, w.key)
	}
}

func checkAudit(t *testing.T, audits []signins.AuditEvent, w wantAudit) {
	t.Helper()
	for _, a := range audits {
		if a.ID != w.id {
			continue
		}
		want, _ := time.Parse(time.RFC3339Nano, w.time)
		if a.Activity != w.activity || a.Result != w.result || a.TargetType != w.target || a.AppID != w.app || !a.Time.Equal(want) {
			t.Errorf("audit %s: %q %q target %q app %q time %s; want %q %q %q %q %s", a.ID, a.Activity, a.Result,
				a.TargetType, a.AppID, a.Time.Format(time.RFC3339Nano), w.activity, w.result, w.target, w.app, w.time)
		}
		return
	}
	t.Errorf("no audit event %q", w.id)
}

// TestRecordsWithoutProperties covers the diagnostic-settings records that
// carry no properties, and flat records that name their log in Category.
func TestRecordsWithoutProperties(t *testing.T) {
	tests := []struct {
		name, in        string
		signins, audits int
		bad             string // the reason of the one bad record, if any
		kind            signins.Kind
	}{
		{"audit with properties null", `{"time":"2024-05-01T10:00:00Z","category":"AuditLogs","properties":null}` + "\n" +
			`{"time":"2024-05-01T10:00:01Z","category":"AuditLogs","properties":null}`, 0, 2, "", ""},
		{"audit with an unreadable time", `{"time":"someday","category":"AuditLogs"}`, 0, 0, "audit time", ""},
		{"audit with no time at all", `{"category":"AuditLogs","properties":{"id":"a1","activityDisplayName":"Add application"}}`, 0, 0, "audit time", ""},
		{"flat managed identity record", `{"Category":"ManagedIdentitySignInLogs","CreatedDateTime":"2025-07-01T10:45:17Z","CorrelationId":"c1"}`,
			1, 0, "", signins.KindManagedIdentity},
		{"flat record, category not a log", `{"Category":"Other","CreatedDateTime":"2025-07-01T10:45:17Z","CorrelationId":"c1","isInteractive":false}`,
			1, 0, "", signins.KindNonInteractive},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := memStore(t)
			res, err := signins.Import(context.Background(), s, strings.NewReader(tt.in), "x.json", signins.ImportOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if res.SignInsAdded != tt.signins || res.AuditsAdded != tt.audits {
				t.Fatalf("stored %d sign-ins, %d audits; want %d, %d (bad %v)", res.SignInsAdded, res.AuditsAdded, tt.signins, tt.audits, res.Bad)
			}
			switch {
			case tt.bad == "" && res.BadCount != 0:
				t.Fatalf("bad %v", res.Bad)
			case tt.bad != "" && (res.BadCount != 1 || !strings.Contains(res.Bad[0].Reason, tt.bad)):
				t.Fatalf("bad %v, want one with %q", res.Bad, tt.bad)
			}
			if tt.kind != "" {
				recs, _ := s.SignIns(context.Background(), signins.Filter{}, 0)
				if recs[0].Kind != tt.kind {
					t.Errorf("kind %s, want %s", recs[0].Kind, tt.kind)
				}
			}
		})
	}
}
