// Command diagnosefixture writes the files the diagnose benchmark feeds to
// `aadsts diagnose assertion`: a certificate, an app registration export,
// an accepted assertion and an expired one, made from the scenario suite.
package main

import (
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/aadsts/aadsts/rules/scenarios"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "diagnosefixture:", err)
		os.Exit(1)
	}
}

func run() error {
	if len(os.Args) != 2 {
		return fmt.Errorf("usage: diagnosefixture DIR")
	}
	dir := os.Args[1]
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	s, err := scenarios.New(scenarios.DefaultBaseURL, now)
	if err != nil {
		return err
	}
	app, _ := s.Directory.Tenants[0].FindApplication(scenarios.AppID)
	appJSON, err := json.Marshal(app)
	if err != nil {
		return err
	}
	files := map[string][]byte{
		"cert.pem": pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Cert.Cert.Raw}),
		"app.json": appJSON,
		"endpoint": []byte(s.TokenURL(scenarios.TenantID)),
		"now":      []byte(now.Format(time.RFC3339)),
	}
	for _, sc := range s.Scenarios {
		switch sc.Name {
		case "cert-ps256-x5t#S256":
			files["ok.jwt"] = []byte(sc.Form.Get("client_assertion"))
		case "key-expired":
			files["key-expired.jwt"] = []byte(sc.Form.Get("client_assertion"))
		}
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			return err
		}
	}
	return nil
}
