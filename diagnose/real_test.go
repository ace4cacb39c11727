package diagnose_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aadsts/aadsts/cred"
	"github.com/aadsts/aadsts/diagnose"
	"github.com/aadsts/aadsts/jose"
)

// The AAD Graph recording: the certificate posted in the request has the
// SHA-1 that the response gives as customKeyIdentifier (with key null). An
// assertion naming that certificate finds the registered key through the
// customKeyIdentifier, and its signature is then checked with the user's
// --cert because the export carries no certificate bytes.
func TestRealAADGraphRecording(t *testing.T) {
	reqFile := sharedData + "apps/azure-cli_aadgraph1.6_POST-applications_with-keyCredential.request.json"
	respFile := sharedData + "apps/azure-cli_aadgraph1.6_application_with-keyCredential.response.json"
	reqJSON, err := os.ReadFile(reqFile)
	if err != nil {
		t.Skipf("shared data not available: %v", err)
	}
	var posted struct {
		KeyCredentials []struct {
			Value string `json:"value"`
		} `json:"keyCredentials"`
	}
	if err := json.Unmarshal(reqJSON, &posted); err != nil || len(posted.KeyCredentials) == 0 {
		t.Fatalf("request recording: %v", err)
	}
	der, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(posted.KeyCredentials[0].Value, "\n", ""))
	if err != nil {
		t.Fatal(err)
	}
	tp := cred.ThumbprintsOfDER(der)
	if tp.SHA1Hex != "A602F1EE56114DA74F90A7F0579870FE4B99B8C7" {
		t.Fatalf("posted certificate SHA-1 %s", tp.SHA1Hex)
	}
	// An assertion naming that certificate, signed with another key (the
	// recording holds no private key): Entra finds the key, then the
	// signature fails.
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	const appID = "7bf4dc12-c906-4dcc-88af-92945447ab3c"
	ep := "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token"
	now := time.Date(2022, 6, 1, 12, 0, 0, 0, time.UTC)
	tok, err := jose.Sign(map[string]any{"aud": ep, "iss": appID, "sub": appID, "exp": now.Add(5 * time.Minute).Unix(), "nbf": now.Add(-time.Minute).Unix(), "jti": "x"},
		map[string]any{"x5t": tp.X5t}, key, "RS256")
	if err != nil {
		t.Fatal(err)
	}
	resp, _ := os.ReadFile(respFile)
	fs := memFiles{"app.json": resp, "cert.pem": pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
	r, err := diagnose.Assertion(diagnose.AssertionOptions{Env: diagnose.Env{Now: now, ReadFile: fs.read}, Assertion: tok, Cert: "cert.pem", App: "app.json", TokenEndpoint: ep})
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]string{}
	for _, c := range r.Checks {
		status[c.ID] = c.Status
	}
	for id, want := range map[string]string{"assertion.kid-registered": "pass", "assertion.key-window": "pass", "assertion.signature": "fail", "local.cert-registered": "pass"} {
		if status[id] != want {
			t.Errorf("%s: %q, want %q (%v)", id, status[id], want, status)
		}
	}
	if r.EntraCode != 700027 {
		t.Errorf("entra_code %d", r.EntraCode)
	}
	// A year later the registered key has ended.
	r, _ = diagnose.Assertion(diagnose.AssertionOptions{Env: diagnose.Env{Now: now.AddDate(1, 0, 0), ReadFile: fs.read}, Assertion: tok, Cert: "cert.pem", App: "app.json", TokenEndpoint: ep})
	if r.EntraCode != 700024 {
		t.Errorf("a year later: entra_code %d (the assertion itself expired first)", r.EntraCode)
	}
}
