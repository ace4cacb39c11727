package cred

import (
	"testing"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/aadsts/aadsts/cred/credtest"
)

func BenchmarkLoadPFX(b *testing.B) {
	f := testFixture(b)
	pfx, err := pkcs12.Modern.Encode(f.key, f.cert, nil, "pw")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Load("bench.pfx", pfx, "pw"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadPEM(b *testing.B) {
	f := testFixture(b)
	data := []byte(credtest.PEM("CERTIFICATE", f.cert.Raw))
	for b.Loop() {
		if _, err := Load("bench.pem", data, ""); err != nil {
			b.Fatal(err)
		}
	}
}
