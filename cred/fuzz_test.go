package cred

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/aadsts/aadsts/cred/credtest"
)

// FuzzLoad feeds the certificate/key/PFX loader real certificates from the
// shared Graph recordings and JWKS, plus generated PEM, DER and PFX files.
func FuzzLoad(f *testing.F) {
	for _, name := range []string{
		"apps/azure-cli_aadgraph1.6_POST-applications_with-keyCredential.request.json",
		"apps/azure-cli_msgraph-v1.0_PATCH-application_keyCredentials.request.json",
	} {
		raw, err := os.ReadFile(filepath.Join("../../shared/data", name))
		if err != nil {
			continue
		}
		var body struct{ KeyCredentials []map[string]any }
		_ = json.Unmarshal(raw, &body)
		for _, kc := range body.KeyCredentials {
			for _, field := range []string{"key", "value"} {
				if v, ok := kc[field].(string); ok {
					f.Add([]byte(v), "")
					if der, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(v, "\n", "")); err == nil {
						f.Add(der, "")
						f.Add(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), "")
					}
				}
			}
		}
	}
	fx := testFixture(f)
	p8, _ := x509.MarshalPKCS8PrivateKey(fx.key)
	f.Add(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: p8}), "")
	f.Add(pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: encryptPKCS8(f, p8, "pw", 16, 16)}), "pw")
	f.Add([]byte(strings.ReplaceAll(credtest.PEM("CERTIFICATE", fx.cert.Raw), "\n", "\r\n")), "")
	f.Add(utf16le(credtest.PEM("CERTIFICATE", fx.cert.Raw)), "")
	if pfx, err := pkcs12.Modern.Encode(fx.key, fx.cert, nil, "pw"); err == nil {
		f.Add(pfx, "pw")
		f.Add(pfx, "wrong")
	}
	f.Fuzz(func(t *testing.T, data []byte, password string) {
		b, err := Load("fuzz", data, password)
		if err != nil {
			// The password must not leak into the error. Text that also
			// appears with another password is our own wording.
			if len(password) > 3 && strings.Contains(err.Error(), password) {
				if _, other := Load("fuzz", data, "\x01"); other == nil || !strings.Contains(other.Error(), password) {
					t.Fatalf("error %q holds the password", err)
				}
			}
			return
		}
		for _, c := range b.Certs {
			_ = ThumbprintsOf(c)
		}
		_ = b.Leaf()
		_ = b.RequireKey()
	})
}

func FuzzParseThumbprint(f *testing.F) {
	for _, s := range []string{"A602F1EE56114DA74F90A7F0579870FE4B99B8C7", "kriMPdmBvx68skT8-mPAB3BseeA", "pgLx7lYRTadPkKfwV5hw/kuZuMc=", "a6:02:f1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseThumbprintForm(s)
		if err == nil && len(p.Sum) != 20 && len(p.Sum) != 32 {
			t.Fatalf("accepted a %d-byte thumbprint", len(p.Sum))
		}
	})
}
