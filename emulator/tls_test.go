package emulator_test

import (
	"crypto/x509"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aadsts/aadsts/emulator"
)

func TestLocalTLSIsReusedAndNameConstrained(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	now := time.Now()
	first, err := emulator.LocalTLS(dir, now)
	if err != nil {
		t.Fatal(err)
	}
	if !first.Created {
		t.Fatal("first run did not create material")
	}
	again, err := emulator.LocalTLS(dir, now)
	if err != nil {
		t.Fatal(err)
	}
	if again.Created || string(again.CAPEM) != string(first.CAPEM) {
		t.Fatal("second run did not reuse the stored CA")
	}
	if fi, err := os.Stat(filepath.Join(dir, "emulator-server-key.pem")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("server key file: %v %v", fi.Mode(), err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Fatalf("data directory holds %d files, want CA cert, server cert, server key only", len(entries))
	}
	leaf := first.Certificate.Leaf
	for _, name := range []string{"localhost", "127.0.0.1", "::1"} {
		if err := leaf.VerifyHostname(name); err != nil {
			t.Errorf("server certificate does not cover %s: %v", name, err)
		}
	}
	// The CA cannot vouch for other hosts: name constraints.
	block, _ := pemDecode(first.CAPEM)
	ca, err := x509.ParseCertificate(block)
	if err != nil {
		t.Fatal(err)
	}
	if !ca.PermittedDNSDomainsCritical || len(ca.PermittedDNSDomains) != 1 || ca.PermittedDNSDomains[0] != "localhost" {
		t.Errorf("CA name constraints: %v", ca.PermittedDNSDomains)
	}
	// Near expiry, new material replaces the old.
	later, err := emulator.LocalTLS(dir, first.NotAfter.Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if !later.Created {
		t.Error("material about to expire was not renewed")
	}
}
