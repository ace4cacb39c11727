package cred

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/aadsts/aadsts/cred/credtest"
)

// fixture is a generated certificate and its key, made once per test binary.
type fixture struct {
	key   *rsa.PrivateKey
	cert  *x509.Certificate
	other *rsa.PrivateKey
	ec    *ecdsa.PrivateKey
}

var (
	fixOnce sync.Once
	fix     fixture
)

func testFixture(t testing.TB) fixture {
	t.Helper()
	fixOnce.Do(func() {
		c := credtest.New(t, "test", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
		fix.key, fix.cert = c.Key, c.Cert
		fix.other, _ = rsa.GenerateKey(rand.Reader, 2048)
		fix.ec, _ = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	})
	return fix
}

func utf16le(s string) []byte {
	out := []byte{0xff, 0xfe}
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}

func TestLoad(t *testing.T) {
	f := testFixture(t)
	certPEM := credtest.PEM("CERTIFICATE", f.cert.Raw)
	pkcs8, _ := x509.MarshalPKCS8PrivateKey(f.key)
	ecDER, _ := x509.MarshalECPrivateKey(f.ec)
	keyPEM := credtest.PEM("PRIVATE KEY", pkcs8)
	otherPEM := credtest.PEM("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(f.other))
	pfx, err := pkcs12.Modern.Encode(f.key, f.cert, nil, "pa55word")
	if err != nil {
		t.Fatal(err)
	}
	pfxNoKey, err := pkcs12.Modern.EncodeTrustStore([]*x509.Certificate{f.cert}, "pa55word")
	if err != nil {
		t.Fatal(err)
	}
	corrupt := append([]byte{}, pfx...)
	corrupt = corrupt[:len(corrupt)/2]
	oneLine := strings.ReplaceAll(certPEM, "\n", " ")
	//lint:ignore SA1019 testing the legacy form users still have.
	encBlock, _ := x509.EncryptPEMBlock(rand.Reader, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(f.key), []byte("pa55word"), x509.PEMCipherAES256) //nolint:staticcheck
	legacy := string(pem.EncodeToMemory(encBlock))

	cases := []struct {
		name     string
		data     []byte
		password string
		certs    int
		key      bool
		problem  string
		err      error
		errText  string
	}{
		{name: "pem cert", data: []byte(certPEM), certs: 1},
		{name: "der cert", data: f.cert.Raw, certs: 1},
		{name: "pem cert and key", data: []byte(certPEM + keyPEM), certs: 1, key: true},
		{name: "pkcs1 key", data: []byte(otherPEM), key: true},
		{name: "ec key", data: []byte(credtest.PEM("EC PRIVATE KEY", ecDER)), key: true},
		{name: "crlf", data: []byte(strings.ReplaceAll(certPEM, "\n", "\r\n")), certs: 1, problem: "crlf"},
		{name: "lost line breaks", data: []byte(oneLine), certs: 1, problem: "pem-line-breaks-lost"},
		{name: "escaped newlines", data: []byte(strings.ReplaceAll(certPEM, "\n", `\n`)), certs: 1, problem: "escaped-newlines"},
		{name: "bom", data: append([]byte("\xef\xbb\xbf"), certPEM...), certs: 1, problem: "bom"},
		{name: "utf16", data: utf16le(certPEM), certs: 1, problem: "utf16"},
		{name: "base64 of pem", data: []byte(base64.StdEncoding.EncodeToString([]byte(certPEM))), certs: 1, problem: "base64-of-pem"},
		{name: "base64 der", data: []byte(base64.StdEncoding.EncodeToString(f.cert.Raw)), certs: 1, problem: "base64-der"},
		{name: "double base64", data: []byte(base64.StdEncoding.EncodeToString([]byte(base64.StdEncoding.EncodeToString(f.cert.Raw)))), certs: 1, problem: "double-base64"},
		{name: "pfx", data: pfx, password: "pa55word", certs: 1, key: true},
		{name: "base64 pfx", data: []byte(base64.StdEncoding.EncodeToString(pfx)), password: "pa55word", certs: 1, key: true, problem: "base64-der"},
		{name: "pfx wrong password", data: pfx, password: "nope", err: ErrWrongPassword, errText: "read certificate x: wrong password"},
		{name: "pfx no password", data: pfx, err: ErrPasswordRequired},
		{name: "pfx corrupt", data: corrupt, password: "pa55word", err: ErrCorruptPFX},
		{name: "pfx not pkcs12 inside", data: []byte{0x30, 0x06, 0x02, 0x01, 0x03, 0x30, 0x01, 0x00}, password: "pa55word", err: ErrCorruptPFX},
		{name: "pfx without key", data: pfxNoKey, password: "pa55word", certs: 1, problem: "pfx-no-private-key"},
		{name: "key mismatch", data: []byte(certPEM + otherPEM), certs: 1, key: true, problem: "key-cert-mismatch"},
		{name: "legacy encrypted key", data: []byte(legacy), password: "pa55word", key: true, problem: "legacy-encrypted-pem"},
		{name: "legacy encrypted key wrong password", data: []byte(legacy), password: "wr0ng-pw", err: ErrWrongPassword},
		{name: "pkcs8 encrypted", data: []byte(credtest.PEM("ENCRYPTED PRIVATE KEY", []byte{1, 2, 3})), err: ErrEncryptedKey},
		{name: "truncated pem", data: []byte(certPEM[:200]), err: ErrTruncated},
		{name: "empty", data: []byte("\n"), err: ErrEmpty},
		{name: "garbage", data: []byte("hello, world!"), err: ErrUnrecognized},
		{name: "binary garbage", data: []byte{0x30, 0x03, 0x02, 0x01, 0x07, 0xff}, err: ErrUnrecognized},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := Load("x", c.data, c.password)
			if c.err != nil {
				if !errors.Is(err, c.err) {
					t.Fatalf("err %v, want %v", err, c.err)
				}
				if c.errText != "" && err.Error() != c.errText {
					t.Fatalf("err text %q, want %q", err, c.errText)
				}
				if c.password != "" && strings.Contains(err.Error(), c.password) {
					t.Fatal("error contains the password")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(b.Certs) != c.certs || (b.Key != nil) != c.key {
				t.Fatalf("certs %d key %v, want %d %v (problems %v)", len(b.Certs), b.Key != nil, c.certs, c.key, b.Problems)
			}
			if c.certs > 0 && ThumbprintsOf(b.Certs[0]) != ThumbprintsOf(f.cert) {
				t.Fatal("a different certificate came back")
			}
			if c.problem != "" && !hasProblem(b.Problems, c.problem) {
				t.Fatalf("problem %q not named: %v", c.problem, b.Problems)
			}
			if c.problem == "" && len(b.Problems) != 0 {
				t.Fatalf("unexpected problems %v", b.Problems)
			}
		})
	}
}

func hasProblem(ps []Problem, id string) bool {
	for _, p := range ps {
		if p.ID == id {
			return true
		}
	}
	return false
}

func TestRequireKey(t *testing.T) {
	f := testFixture(t)
	b, err := Load("only.pem", []byte(credtest.PEM("CERTIFICATE", f.cert.Raw)+credtest.PEM("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(f.other))), "")
	if err != nil {
		t.Fatal(err)
	}
	if err := b.RequireKey(); !errors.Is(err, ErrKeyMismatch) {
		t.Fatalf("mismatch: %v", err)
	}
	b, _ = Load("cert.pem", f.cert.Raw, "")
	if err := b.RequireKey(); !errors.Is(err, ErrNoPrivateKey) || !strings.Contains(err.Error(), "cert.pem") {
		t.Fatalf("no key: %v", err)
	}
	if !KeyMatchesCert(f.key, f.cert) || !KeyMatchesCert(&f.key.PublicKey, f.cert) || KeyMatchesCert(f.other, f.cert) || KeyMatchesCert(f.ec, f.cert) {
		t.Fatal("KeyMatchesCert")
	}
}

// TestRealGraphCertificates checks the test vectors of the Azure CLI
// recordings: the SHA-1 of the certificate in keyCredentials.
func TestRealGraphCertificates(t *testing.T) {
	cases := []struct{ file, field, sha1 string }{
		{"azure-cli_aadgraph1.6_POST-applications_with-keyCredential.request.json", "value", "A602F1EE56114DA74F90A7F0579870FE4B99B8C7"},
		{"azure-cli_msgraph-v1.0_PATCH-application_keyCredentials.request.json", "key", "BCBFBDE67E6B86150BE18AFBF915D1C189E58598"},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("../../shared/data/apps", c.file))
			if err != nil {
				t.Skipf("sample missing: %v", err)
			}
			var body struct{ KeyCredentials []map[string]any }
			if err := json.Unmarshal(raw, &body); err != nil {
				t.Fatal(err)
			}
			v, _ := body.KeyCredentials[0][c.field].(string)
			b, err := Load(c.field, []byte(v), "")
			if err != nil {
				t.Fatal(err)
			}
			tp := ThumbprintsOf(b.Certs[0])
			if tp.SHA1Hex != c.sha1 {
				t.Fatalf("sha1 %s, want %s", tp.SHA1Hex, c.sha1)
			}
			if ok, err := MatchThumbprint(b.Certs[0], strings.ToLower(c.sha1)); !ok || err != nil {
				t.Fatalf("match: %v %v", ok, err)
			}
			if b.Certs[0].Subject.CommonName != "CLI-Login" {
				t.Fatalf("subject %v", b.Certs[0].Subject)
			}
		})
	}
}

func TestParseThumbprint(t *testing.T) {
	f := testFixture(t)
	tp := ThumbprintsOf(f.cert)
	colons := ""
	for i := 0; i < len(tp.SHA1Hex); i += 2 {
		colons += tp.SHA1Hex[i:i+2] + ":"
	}
	cases := []struct {
		name, in, kind, form, problem string
	}{
		{"hex", tp.SHA1Hex, KindSHA1, FormHex, ""},
		{"hex lower", strings.ToLower(tp.SHA1Hex), KindSHA1, FormHex, ""},
		{"hex colons", strings.TrimSuffix(colons, ":"), KindSHA1, FormHex, "hex-separators"},
		{"base64", tp.SHA1Base64, KindSHA1, FormBase64, ""},
		{"x5t", tp.X5t, KindSHA1, "", ""},
		{"x5t padded", tp.X5t + "=", KindSHA1, "", ""},
		{"x5t#S256", tp.X5tS256, KindSHA256, "", ""},
		{"sha256 hex", tp.SHA256Hex, KindSHA256, FormHex, ""},
		{"hex text in x5t", base64.RawURLEncoding.EncodeToString([]byte(tp.SHA1Hex)), KindSHA1, FormHexInBase64, "hex-thumbprint-in-x5t"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := ParseThumbprintForm(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if p.Kind != c.kind || (c.form != "" && p.Form != c.form) {
				t.Fatalf("kind %s form %s", p.Kind, p.Form)
			}
			if c.problem != "" && !hasProblem(p.Problems, c.problem) {
				t.Fatalf("problems %v", p.Problems)
			}
			if ok, _ := MatchThumbprint(f.cert, c.in); !ok {
				t.Fatal("does not match its certificate")
			}
			// Every form converts back to the same canonical forms.
			want := tp.SHA1Hex
			wantURL := tp.X5t
			if p.Kind == KindSHA256 {
				want, wantURL = tp.SHA256Hex, tp.X5tS256
			}
			if p.Hex() != want || p.Base64URL() != wantURL {
				t.Fatalf("hex %s base64url %s, want %s %s", p.Hex(), p.Base64URL(), want, wantURL)
			}
			if (Thumbprints{}).Matches(p) || (Thumbprints{SHA1Hex: tp.SHA256Hex, SHA256Hex: tp.SHA1Hex}).Matches(p) {
				t.Fatal("matches unknown or swapped hashes")
			}
		})
	}
	for _, bad := range []string{"", "xyz", "AAAA", strings.Repeat("A", 39)} {
		if _, _, err := ParseThumbprint(bad); !errors.Is(err, ErrNotThumbprint) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestShapeOfSecret(t *testing.T) {
	cases := []struct{ in, problem string }{
		{"abc~DEF.ghi_jkl-mno1234567890ABCDEFG", ""},
		{"abc~DEF.ghi_jkl-mno1234567890ABCDEFG\n", "newline"},
		{" abc~DEF.ghi_jkl-mno1234567890ABCDEFG", "whitespace"},
		{`"abc~DEF.ghi_jkl-mno1234567890ABCDEFG"`, "quotes"},
		{"73c912d2-1a2b-4c3d-8e9f-0123456789ab", "secret-id"},
		{"abc+def&ghi=jkl", "form-encoding"},
	}
	for _, c := range cases {
		sh := ShapeOfSecret(c.in)
		if c.problem == "" && len(sh.Problems) > 0 || c.problem != "" && !hasProblem(sh.Problems, c.problem) {
			t.Errorf("%q: %v", Redact(c.in), sh.Problems)
		}
	}
	if sh := ShapeOfSecret("abc~DEF"); sh.Hint != "abc" || sh.Length != 7 {
		t.Fatalf("%+v", sh)
	}
	if r := Redact("abcdefghijklmnopqrstuvwxyz0123456789"); strings.Contains(r, "ghijklmnop") || !strings.Contains(r, "36 chars") {
		t.Fatalf("redact %q", r)
	}
}

func TestPFXIterationBomb(t *testing.T) {
	f := testFixture(t)
	pfx, err := pkcs12.Modern.WithIterations(2048).Encode(f.key, f.cert, nil, "pw")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Load("ok.pfx", pfx, "pw"); err != nil {
		t.Fatalf("a normal PFX is refused: %v", err)
	}
	// Rewrite the MAC iteration count (the last INTEGER, 2048 = 02 02 08 00)
	// into a huge one of the same length is impossible; re-encode instead.
	var p struct {
		Version  int
		AuthSafe asn1.RawValue
		MacData  struct {
			Mac        asn1.RawValue
			MacSalt    []byte
			Iterations int
		}
	}
	if _, err := asn1.Unmarshal(pfx, &p); err != nil {
		t.Fatal(err)
	}
	p.MacData.Iterations = 1 << 30
	bomb, err := asn1.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Load("bomb.pfx", bomb, "pw"); !errors.Is(err, ErrCorruptPFX) {
		t.Fatalf("iteration bomb: %v", err)
	}
}
