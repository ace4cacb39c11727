package emulator_test

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
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

func pemDecode(b []byte) ([]byte, error) {
	block, _ := pem.Decode(b)
	if block == nil {
		return nil, errors.New("no PEM block")
	}
	return block.Bytes, nil
}
