package cred

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestOpenSSLFiles reads what the openssl command line writes: PFX files
// without a key, without a certificate and with a chain, and encrypted
// PKCS#8 keys. It skips when openssl is not installed.
func TestOpenSSLFiles(t *testing.T) {
	bin, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl not installed: the OpenSSL-written PFX and PKCS#8 cases are not checked")
	}
	dir := t.TempDir()
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Skipf("openssl %v: %v: %s", args[0], err, out)
		}
	}
	run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "2", "-subj", "/CN=openssl-test")
	run("pkcs12", "-export", "-in", "cert.pem", "-inkey", "key.pem", "-out", "full.pfx", "-passout", "pass:pw-123")
	run("pkcs12", "-export", "-in", "cert.pem", "-inkey", "key.pem", "-out", "empty.pfx", "-passout", "pass:")
	run("pkcs12", "-export", "-nokeys", "-in", "cert.pem", "-out", "nokey.pfx", "-passout", "pass:pw-123")
	run("pkcs12", "-export", "-nocerts", "-inkey", "key.pem", "-out", "keyonly.pfx", "-passout", "pass:pw-123")
	run("pkcs8", "-topk8", "-in", "key.pem", "-out", "enc.pem", "-passout", "pass:pw-123", "-v2", "aes-256-cbc")
	cases := []struct {
		file     string
		password string
		certs    int
		key      bool
		problem  string
		err      error
	}{
		{"full.pfx", "pw-123", 1, true, "", nil},
		{"full.pfx", "wrong-1", 0, false, "", ErrWrongPassword},
		{"full.pfx", "", 0, false, "", ErrPasswordRequired},
		{"empty.pfx", "", 1, true, "", nil},
		{"nokey.pfx", "pw-123", 1, false, "pfx-no-private-key", nil},
		{"keyonly.pfx", "pw-123", 0, true, "pfx-no-certificate", nil},
		{"enc.pem", "pw-123", 0, true, "encrypted-key", nil},
		{"enc.pem", "wrong-1", 0, false, "", ErrWrongPassword},
	}
	for _, c := range cases {
		t.Run(c.file+"/"+c.password, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, c.file))
			if err != nil {
				t.Fatal(err)
			}
			b, err := Load(c.file, data, c.password)
			if c.err != nil {
				if !errors.Is(err, c.err) {
					t.Fatalf("err %v, want %v", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(b.Certs) != c.certs || (b.Key != nil) != c.key {
				t.Fatalf("certs %d key %v (problems %v)", len(b.Certs), b.Key != nil, b.Problems)
			}
			if c.problem != "" && !hasProblem(b.Problems, c.problem) {
				t.Fatalf("problem %s not named: %v", c.problem, b.Problems)
			}
		})
	}
}
