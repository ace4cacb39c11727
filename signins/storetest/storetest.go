// Package storetest is the behaviour every signins.Store must show, as one
// suite that each implementation's tests run against a fresh store. It
// holds no store of its own and is imported only by tests.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/aadsts/aadsts/signins"
)

// Open returns a fresh, empty store; the suite closes it.
type Open func(t *testing.T) signins.Store

var base = time.Date(2026, 3, 5, 8, 0, 0, 0, time.UTC)

// SignIn builds a test sign-in.
func SignIn(id string, kind signins.Kind, at time.Time, app string, code int) *signins.Record {
	return &signins.Record{
		ID: id, Kind: kind, Time: at, AppID: app, AppName: "name-" + app, Code: code,
		Outcome: signins.OutcomeOf(code), CredentialKeyID: "key-" + app, Raw: []byte(fmt.Sprintf(`{"id":%q}`, id)),
		Format: signins.FormatGraph,
	}
}

// Run runs the suite.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		run  func(t *testing.T, s signins.Store)
	}{
		{"put is idempotent", testIdempotent},
		{"same id in two logs is two records", testKinds},
		{"different records sharing an id are all kept", testSharedID},
		{"large batch with repeats", testLargeBatch},
		{"lookup", testLookup},
		{"filters", testFilters},
		{"report", testReport},
		{"report labels", testLabels},
		{"audits", testAudits},
		{"cancelled put stores nothing", testCancelled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			defer s.Close()
			tt.run(t, s)
		})
	}
}

func put(t *testing.T, s signins.Store, b signins.Batch) signins.PutResult {
	t.Helper()
	r, err := s.Put(context.Background(), b)
	if err != nil {
		t.Fatalf("Put: %v", err)
	}
	return r
}

func testIdempotent(t *testing.T, s signins.Store) {
	b := signins.Batch{SignIns: []*signins.Record{
		SignIn("a", signins.KindServicePrincipal, base, "app1", 0),
		SignIn("b", signins.KindServicePrincipal, base.Add(time.Minute), "app1", 7000222),
	}}
	if r := put(t, s, b); r.SignInsAdded != 2 || r.Duplicates != 0 {
		t.Fatalf("first put: %+v", r)
	}
	if r := put(t, s, b); r.SignInsAdded != 0 || r.Duplicates != 2 {
		t.Fatalf("second put: %+v", r)
	}
	n, err := s.Count(context.Background(), signins.Filter{})
	if err != nil || n != 2 {
		t.Fatalf("Count = %d, %v; want 2", n, err)
	}
	g, err := s.Report(context.Background(), signins.Query{By: signins.ByCode})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, x := range g {
		total += x.Count
	}
	if total != 2 {
		t.Fatalf("report total %d after a duplicate put, want 2", total)
	}
}

func testKinds(t *testing.T, s signins.Store) {
	put(t, s, signins.Batch{SignIns: []*signins.Record{
		SignIn("same", signins.KindInteractive, base, "app1", 0),
		SignIn("same", signins.KindNonInteractive, base, "app1", 0),
	}})
	got, err := s.SignIn(context.Background(), "same")
	if err != nil || len(got) != 2 {
		t.Fatalf("SignIn = %d records, %v; want 2", len(got), err)
	}
}

// testSharedID: two different records of one kind with the same id (the
// samples' ServicePrincipalSignInLogs and MicrosoftServicePrincipalSignInLogs
// copies, audit events reusing an id) are two records; each again is a
// duplicate.
func testSharedID(t *testing.T, s signins.Store) {
	a := SignIn("dup", signins.KindServicePrincipal, base, "app1", 0)
	b := SignIn("dup", signins.KindServicePrincipal, base, "app1", 0)
	b.Raw = []byte(`{"id":"dup","category":"MicrosoftServicePrincipalSignInLogs"}`)
	x := &signins.AuditEvent{ID: "e", Time: base, Activity: "Add service principal", Raw: []byte(`{"id":"e","n":1}`)}
	y := &signins.AuditEvent{ID: "e", Time: base.Add(time.Second), Activity: "Add service principal", Raw: []byte(`{"id":"e","n":2}`)}
	batch := signins.Batch{SignIns: []*signins.Record{a, b}, Audits: []*signins.AuditEvent{x, y}}
	if r := put(t, s, batch); r.SignInsAdded != 2 || r.AuditsAdded != 2 || r.Duplicates != 0 {
		t.Fatalf("first put: %+v", r)
	}
	if r := put(t, s, batch); r.SignInsAdded != 0 || r.AuditsAdded != 0 || r.Duplicates != 4 {
		t.Fatalf("second put: %+v", r)
	}
	got, err := s.SignIn(context.Background(), "dup")
	if err != nil || len(got) != 2 {
		t.Fatalf("SignIn = %d records, %v; want 2", len(got), err)
	}
	audits, err := s.Audits(context.Background(), signins.AuditFilter{})
	if err != nil || len(audits) != 2 {
		t.Fatalf("Audits = %d, %v; want 2", len(audits), err)
	}
	if one, err := s.Audit(context.Background(), "e"); err != nil || !one.Time.Equal(base) {
		t.Fatalf("Audit = %+v, %v; want the first", one, err)
	}
}

// testLargeBatch puts more records than one statement holds, with a
// record repeated inside the batch, then the batch again.
func testLargeBatch(t *testing.T, s signins.Store) {
	var recs []*signins.Record
	for i := range 150 {
		recs = append(recs, SignIn(fmt.Sprintf("big-%03d", i), signins.KindServicePrincipal, base.Add(time.Duration(i)*time.Minute), "app1", 0))
	}
	recs = append(recs, recs[7])
	if r := put(t, s, signins.Batch{SignIns: recs}); r.SignInsAdded != 150 || r.Duplicates != 1 {
		t.Fatalf("first put: %+v", r)
	}
	if r := put(t, s, signins.Batch{SignIns: recs}); r.SignInsAdded != 0 || r.Duplicates != 151 {
		t.Fatalf("second put: %+v", r)
	}
	// New records among stored ones, in one statement and across two.
	more := append([]*signins.Record{}, recs[:70]...)
	more = append(more[:3], append([]*signins.Record{SignIn("new-1", signins.KindServicePrincipal, base, "app2", 50126)}, more[3:]...)...)
	more = append(more, SignIn("new-2", signins.KindServicePrincipal, base, "app2", 50126), SignIn("new-3", signins.KindServicePrincipal, base, "app2", 0))
	if r := put(t, s, signins.Batch{SignIns: more}); r.SignInsAdded != 3 || r.Duplicates != 70 {
		t.Fatalf("third put: %+v", r)
	}
	if n, err := s.Count(context.Background(), signins.Filter{}); err != nil || n != 153 {
		t.Fatalf("Count = %d, %v; want 153", n, err)
	}
	g, err := s.Report(context.Background(), signins.Query{By: signins.ByApp})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range g {
		if x.Key == "app2" && (x.Count != 3 || x.Failures != 2) || x.Key == "app1" && x.Count != 150 {
			t.Fatalf("report by app after a mixed put: %+v", g)
		}
	}
	got, err := s.SignIn(context.Background(), "big-149")
	if err != nil || len(got) != 1 || !got[0].Time.Equal(base.Add(149*time.Minute)) {
		t.Fatalf("SignIn(big-149) = %+v, %v", got, err)
	}
	// The records added among stored ones read back whole, as do stored
	// ones around them.
	for _, w := range []*signins.Record{more[3], more[len(more)-2], more[len(more)-1], recs[0], recs[69], recs[149]} {
		got, err := s.SignIn(context.Background(), w.ID)
		if err != nil || len(got) != 1 || !reflect.DeepEqual(got[0], *w) {
			t.Fatalf("SignIn(%s) = %+v, %v; want %+v", w.ID, got, err, *w)
		}
	}
}

func testLookup(t *testing.T, s signins.Store) {
	want := SignIn("x1", signins.KindServicePrincipal, base.Add(123456789), "app9", 700027)
	want.CredentialThumbprint, want.CorrelationID, want.IP = "0A1B", "corr", "203.0.113.10"
	put(t, s, signins.Batch{SignIns: []*signins.Record{want}})
	got, err := s.SignIn(context.Background(), "x1")
	if err != nil {
		t.Fatal(err)
	}
	g := got[0]
	if !g.Time.Equal(want.Time) || g.Code != want.Code || g.Outcome != signins.OutcomeFailure ||
		g.CredentialThumbprint != "0A1B" || g.IP != want.IP || string(g.Raw) != string(want.Raw) || g.AppName != want.AppName {
		t.Fatalf("SignIn = %+v, want %+v", g, *want)
	}
	if _, err := s.SignIn(context.Background(), "nope"); !errors.Is(err, signins.ErrNotFound) {
		t.Fatalf("missing sign-in: %v, want ErrNotFound", err)
	}
	if _, err := s.Audit(context.Background(), "nope"); !errors.Is(err, signins.ErrNotFound) {
		t.Fatalf("missing audit: %v, want ErrNotFound", err)
	}
}

func seed(t *testing.T, s signins.Store) {
	var recs []*signins.Record
	for i := range 30 {
		code := 0
		switch i % 3 {
		case 1:
			code = 7000222
		case 2:
			code = 50076
		}
		app := "app1"
		if i >= 20 {
			app = "app2"
		}
		kind := signins.KindServicePrincipal
		if i%5 == 0 {
			kind = signins.KindInteractive
		}
		recs = append(recs, SignIn(fmt.Sprintf("r%02d", i), kind, base.Add(time.Duration(i)*10*time.Minute), app, code))
	}
	put(t, s, signins.Batch{SignIns: recs})
}

func testFilters(t *testing.T, s signins.Store) {
	seed(t, s)
	ctx := context.Background()
	tests := []struct {
		name string
		f    signins.Filter
		want int
	}{
		{"all", signins.Filter{}, 30},
		{"since", signins.Filter{Since: base.Add(100 * time.Minute)}, 20},
		{"until", signins.Filter{Until: base.Add(100 * time.Minute)}, 10},
		{"app by id", signins.Filter{Apps: []string{"app2"}}, 10},
		{"app by name", signins.Filter{Apps: []string{"NAME-APP2"}}, 10},
		{"code", signins.Filter{Codes: []int{7000222}}, 10},
		{"kind", signins.Filter{Kinds: []signins.Kind{signins.KindInteractive}}, 6},
		{"outcome", signins.Filter{Outcomes: []signins.Outcome{signins.OutcomeInterrupt}}, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := s.Count(ctx, tt.f)
			if err != nil || n != tt.want {
				t.Fatalf("Count = %d, %v; want %d", n, err, tt.want)
			}
			list, err := s.SignIns(ctx, tt.f, 0)
			if err != nil || len(list) != tt.want {
				t.Fatalf("SignIns = %d, %v; want %d", len(list), err, tt.want)
			}
			for i := 1; i < len(list); i++ {
				if list[i].Time.Before(list[i-1].Time) {
					t.Fatal("SignIns not oldest first")
				}
			}
			// Newest first, and a limit keeps the newest.
			nf := tt.f
			nf.Newest = true
			newest, err := s.SignIns(ctx, nf, 3)
			if err != nil || len(newest) != min(3, tt.want) {
				t.Fatalf("SignIns newest, limit 3 = %d, %v", len(newest), err)
			}
			for i, r := range newest {
				if w := list[len(list)-1-i]; !r.Time.Equal(w.Time) {
					t.Fatalf("newest[%d] at %v, want %v", i, r.Time, w.Time)
				}
			}
		})
	}
}

func testReport(t *testing.T, s signins.Store) {
	seed(t, s)
	ctx := context.Background()
	for _, by := range signins.Bys() {
		for _, q := range []signins.Query{
			{By: by},
			{By: by, Filter: signins.Filter{Since: base.Add(time.Hour), Until: base.Add(4 * time.Hour)}},                 // whole hours
			{By: by, Filter: signins.Filter{Since: base.Add(70 * time.Minute), Apps: []string{"app1"}}},                  // not whole
			{By: by, Filter: signins.Filter{Kinds: []signins.Kind{signins.KindServicePrincipal}, Codes: []int{7000222}}}, // filters
		} {
			t.Run(fmt.Sprintf("%s %v", by, q.Filter.Since), func(t *testing.T) {
				g, err := s.Report(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				want, _ := s.Count(ctx, q.Filter)
				total, fails := 0, 0
				for _, x := range g {
					total += x.Count
					fails += x.Failures
					if x.First.After(x.Last) {
						t.Fatalf("group %s first after last", x.Key)
					}
				}
				if total != want {
					t.Fatalf("report by %s totals %d, Count says %d", by, total, want)
				}
				wantFails, _ := s.Count(ctx, signins.Filter{Since: q.Since, Until: q.Until, Apps: q.Apps, Codes: q.Codes, Kinds: q.Kinds, Outcomes: []signins.Outcome{signins.OutcomeFailure}})
				if fails != wantFails {
					t.Fatalf("report by %s: %d failures, want %d", by, fails, wantFails)
				}
			})
		}
	}
	g, err := s.Report(ctx, signins.Query{By: signins.ByCode})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range g {
		if x.Code == 7000222 && (x.Count != 10 || x.Failures != 10 || x.Key != "7000222") {
			t.Fatalf("code group %+v", x)
		}
		if x.Code == 50076 && (x.Interrupts != 10 || x.Failures != 0) {
			t.Fatalf("interrupt group %+v", x)
		}
	}
	apps, err := s.Report(ctx, signins.Query{By: signins.ByApp})
	if err != nil || len(apps) != 2 || apps[0].Key != "app1" || apps[0].Label != "name-app1" || apps[0].Count != 20 {
		t.Fatalf("report by app = %+v, %v", apps, err)
	}
}

// testLabels: a group's label is a name it has, whatever the order in
// which named and unnamed records came (bounds off whole hours, so that
// the sign-ins themselves are grouped). The first record names everything,
// so that an empty name is first seen after the others.
func testLabels(t *testing.T, s signins.Store) {
	ctx := context.Background()
	named := SignIn("lbl-1", signins.KindServicePrincipal, base, "app-lbl", 0)
	named.SPID, named.SPName, named.ResourceID, named.ResourceName = "sp-lbl", "The SP", "res-lbl", "The API"
	named.CredentialType, named.IP = "clientSecret", "192.0.2.1"
	unnamed := *named
	unnamed.ID, unnamed.Time, unnamed.Raw = "lbl-2", base.Add(time.Minute), []byte(`{"id":"lbl-2"}`)
	unnamed.AppName, unnamed.SPName, unnamed.ResourceName, unnamed.CredentialType = "", "", "", ""
	put(t, s, signins.Batch{SignIns: []*signins.Record{named}})
	put(t, s, signins.Batch{SignIns: []*signins.Record{&unnamed}})
	for by, want := range map[signins.By][2]string{
		signins.ByApp: {"app-lbl", "name-app-lbl"}, signins.BySP: {"sp-lbl", "The SP"},
		signins.ByResource: {"res-lbl", "The API"}, signins.ByCredential: {"key-app-lbl", "clientSecret"},
	} {
		g, err := s.Report(ctx, signins.Query{By: by, Filter: signins.Filter{Since: base.Add(-time.Second)}})
		if err != nil || len(g) != 1 || g[0].Key != want[0] || g[0].Label != want[1] || g[0].Count != 2 {
			t.Fatalf("report by %s over a named and an unnamed record = %+v, %v; want %s labelled %q", by, g, err, want[0], want[1])
		}
	}
}

func testAudits(t *testing.T, s signins.Store) {
	a := &signins.AuditEvent{ID: "d1", Time: base, Activity: "Update application – Certificates and secrets management", AppID: "app1",
		CredentialChange: true, Keys: []signins.KeyChange{{Action: "added", KeyID: "k2", KeyType: "AsymmetricX509Cert"}}, Raw: []byte(`{}`)}
	b := &signins.AuditEvent{ID: "d2", Time: base.Add(time.Hour), Activity: "Add member to group"}
	r := put(t, s, signins.Batch{Audits: []*signins.AuditEvent{a, b, a}})
	if r.AuditsAdded != 2 || r.Duplicates != 1 {
		t.Fatalf("Put audits: %+v", r)
	}
	ctx := context.Background()
	got, err := s.Audits(ctx, signins.AuditFilter{CredentialOnly: true})
	if err != nil || len(got) != 1 || got[0].ID != "d1" || len(got[0].Keys) != 1 || got[0].Keys[0].KeyID != "k2" {
		t.Fatalf("Audits = %+v, %v", got, err)
	}
	all, err := s.Audits(ctx, signins.AuditFilter{Since: base.Add(time.Minute)})
	if err != nil || len(all) != 1 || all[0].ID != "d2" {
		t.Fatalf("Audits since = %+v, %v", all, err)
	}
	one, err := s.Audit(ctx, "d1")
	if err != nil || one.Activity != a.Activity || !one.Time.Equal(base) {
		t.Fatalf("Audit = %+v, %v", one, err)
	}
}

func testCancelled(t *testing.T, s signins.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.Put(ctx, signins.Batch{SignIns: []*signins.Record{SignIn("c", signins.KindInteractive, base, "a", 0)}})
	if err == nil {
		t.Fatal("Put with a cancelled context succeeded")
	}
	if n, _ := s.Count(context.Background(), signins.Filter{}); n != 0 {
		t.Fatalf("cancelled Put left %d records", n)
	}
}
