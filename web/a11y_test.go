package web

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aadsts/aadsts/emulator"
)

var (
	controlTag = regexp.MustCompile(`<(input|select|textarea)\b[^>]*>`)
	idAttr     = regexp.MustCompile(`\bid="([^"]+)"`)
	typeAttr   = regexp.MustCompile(`\btype="([^"]+)"`)
	scriptTag  = regexp.MustCompile(`<script\b[^>]*>`)
	eventAttr  = regexp.MustCompile(`<[^>]+\son[a-z]+=`)
)

// TestPagesAreLabelledAndCSPClean checks every page with every part wired:
// each form control has a label (or an aria-label), no inline style or
// script that the Content-Security-Policy would block, one h1.
func TestPagesAreLabelledAndCSPClean(t *testing.T) {
	d, _ := exampleDirectory(t)
	em := emulator.NewTestServer(t, d, emulator.Options{})
	b := newBrowser(t, Options{Now: func() time.Time { return testNow }, Parts: Parts{
		SignIns: memStore(t), StoreName: "memory", Emulator: em.Emulator, EmulatorURL: em.URL, EmulatorCA: em.CAPEM, Directory: d}})
	_, _ = b.post("/signins/import", nil, file{"file", "x.json", []byte(xssSignIn)})
	for _, path := range []string{"/", "/codes", "/codes/700027", "/signins", "/signins?by=app", "/signins/xss-1", "/audit", "/emulator"} {
		t.Run(path, func(t *testing.T) {
			resp, body := b.get(path)
			if resp.StatusCode != 200 {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if strings.Contains(body, "style=") || eventAttr.MatchString(body) {
				t.Error("inline style or event handler attribute")
			}
			for _, s := range scriptTag.FindAllString(body, -1) {
				if !strings.Contains(s, `src="/static/`) {
					t.Errorf("inline script %s", s)
				}
			}
			if n := strings.Count(body, "<h1"); n != 1 {
				t.Errorf("%d h1 headings, want 1", n)
			}
			for _, c := range controlTag.FindAllString(body, -1) {
				if m := typeAttr.FindStringSubmatch(c); m != nil && (m[1] == "hidden" || m[1] == "submit") {
					continue
				}
				if strings.Contains(c, "aria-label=") {
					continue
				}
				m := idAttr.FindStringSubmatch(c)
				if m == nil || !strings.Contains(body, `for="`+m[1]+`"`) {
					t.Errorf("control without a label: %s", c)
				}
			}
		})
	}
}
