package diagnose_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/aadsts/aadsts/diagnose"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenReport is a fixed report (not built from the catalog, whose
// wording may change) to pin the renderers' layout.
func goldenReport() *diagnose.Report {
	return &diagnose.Report{
		Kind: diagnose.KindAssertion, EntraCode: 700027, Error: "invalid_client", HTTPStatus: 401,
		Description: "AADSTS700027: The certificate with identifier used to sign the client assertion is expired on application. [Reason - The key used is expired., Thumbprint of key used by client: 'A1B2', Found key 'Start=03/01/2025 12:00:00, End=02/28/2026 12:00:00']",
		Meaning:     &diagnose.Meaning{Code: 700027, Meaning: "The client assertion's key is not usable.", URI: "https://login.microsoftonline.com/error?code=700027", Guide: true},
		Checks: []diagnose.Check{
			{ID: "assertion.alg", Status: "pass", Detail: "alg PS256"},
			{ID: "assertion.aud", Status: "warn", Detail: "aud has the shape of an Entra token endpoint | piped"},
			{ID: "assertion.key-window", Status: "fail", Code: 700027, Detail: "the registered key is expired at 2026-02-28T12:00:00Z", Fix: "Register a renewed certificate."},
			{ID: "assertion.signature", Status: "skip", Detail: "not reached"},
		},
		CrossChecks: []diagnose.Check{{ID: "error.thumbprint", Status: "pass", Detail: "the thumbprint in the error is the given certificate's"}},
		Evidence:    []diagnose.Fact{{Name: "certificate_sha1", Value: "A1B2"}},
		Notes:       []string{"--cert cert.pem: the file starts with a UTF-8 byte order mark"},
	}
}

func TestRenderGolden(t *testing.T) {
	for _, f := range diagnose.Formats() {
		t.Run(f, func(t *testing.T) {
			var b bytes.Buffer
			if err := diagnose.Render(&b, goldenReport(), f); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "report."+f+".golden")
			if *update {
				if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if !bytes.Equal(b.Bytes(), want) {
				t.Errorf("%s output differs from %s:\n%s", f, path, b.String())
			}
		})
	}
	if err := diagnose.Render(&bytes.Buffer{}, goldenReport(), "yaml"); err == nil {
		t.Error("an unknown format is accepted")
	}
}

func TestRenderColor(t *testing.T) {
	var plain, color bytes.Buffer
	if err := diagnose.RenderWith(&plain, goldenReport(), "text", diagnose.RenderOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := diagnose.RenderWith(&color, goldenReport(), "text", diagnose.RenderOptions{Color: true}); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(plain.Bytes(), []byte("\x1b[")) || !bytes.Contains(color.Bytes(), []byte("\x1b[1;31mFAIL\x1b[0m")) {
		t.Errorf("colour: plain has escapes or coloured lacks them:\n%q", color.String())
	}
}
