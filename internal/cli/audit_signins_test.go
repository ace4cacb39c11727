package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aadsts/aadsts/signins"
	"github.com/aadsts/aadsts/signins/sqlstore"
)

// TestAuditUnusedFromSignInStore feeds the unused-credential rule from a
// real sign-in store: of the two active secrets of the example's web app
// and daemon, only the one with a recent service-principal sign-in is not
// flagged.
func TestAuditUnusedFromSignInStore(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "signins.db")
	s, err := sqlstore.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)
	rec := &signins.Record{ID: "si-1", Time: now.Add(-48 * time.Hour), Kind: signins.KindServicePrincipal,
		AppID: "aaaaaaaa-0000-4000-8000-000000000001", CredentialKeyID: "12121212-3434-4565-8787-909090909090",
		Outcome: signins.OutcomeSuccess, Code: 0}
	if _, err := s.Put(ctx, signins.Batch{SignIns: []*signins.Record{rec}}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	code, out, errOut := runCLI(t, "", "audit", "--now", now.Format(time.RFC3339), "--signins-db", db, "--unused-days", "30", "-o", "text", "../../examples/directory.json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var unused []string
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Split(line, "\t"); len(f) > 4 && f[1] == "credential-unused" {
			unused = append(unused, f[4])
		}
	}
	if len(unused) != 0 {
		// The web app's secret expired on 2026-12-01, so only active
		// credentials are judged: the daemon's secret was used.
		t.Fatalf("unused credentials %v, want none", unused)
	}
	// 24 days later, with a 20-day window, the last use is too old.
	later := now.Add(24 * 24 * time.Hour).Format(time.RFC3339)
	code, out, _ = runCLI(t, "", "audit", "--now", later, "--signins-db", db, "--unused-days", "20", "-o", "text", "../../examples/directory.json")
	if code != ExitOK || !strings.Contains(out, "credential-unused\taaaaaaaa-0000-4000-8000-000000000001\tbbbbbbbb-0000-4000-8000-000000000002\t12121212-3434-4565-8787-909090909090") {
		t.Fatalf("the daemon secret is unused in the window; got exit %d:\n%s", code, out)
	}
}
