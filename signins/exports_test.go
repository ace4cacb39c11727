package signins_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aadsts/aadsts/signins"
)

// TestUserExportShapes imports one file per export shape of testdata/exports
// (see its README.md for the real outputs each shape is taken from) and
// the UAL sample of testdata/public, and checks counts, the fields of
// chosen records and the reasons of the bad ones.
func TestUserExportShapes(t *testing.T) {
	const app = "c44b4083-3bb0-49c1-b47d-974e53cbdf3c"
	tests := []struct {
		file            string
		signins, audits int
		bad             []string // a part of each bad record's reason
		signIn          []wantSignIn
		reason          map[string]string // failure reason by record id
		user            map[string]string // UPN and object id, "upn|oid", by record id
	}{
		{file: "exports/ual_search-unifiedauditlog_export-csv.csv", signins: 3, audits: 1, signIn: []wantSignIn{
			{id: "6c1f0b7e-2a4d-4f7b-9d0e-11a2b3c4d500", app: "1b730954-1685-4b74-9bfd-dac224a7b894", kind: signins.KindInteractive,
				code: 50126, outcome: signins.OutcomeFailure, time: "2023-06-14T13:14:02Z"},
			{id: "e1f2a3b4-3333-4444-8555-b66677788800", app: "1b730954-1685-4b74-9bfd-dac224a7b894", kind: signins.KindInteractive,
				outcome: signins.OutcomeSuccess, time: "2023-06-14T13:09:23Z"},
			// ResultStatus "Success" on a UserLoginFailed: ErrorNumber decides.
			{id: "4af0b443-0000-4dc6-9bd1-751a55441000", app: "00000003-0000-0ff1-ce00-000000000000", kind: signins.KindInteractive,
				code: 500121, outcome: signins.OutcomeFailure, time: "2022-10-14T13:48:03Z"},
		},
			reason: map[string]string{"6c1f0b7e-2a4d-4f7b-9d0e-11a2b3c4d500": "InvalidUserNameOrPassword", "e1f2a3b4-3333-4444-8555-b66677788800": ""},
			user:   map[string]string{"6c1f0b7e-2a4d-4f7b-9d0e-11a2b3c4d500": "adele@contoso.example|5d6e7f80-1111-4222-8333-944455566677"}},
		// No ErrorNumber: the catalog names InvalidUserNameOrPassword 50126.
		{file: "public/xsoar_o365-auditlog-search_UserLoginFailed.json", signins: 1, signIn: []wantSignIn{
			{id: "8133912e-b888-4849-b8fb-070710b35400", app: "00000002-0000-0ff1-ce00-000000000000", kind: signins.KindInteractive,
				code: 50126, outcome: signins.OutcomeFailure, time: "2021-01-01T23:59:56Z"},
		}, user: map[string]string{"8133912e-b888-4849-b8fb-070710b35400": "user@example.com|3fa9f28b-eb0e-463a-ba7b-8089fe9991e2"}},
		{file: "public/elastic-o365_UAL_AzureActiveDirectoryStsLogon_UserLoggedIn.first2.json", signins: 2, signIn: []wantSignIn{
			{id: "ca0efc24-1b89-4962-8fef-a3ac5437302f", app: "4345a7b9-9a63-4910-a426-35363201d503", kind: signins.KindInteractive,
				outcome: signins.OutcomeSuccess, time: "2020-02-10T15:13:13Z"},
		}},
		{file: "exports/mg_get-mgauditlogsignin_export-csv_typenames.csv", bad: []string{"ConvertTo-Json -Depth 10"}},
		{file: "exports/mg_get-mgauditlogsignin_select-object.csv", signins: 2, signIn: []wantSignIn{
			{id: "", app: "d3590ed6-52b3-4102-aeff-aad2292ab01c", kind: signins.KindInteractive, code: 50126,
				outcome: signins.OutcomeFailure, time: "2025-03-12T07:22:01Z"},
		}},
		{file: "exports/azureadpreview_get-azureadauditsigninlogs_export-csv.csv", signins: 2, signIn: []wantSignIn{
			{id: "7e6d5c4b-8888-4999-8aaa-0bbb00011100", app: "1fec8e78-bce4-4aaf-ab1b-5451cc387264", kind: signins.KindInteractive,
				code: 50126, outcome: signins.OutcomeFailure, time: "2020-07-28T13:50:39.0039859Z"},
			{id: "7e6d5c4b-8888-4999-8aaa-0bbb00011101", app: "1fec8e78-bce4-4aaf-ab1b-5451cc387264", kind: signins.KindInteractive,
				outcome: signins.OutcomeSuccess, time: "2020-07-28T13:51:02.1234567Z"},
		}, reason: map[string]string{"7e6d5c4b-8888-4999-8aaa-0bbb00011100": "Error validating credentials due to invalid username or password."}},
		{file: "exports/mg_get-mgauditlogsignin_convertto-json-depth10.json", signins: 1, signIn: []wantSignIn{
			{id: "2b3c4d5e-cccc-4ddd-8eee-4fff00011100", app: app, kind: signins.KindInteractive, code: 50074,
				outcome: signins.OutcomeInterrupt, time: "2025-03-12T07:22:01Z"},
		}},
		{file: "exports/mg_get-mgauditlogsignin_convertto-json-ps51-default-depth.json", bad: []string{"MicrosoftGraphSignInStatus"}},
		{file: "exports/az-monitor-log-analytics-query_SigninLogs.json", signins: 2, signIn: []wantSignIn{
			{id: "2b3c4d5e-cccc-4ddd-8eee-4fff00011102", app: app, kind: signins.KindInteractive, code: 50126,
				outcome: signins.OutcomeFailure, time: "2025-03-12T07:22:01.53Z"},
			{id: "2b3c4d5e-cccc-4ddd-8eee-4fff00011103", app: "5e6f7081-dddd-4eee-8fff-500000011122", kind: signins.KindServicePrincipal,
				code: 7000222, outcome: signins.OutcomeFailure, time: "2025-03-12T07:25:00Z", key: "6f708192-eeee-4fff-8000-600000011122"},
		}},
		{file: "exports/loganalytics-rest-api_query_AADServicePrincipalSignInLogs.json", signins: 2, signIn: []wantSignIn{
			{id: "2b3c4d5e-cccc-4ddd-8eee-4fff00011104", app: "5e6f7081-dddd-4eee-8fff-500000011122", kind: signins.KindServicePrincipal,
				code: 7000222, outcome: signins.OutcomeFailure, time: "2025-03-12T07:25:00Z", key: "6f708192-eeee-4fff-8000-600000011122"},
		}},
		// The metadata tables (extended properties, status, contents) are not records.
		{file: "exports/adx-v1_query_SigninLogs.json", signins: 1, signIn: []wantSignIn{
			{id: "2b3c4d5e-cccc-4ddd-8eee-4fff00011106", app: app, kind: signins.KindInteractive, code: 50076,
				outcome: signins.OutcomeInterrupt, time: "2025-03-12T07:22:01.53Z"},
		}},
		{file: "exports/adx-v2_query_AADNonInteractiveUserSignInLogs.json", signins: 2, signIn: []wantSignIn{
			{id: "2b3c4d5e-cccc-4ddd-8eee-4fff00011107", app: "1fec8e78-bce4-4aaf-ab1b-5451cc387264", kind: signins.KindNonInteractive,
				code: 50140, outcome: signins.OutcomeInterrupt, time: "2025-03-12T07:40:00Z"},
		}},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			s := memStore(t)
			ctx := context.Background()
			res, err := signins.Import(ctx, s, strings.NewReader(string(data)), filepath.Base(tt.file), signins.ImportOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if res.SignInsAdded != tt.signins || res.AuditsAdded != tt.audits || res.BadCount != len(tt.bad) {
				t.Fatalf("stored %d sign-ins, %d audits, %d bad; want %d, %d, %d (bad %v)",
					res.SignInsAdded, res.AuditsAdded, res.BadCount, tt.signins, tt.audits, len(tt.bad), res.Bad)
			}
			for i, want := range tt.bad {
				if !strings.Contains(res.Bad[i].Reason, want) {
					t.Errorf("bad record %d: %q, want it to say %q", i, res.Bad[i].Reason, want)
				}
			}
			recs, err := s.SignIns(ctx, signins.Filter{}, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.signIn {
				if w.id == "" {
					for _, r := range recs {
						if r.Code == w.code {
							w.id = r.ID
						}
					}
				}
				checkSignIn(t, recs, w)
			}
			for _, r := range recs {
				if want, ok := tt.reason[r.ID]; ok && r.FailureReason != want {
					t.Errorf("%s: failure reason %q, want %q", r.ID, r.FailureReason, want)
				}
				if want, ok := tt.user[r.ID]; ok && r.UserPrincipal+"|"+r.UserID != want {
					t.Errorf("%s: user %q|%q, want %q", r.ID, r.UserPrincipal, r.UserID, want)
				}
				if strings.HasPrefix(r.Location, "Microsoft.") || strings.HasPrefix(r.Location, "class ") {
					t.Errorf("%s: location %q is a PowerShell type, not a place", r.ID, r.Location)
				}
			}
		})
	}
}
