package web

import (
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/aadsts/aadsts/directory"
)

func exampleDirectory(t *testing.T) (*directory.Directory, []byte) {
	t.Helper()
	data, err := os.ReadFile("../examples/directory.json")
	if err != nil {
		t.Fatal(err)
	}
	d, err := directory.Load("directory.json", data)
	if err != nil {
		t.Fatal(err)
	}
	return d, data
}

func TestAuditPage(t *testing.T) {
	d, data := exampleDirectory(t)
	const secretValue = "example~secret.NOT-REAL-0123456789abcdef"

	t.Run("upload", func(t *testing.T) {
		b := newBrowser(t, Options{Now: func() time.Time { return testNow }})
		resp, body := b.get("/audit")
		mustContain(t, body, `<label for="audit-file">App registration JSON</label>`)
		mustNotContain(t, body, "Findings for")
		resp, body = b.post("/audit", nil, file{"file", "apps.json", data})
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, "Findings for apps.json", "credential-expired", "contoso-daemon-cert", `id="findings"`, "data-filter=\"findings\"",
			"Expiry timeline", `aria-labelledby="tl-t tl-d"`, "<circle")
		mustNotContain(t, body, secretValue)
	})
	t.Run("pasted", func(t *testing.T) {
		b := newBrowser(t, Options{Now: func() time.Time { return testNow }})
		_, body := b.post("/audit", map[string]string{"text": string(data)})
		mustContain(t, body, "Findings for pasted JSON")
		mustNotContain(t, body, secretValue)
	})
	t.Run("emulator directory", func(t *testing.T) {
		b := newBrowser(t, Options{Now: func() time.Time { return testNow }, Parts: Parts{Directory: d}})
		_, body := b.get("/audit")
		mustContain(t, body, "Findings for the emulator&#39;s directory", "credential-expired")
		mustNotContain(t, body, secretValue)
	})
	t.Run("errors", func(t *testing.T) {
		b := newBrowser(t, Options{Now: func() time.Time { return testNow }})
		resp, _ := b.post("/audit", nil)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("empty: status %d, want 400", resp.StatusCode)
		}
		resp, body := b.post("/audit", map[string]string{"text": `{"hello": "<b>x</b>"}`})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("not apps: status %d, want 422", resp.StatusCode)
		}
		mustNotContain(t, body, "<b>x</b>")
		resp, _ = b.post("/audit", nil, file{"file", "big.json", make([]byte, maxAuditFile+1)})
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("big: status %d, want 413", resp.StatusCode)
		}
	})
}
