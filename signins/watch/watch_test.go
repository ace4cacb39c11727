package watch

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aadsts/aadsts/graphapi"
	"github.com/aadsts/aadsts/signins"
	"github.com/aadsts/aadsts/signins/alert"
	"github.com/aadsts/aadsts/signins/sqlstore"
)

func store(t *testing.T) signins.Store {
	s, err := sqlstore.OpenMemory(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func rules(t *testing.T) *alert.File {
	f, err := alert.Load(strings.NewReader("rules:\n  - name: secrets\n    match: {codes: [7000222]}\n    window: 1h\n    threshold: 2\n"), "r.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return f
}

var now = time.Date(2026, 3, 5, 12, 0, 0, 0, time.UTC)

func spLine(id string, at time.Time, code int) string {
	return fmt.Sprintf(`{"time":%q,"category":"ServicePrincipalSignInLogs","properties":{"id":%q,"createdDateTime":%q,"appId":"app1","status":{"errorCode":%d}}}`,
		at.Format(time.RFC3339), id, at.Format(time.RFC3339), code)
}

func TestFolderPass(t *testing.T) {
	dir := t.TempDir()
	var fired []alert.Result
	w := &Watcher{Store: store(t), Rules: rules(t), Now: func() time.Time { return now }, OnAlert: func(r []alert.Result) { fired = r }}
	write := func(name string, lines ...string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(strings.Join(lines, "\n")), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("a.log", spLine("1", now.Add(-time.Minute), 7000222))
	if n, err := w.FolderPass(context.Background(), dir); err != nil || n != 1 {
		t.Fatalf("first pass: %d, %v", n, err)
	}
	if fired == nil || fired[0].Fired {
		t.Fatalf("after one failure: %+v", fired)
	}
	if n, _ := w.FolderPass(context.Background(), dir); n != 0 {
		t.Fatalf("unchanged folder imported %d", n)
	}
	write("b.log", spLine("2", now.Add(-2*time.Minute), 7000222))
	if n, err := w.FolderPass(context.Background(), dir); err != nil || n != 1 {
		t.Fatalf("second pass: %d, %v", n, err)
	}
	if !fired[0].Fired {
		t.Fatalf("after two failures: %+v", fired)
	}
}

func TestGraphPassPagesAndRetries(t *testing.T) {
	var calls atomic.Int32
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		n := calls.Add(1)
		if n == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		item := func(id string, at time.Time, code int) string {
			return fmt.Sprintf(`{"id":%q,"createdDateTime":%q,"appId":"app1","servicePrincipalId":"sp1","signInEventTypes":["servicePrincipal"],"status":{"errorCode":%d}}`, id, at.Format(time.RFC3339), code)
		}
		if r.URL.Query().Get("$skiptoken") == "" {
			fmt.Fprintf(w, `{"value":[%s,%s],"@odata.nextLink":"%s/v1.0/auditLogs/signIns?$skiptoken=2"}`,
				item("n1", now.Add(-time.Minute), 7000222), item("n2", now.Add(-2*time.Minute), 7000222), srv.URL)
			return
		}
		fmt.Fprintf(w, `{"value":[%s,%s]}`, item("n3", now.Add(-3*time.Minute), 0), item("old", now.Add(-48*time.Hour), 0))
	}))
	defer srv.Close()
	c, err := graphapi.New(srv.URL+"/v1.0", graphapi.StaticToken("tok"), srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	var waits []time.Duration
	c.Sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	var fired []alert.Result
	st := store(t)
	w := &Watcher{Store: st, Rules: rules(t), Now: func() time.Time { return now }, OnAlert: func(r []alert.Result) { fired = r }}
	newest, added, err := w.GraphPass(context.Background(), c, "/auditLogs/signIns", now.Add(-time.Hour), 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if added != 3 || !newest.Equal(now.Add(-time.Minute)) || len(waits) != 1 {
		t.Fatalf("added %d, newest %v, waits %v", added, newest, waits)
	}
	if len(fired) != 1 || !fired[0].Fired {
		t.Fatalf("rules: %+v", fired)
	}
	recs, _ := st.SignIn(context.Background(), "n1")
	if recs[0].Kind != signins.KindServicePrincipal || recs[0].Code != 7000222 {
		t.Fatalf("record %+v", recs[0])
	}
}
