package signins_test

import (
	"context"
	"testing"
	"time"

	"github.com/aadsts/aadsts/signins"
	"github.com/aadsts/aadsts/signins/storetest"
)

func TestChanges(t *testing.T) {
	s := memStore(t)
	t0 := time.Date(2026, 3, 4, 17, 0, 0, 0, time.UTC)
	var recs []*signins.Record
	for i := range 5 { // healthy before the change
		recs = append(recs, storetest.SignIn("ok"+string(rune('a'+i)), signins.KindServicePrincipal, t0.Add(-time.Duration(i+1)*time.Minute), "app1", 0))
	}
	for i := range 3 { // failing after, with the removed key
		r := storetest.SignIn("bad"+string(rune('a'+i)), signins.KindServicePrincipal, t0.Add(time.Duration(i+1)*time.Minute), "app1", 7000222)
		r.CredentialKeyID = "old-key"
		recs = append(recs, r)
	}
	recs = append(recs, storetest.SignIn("other", signins.KindServicePrincipal, t0.Add(time.Minute), "app2", 7000215))
	audit := &signins.AuditEvent{ID: "d1", Time: t0, Activity: "Update application – Certificates and secrets management ", AppID: "app1",
		CredentialChange: true, Keys: []signins.KeyChange{{Action: "removed", KeyID: "old-key"}, {Action: "added", KeyID: "new-key"}}}
	if _, err := s.Put(context.Background(), signins.Batch{SignIns: recs, Audits: []*signins.AuditEvent{audit}}); err != nil {
		t.Fatal(err)
	}
	got, err := signins.Changes(context.Background(), s, time.Time{}, time.Time{}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("%d changes, want 1", len(got))
	}
	c := got[0]
	if c.AppID != "app1" || c.Failures != 3 || c.FailuresBefore != 0 || len(c.NewCodes) != 1 || c.NewCodes[0].Code != 7000222 {
		t.Fatalf("change %+v", c)
	}
	if len(c.Credentials) != 1 || c.Credentials[0].Credential != "old-key" || c.Credentials[0].Changed != "removed" {
		t.Fatalf("credentials %+v", c.Credentials)
	}
}

func TestCredentialActivityNames(t *testing.T) {
	for _, name := range []string{
		"Update application – Certificates and secrets management ",
		"Update application - Certificates and secrets management",
		"Add service principal credentials",
		"Remove service principal credentials",
	} {
		if !signins.IsCredentialActivity(name) {
			t.Errorf("%q not a credential activity", name)
		}
	}
	if signins.IsCredentialActivity("Add member to group") {
		t.Error("group change counted as credential activity")
	}
}
