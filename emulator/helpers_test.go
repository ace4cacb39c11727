package emulator_test

import (
	"crypto/x509"
	"io"
	"net/http"
	"testing"

	"github.com/aadsts/aadsts/emulator/fixture"
)

func certs(f *fixture.Fixture) []*x509.Certificate { return []*x509.Certificate{f.Cert} }

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
