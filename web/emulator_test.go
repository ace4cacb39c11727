package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aadsts/aadsts/emulator"
)

func TestEmulatorConsole(t *testing.T) {
	d, _ := exampleDirectory(t)
	em := emulator.NewTestServer(t, d, emulator.Options{})
	b := newBrowser(t, Options{Now: func() time.Time { return testNow }, Parts: Parts{
		Emulator: em.Emulator, EmulatorURL: em.URL, EmulatorCA: em.CAPEM, Directory: d}})
	const tenant, client, secret = "11111111-2222-3333-4444-555555555555", "aaaaaaaa-0000-4000-8000-000000000001", "example~secret.NOT-REAL-0123456789abcdef"

	_, body := b.get("/emulator")
	mustContain(t, body, `<label for="fault-code">AADSTS code</label>`, `<label for="fault-count">Requests</label>`, "Inject fault",
		"contoso-daemon-secret", client, em.URL+"/"+tenant, "No active fault", "Download the CA certificate")
	mustNotContain(t, body, secret, `data-testid="fault-list"`)

	resp, body := b.post("/emulator/faults", map[string]string{"code": "AADSTS7000222", "count": "1"})
	if resp.StatusCode != 200 {
		t.Fatalf("inject: status %d", resp.StatusCode)
	}
	mustContain(t, body, `data-testid="fault-list"`, "AADSTS7000222", "1 request left")

	token := func() (int, []int) {
		form := url.Values{"grant_type": {"client_credentials"}, "client_id": {client}, "client_secret": {secret}, "scope": {"https://graph.microsoft.com/.default"}}
		r, err := em.Client.PostForm(em.URL+"/"+tenant+"/oauth2/v2.0/token", form)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		var e struct {
			Codes []int `json:"error_codes"`
		}
		_ = json.NewDecoder(r.Body).Decode(&e)
		return r.StatusCode, e.Codes
	}
	if st, codes := token(); st == 200 || len(codes) == 0 || codes[0] != 7000222 {
		t.Fatalf("token request after the fault: status %d, codes %v; want AADSTS7000222", st, codes)
	}
	if st, codes := token(); st != 200 {
		t.Fatalf("second token request: status %d, codes %v; the fault should be used up", st, codes)
	}
	_, log := b.get("/emulator/log")
	mustContain(t, log, "AADSTS7000222", "success", "<tr>", "contoso-daemon-secret")
	mustNotContain(t, log, secret, "<html")

	_, body = b.post("/emulator/clock", map[string]string{"offset": "+2h"})
	mustContain(t, body, "Clock offset set to 2h0m0s")
	if got := em.Clock().Offset(); got != 2*time.Hour {
		t.Errorf("clock offset %s, want 2h", got)
	}
	resp, _ = b.post("/emulator/clock", map[string]string{"offset": "soon"})
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("bad offset: status %d, want 400", resp.StatusCode)
	}
	kid := em.KeyID()
	_, body = b.post("/emulator/rotate", nil)
	if em.KeyID() == kid || !strings.Contains(body, em.KeyID()) {
		t.Errorf("rotation: key %s -> %s", kid, em.KeyID())
	}
	_, body = b.post("/emulator/faults", map[string]string{"latency": "1ms", "count": "0"})
	mustContain(t, body, "a delay of 1ms", "delay 1ms")
	_, _ = b.post("/emulator/faults", map[string]string{"status": "503", "count": "0"})
	_, body = b.post("/emulator/faults/clear", nil)
	mustContain(t, body, "No active fault")
	for _, bad := range []map[string]string{{"code": "abc"}, {}, {"code": "50012", "count": "-1"}, {"status": "200"}, {"latency": "forever"}} {
		if resp, _ := b.post("/emulator/faults", bad); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("fault %v: status %d, want 400", bad, resp.StatusCode)
		}
	}
	resp, pem := b.get("/emulator/ca.pem")
	if resp.StatusCode != 200 || !strings.Contains(pem, "BEGIN CERTIFICATE") || !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("CA download: status %d", resp.StatusCode)
	}
}

func TestEmulatorConsoleAbsent(t *testing.T) {
	b := newBrowser(t, Options{Now: func() time.Time { return testNow }})
	for _, p := range []string{"/emulator", "/emulator/log", "/emulator/ca.pem"} {
		if resp, _ := b.get(p); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s without an emulator: status %d, want 404", p, resp.StatusCode)
		}
	}
	if resp, _ := b.post("/emulator/faults", map[string]string{"code": "50012"}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("POST without an emulator: status %d, want 404", resp.StatusCode)
	}
	_, body := b.get("/")
	mustNotContain(t, body, `href="/emulator"`)
}
