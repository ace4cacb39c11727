package web

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"io"
	"math/big"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

var testNow = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

// browser is a client with a cookie jar that knows the page's CSRF token,
// as a browser on one of our pages would.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
	csrf string
}

var csrfInput = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func newBrowser(t *testing.T, opts Options) *browser {
	t.Helper()
	ts := newTestServer(t, opts)
	c := ts.Client()
	c.Jar = newJar(t)
	b := &browser{t: t, base: ts.URL, c: c}
	_, body := get(t, c, ts.URL+"/")
	m := csrfInput.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("home page has no CSRF token field")
	}
	b.csrf = m[1]
	return b
}

func (b *browser) get(path string) (*http.Response, string) {
	b.t.Helper()
	return get(b.t, b.c, b.base+path)
}

// file is one uploaded file of a multipart form.
type file struct {
	field, name string
	data        []byte
}

// post sends a multipart form with the CSRF token, following redirects.
func (b *browser) post(path string, fields map[string]string, files ...file) (*http.Response, string) {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("csrf_token", b.csrf)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	for _, f := range files {
		w, _ := mw.CreateFormFile(f.field, f.name)
		_, _ = w.Write(f.data)
	}
	_ = mw.Close()
	resp, err := b.c.Post(b.base+path, mw.FormDataContentType(), &buf)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func mustContain(t *testing.T, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}

func mustNotContain(t *testing.T, body string, bad ...string) {
	t.Helper()
	for _, w := range bad {
		if w != "" && strings.Contains(body, w) {
			t.Errorf("page contains %q", w)
		}
	}
}

// selfSigned makes a certificate and its key; it returns the DER, the key
// and the upper-case hex SHA-1 thumbprint.
func selfSigned(t *testing.T, cn string) ([]byte, *ecdsa.PrivateKey, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: cn},
		NotBefore: testNow.Add(-24 * time.Hour), NotAfter: testNow.Add(90 * 24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha1.Sum(der)
	return der, key, strings.ToUpper(hex.EncodeToString(sum[:]))
}
