package graphapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeGraph serves /v1.0/applications in pages of two out of n items,
// answering 429 to the first request of each listed page number and 503
// once when asked.
type fakeGraph struct {
	mu          sync.Mutex
	n           int
	throttle    map[int]bool // page -> throttle once
	unavail     map[int]bool
	requests    int
	tokens      []string
	nextHost    string // overrides the host in nextLink
	retryWith   string
	noFederated bool
}

func (f *fakeGraph) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests++
	f.tokens = append(f.tokens, r.Header.Get("Authorization"))
	if r.Header.Get("Authorization") != "Bearer test-token" {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"error":{"code":"InvalidAuthenticationToken","message":"Access token is empty.","innerError":{"request-id":"rid-1"}}}`)
		return
	}
	if r.URL.Path == "/v1.0/nothing" {
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation.","innerError":{"request-id":"rid-2"}}}`)
		return
	}
	if strings.HasSuffix(r.URL.Path, "/federatedIdentityCredentials") {
		if f.noFederated {
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"error":{"code":"Request_ResourceNotFound","message":"not here"}}`)
			return
		}
		obj := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/v1.0/applications/"), "/federatedIdentityCredentials")
		fmt.Fprintf(w, `{"value":[{"id":"fic-%s","name":"gh","issuer":"https://token.actions.githubusercontent.com","subject":"repo:o/%s:pull_request","audiences":["api://AzureADTokenExchange"]}]}`, obj, obj)
		return
	}
	skip, _ := strconv.Atoi(r.URL.Query().Get("$skiptoken"))
	pageNo := skip / 2
	if f.throttle[pageNo] {
		delete(f.throttle, pageNo)
		w.Header().Set("Retry-After", f.retryWith)
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"error":{"code":"TooManyRequests","message":"Too many requests."}}`)
		return
	}
	if f.unavail[pageNo] {
		delete(f.unavail, pageNo)
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	var items []string
	for i := skip; i < min(skip+2, f.n); i++ {
		items = append(items, fmt.Sprintf(`{"id":"obj-%d","appId":"app-%d","displayName":"app %d"}`, i, i, i))
	}
	out := fmt.Sprintf(`{"@odata.context":"x","value":[%s]`, strings.Join(items, ","))
	if skip+2 < f.n {
		host := "https://" + r.Host
		if f.nextHost != "" {
			host = f.nextHost
		}
		out += fmt.Sprintf(`,"@odata.nextLink":"%s/v1.0/applications?$top=2&$skiptoken=%d"`, host, skip+2)
	}
	fmt.Fprint(w, out+"}")
}

func newFake(t *testing.T, f *fakeGraph) (*Client, *[]time.Duration) {
	t.Helper()
	srv := httptest.NewTLSServer(f)
	t.Cleanup(srv.Close)
	c, err := New(srv.URL+"/v1.0", StaticToken("test-token"), srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	var waits []time.Duration
	c.Sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	return c, &waits
}

func collect(t *testing.T, c *Client, path string) ([]string, error) {
	t.Helper()
	var ids []string
	err := c.Each(context.Background(), path, func(m json.RawMessage) error {
		var o struct{ AppID string }
		if err := json.Unmarshal(m, &o); err != nil {
			return err
		}
		ids = append(ids, o.AppID)
		return nil
	})
	return ids, err
}

func TestEachFollowsPagesAndRetries(t *testing.T) {
	f := &fakeGraph{n: 7, throttle: map[int]bool{0: true, 2: true}, unavail: map[int]bool{3: true}, retryWith: "3"}
	c, waits := newFake(t, f)
	ids, err := collect(t, c, "/applications?$top=2")
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 7 || ids[0] != "app-0" || ids[6] != "app-6" {
		t.Fatalf("ids %v", ids)
	}
	// 4 pages + 2 throttled + 1 unavailable.
	if f.requests != 7 {
		t.Fatalf("%d requests, want 7", f.requests)
	}
	if len(*waits) != 3 || (*waits)[0] != 3*time.Second || (*waits)[1] != 3*time.Second || (*waits)[2] != time.Second {
		t.Fatalf("waits %v, want [3s 3s 1s]", *waits)
	}
}

func TestEachGivesUpAfterMaxRetries(t *testing.T) {
	f := &fakeGraph{n: 3, retryWith: "1"}
	c, _ := newFake(t, f)
	c.MaxRetries = 2
	f.throttle = map[int]bool{0: true}
	// A fresh throttle per request: re-arm from the sleep hook.
	c.Sleep = func(context.Context, time.Duration) error {
		f.mu.Lock()
		f.throttle[0] = true
		f.mu.Unlock()
		return nil
	}
	_, err := collect(t, c, "/applications?$top=2")
	var ge *Error
	if !errors.As(err, &ge) || ge.Status != http.StatusTooManyRequests {
		t.Fatalf("err %v", err)
	}
	if f.requests != 3 {
		t.Fatalf("%d requests, want 3", f.requests)
	}
}

func TestGraphErrors(t *testing.T) {
	f := &fakeGraph{n: 1}
	c, _ := newFake(t, f)
	_, err := collect(t, c, "/nothing")
	var ge *Error
	if !errors.As(err, &ge) || ge.Status != 403 || ge.Code != "Authorization_RequestDenied" || ge.RequestID != "rid-2" {
		t.Fatalf("err %v", err)
	}
	bad, _ := New(c.base.String(), StaticToken("wrong"), c.http)
	bad.Sleep = c.Sleep
	if _, err := collect(t, bad, "/applications"); err == nil || !strings.Contains(err.Error(), "InvalidAuthenticationToken") {
		t.Fatalf("err %v", err)
	}
	if strings.Contains(fmt.Sprint(err), "wrong") {
		t.Fatal("token in error")
	}
}

func TestForeignNextLinkRefused(t *testing.T) {
	f := &fakeGraph{n: 5, nextHost: "https://evil.example"}
	c, _ := newFake(t, f)
	ids, err := collect(t, c, "/applications?$top=2")
	if !errors.Is(err, ErrForeignNextLink) || len(ids) != 2 {
		t.Fatalf("ids %v err %v", ids, err)
	}
	if f.requests != 1 {
		t.Fatal("followed a foreign nextLink")
	}
}

func TestNewValidates(t *testing.T) {
	for _, u := range []string{"ftp://x", "http://graph.example/v1.0", "not a url"} {
		if _, err := New(u, StaticToken("t"), nil); err == nil {
			t.Errorf("%s accepted", u)
		}
	}
	if _, err := New("http://127.0.0.1:8080/v1.0", StaticToken("t"), nil); err != nil {
		t.Errorf("loopback http refused: %v", err)
	}
	if _, err := New("", nil, nil); err == nil {
		t.Error("nil token source accepted")
	}
}

func TestWait(t *testing.T) {
	c := &Client{MaxWait: 10 * time.Second}
	for _, tc := range []struct {
		h       string
		attempt int
		want    time.Duration
	}{{"5", 0, 5 * time.Second}, {"", 0, time.Second}, {"", 2, 4 * time.Second}, {"600", 0, 10 * time.Second}, {"junk", 1, 2 * time.Second}} {
		if got := c.wait(tc.h, tc.attempt); got != tc.want {
			t.Errorf("wait(%q,%d)=%s want %s", tc.h, tc.attempt, got, tc.want)
		}
	}
}

func TestReadDirectory(t *testing.T) {
	f := &fakeGraph{n: 5}
	c, _ := newFake(t, f)
	d, err := ReadDirectory(context.Background(), c, "tenant-1", ReadOptions{PageSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	// The fake answers both collections with the same objects; what was
	// read from /servicePrincipals must be service principals.
	tn := d.Tenants[0]
	if len(d.Tenants) != 1 || tn.ID != "tenant-1" || len(tn.Applications) != 5 || len(tn.ServicePrincipals) != 5 {
		t.Fatalf("%+v", d.Tenants)
	}
}

func TestAzureIdentityKinds(t *testing.T) {
	if _, err := AzureIdentity(AzureOptions{Kind: "magic"}); err == nil {
		t.Fatal("unknown kind accepted")
	}
	if _, err := AzureIdentity(AzureOptions{Kind: CredSecret, TenantID: "t"}); err == nil {
		t.Fatal("secret without secret accepted")
	}
	if _, err := AzureIdentity(AzureOptions{Kind: CredCertificate, TenantID: "t", ClientID: "c", CertificatePath: "/no/such.pem"}); err == nil || !strings.Contains(err.Error(), "/no/such.pem") {
		t.Fatalf("missing certificate: %v", err)
	}
}

func TestReadDirectoryFederated(t *testing.T) {
	f := &fakeGraph{n: 5}
	c, _ := newFake(t, f)
	d, err := ReadDirectory(context.Background(), c, "tenant-1", ReadOptions{PageSize: 2, Federated: true, Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range d.Tenants[0].Applications {
		if len(a.FederatedIdentityCredentials) != 1 || a.FederatedIdentityCredentials[0].ID != "fic-"+a.ID {
			t.Fatalf("%s: %+v", a.ID, a.FederatedIdentityCredentials)
		}
	}
	f2 := &fakeGraph{n: 3, noFederated: true}
	c2, _ := newFake(t, f2)
	d, err = ReadDirectory(context.Background(), c2, "tenant-1", ReadOptions{Federated: true})
	if err != nil || len(d.Notes) != 1 || len(d.Tenants[0].Applications) != 3 {
		t.Fatalf("%v %+v", err, d)
	}
}
