package diagnose_test

import (
	"bytes"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io/fs"
	"sync"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/aadsts/aadsts/diagnose"
	"github.com/aadsts/aadsts/rules/scenarios"
)

var suiteNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

var (
	suiteOnce sync.Once
	suite     *scenarios.Suite
	suiteErr  error
)

// testSuite builds the scenario suite once for the package's tests.
func testSuite(t testing.TB) *scenarios.Suite {
	t.Helper()
	suiteOnce.Do(func() { suite, suiteErr = scenarios.New(scenarios.DefaultBaseURL, suiteNow) })
	if suiteErr != nil {
		t.Fatal(suiteErr)
	}
	return suite
}

// memFiles is an in-memory file set for Env.ReadFile.
type memFiles map[string][]byte

func (m memFiles) read(name string) ([]byte, error) {
	if b, ok := m[name]; ok {
		return b, nil
	}
	return nil, fmt.Errorf("open %s: %w", name, fs.ErrNotExist)
}

const pfxPassword = "pfx-Passw0rd-for-tests"

// files returns the suite's credentials and app export as files: the
// certificate PEM, the key PEM (PKCS#8), a PFX, and the app (Graph JSON,
// secrets null, as exported).
func files(t testing.TB, s *scenarios.Suite) memFiles {
	t.Helper()
	keyDER, err := x509.MarshalPKCS8PrivateKey(s.Cert.Key)
	if err != nil {
		t.Fatal(err)
	}
	pfx, err := pkcs12.Modern.Encode(s.Cert.Key, s.Cert.Cert, nil, pfxPassword)
	if err != nil {
		t.Fatal(err)
	}
	tenant := s.Directory.Tenants[0]
	app, ok := tenant.FindApplication(scenarios.AppID)
	if !ok {
		t.Fatal("suite has no app")
	}
	appJSON, err := json.Marshal(app)
	if err != nil {
		t.Fatal(err)
	}
	return memFiles{
		"cert.pem": pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Cert.Cert.Raw}),
		"key.pem":  pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}),
		"app.pfx":  pfx,
		"app.json": appJSON,
		"secret":   []byte(scenarios.SecretValue),
	}
}

func render(t testing.TB, r *diagnose.Report) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, f := range diagnose.Formats() {
		var b bytes.Buffer
		if err := diagnose.Render(&b, r, f); err != nil {
			t.Fatal(err)
		}
		out[f] = b.String()
	}
	return out
}

// scenarioToken returns the client assertion of the named scenario.
func scenarioToken(t testing.TB, s *scenarios.Suite, name string) string {
	t.Helper()
	for _, sc := range s.Scenarios {
		if sc.Name == name {
			return sc.Form.Get("client_assertion")
		}
	}
	t.Fatalf("no scenario %s", name)
	return ""
}
