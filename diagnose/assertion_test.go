package diagnose_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aadsts/aadsts/diagnose"
	"github.com/aadsts/aadsts/rules"
	"github.com/aadsts/aadsts/rules/scenarios"
)

// Every certificate-assertion scenario of the suite gives the same code
// through `diagnose assertion` with an exported app (no secret values) and
// the user's certificate, as through the rules.
func TestAssertionScenarios(t *testing.T) {
	s := testSuite(t)
	fs := files(t, s)
	n := 0
	for _, sc := range s.Scenarios {
		tok := sc.Form.Get("client_assertion")
		if tok == "" || sc.Form.Get("client_id") != scenarios.AppID || sc.Form.Get("client_assertion_type") != rules.AssertionTypeJWTBearer {
			continue
		}
		n++
		t.Run(sc.Name, func(t *testing.T) {
			r, err := diagnose.Assertion(diagnose.AssertionOptions{
				Env: diagnose.Env{Now: s.Now, ReadFile: fs.read}, Assertion: tok, Cert: "cert.pem", App: "app.json",
				ClientID: scenarios.AppID, Tenant: scenarios.TenantID, TokenEndpoint: sc.URL,
			})
			if err != nil {
				t.Fatal(err)
			}
			if r.EntraCode != sc.WantCode {
				t.Errorf("entra_code %d, want %d (%s)", r.EntraCode, sc.WantCode, sc.Rule)
				for _, c := range r.Checks {
					t.Logf("%s %s %d %s", c.ID, c.Status, c.Code, c.Detail)
				}
			}
			if sc.WantCode != 0 && (r.Meaning == nil || r.Meaning.Code != sc.WantCode) {
				t.Errorf("meaning %+v", r.Meaning)
			}
		})
	}
	if n < 30 {
		t.Fatalf("only %d assertion scenarios", n)
	}
}

func TestAssertionJSONContract(t *testing.T) {
	s := testSuite(t)
	fs := files(t, s)
	tok := scenarioToken(t, s, "key-expired")
	r, err := diagnose.Assertion(diagnose.AssertionOptions{Env: diagnose.Env{Now: s.Now, ReadFile: fs.read}, Assertion: tok, PFX: "app.pfx", PFXPassword: pfxPassword, App: "app.json",
		TokenEndpoint: s.TokenURL(scenarios.TenantID)})
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		EntraCode int `json:"entra_code"`
		Checks    []struct {
			ID     string `json:"id"`
			Status string `json:"status"`
			Code   *int   `json:"code"`
			Detail string `json:"detail"`
			Fix    string `json:"fix"`
		} `json:"checks"`
	}
	if err := json.Unmarshal([]byte(render(t, r)["json"]), &got); err != nil {
		t.Fatal(err)
	}
	if got.EntraCode != 700027 {
		t.Fatalf("entra_code %d", got.EntraCode)
	}
	var failing int
	for _, c := range got.Checks {
		if c.Code == nil || c.ID == "" || c.Status == "" {
			t.Errorf("check lacks a field: %+v", c)
		}
		if c.Status == "fail" {
			failing++
			if *c.Code != 700027 || c.ID != "assertion.key-window" || c.Fix == "" {
				t.Errorf("failing check %+v", c)
			}
		}
	}
	if failing != 1 {
		t.Errorf("%d failing checks", failing)
	}
}

// The thumbprint and time in the error the user got are checked against
// the certificate given.
func TestAssertionCrossCheck(t *testing.T) {
	s := testSuite(t)
	fs := files(t, s)
	tok := scenarioToken(t, s, "cert-rs256-x5t")
	errText := `{"error":"invalid_client","error_description":"AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '1C74D736BEA6C95459FD38D02D0A2514A52FC9E9', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '` + scenarios.AppID + `'.] Trace ID: 0000aaaa-11bb-cccc-dd33-eeeeee333333 Correlation ID: aaaa0000-bb11-2222-33cc-444444dddddd Timestamp: 2026-03-01 11:58:00Z","error_codes":[700027]}`
	fs["error.json"] = []byte(errText)
	r, err := diagnose.Assertion(diagnose.AssertionOptions{Env: diagnose.Env{Now: s.Now, ReadFile: fs.read}, Assertion: tok, Cert: "cert.pem", Key: "key.pem", App: "app.json",
		TokenEndpoint: s.TokenURL(scenarios.TenantID), Error: "error.json"})
	if err != nil {
		t.Fatal(err)
	}
	if r.EntraCode != 0 || !r.Failed() {
		t.Fatalf("entra_code %d, failed %v: the artifacts are fine but the error names another certificate", r.EntraCode, r.Failed())
	}
	want := map[string]string{"error.code": "warn", "error.thumbprint": "fail", "error.thumbprint-registered": "fail"}
	for _, c := range r.CrossChecks {
		if w, ok := want[c.ID]; ok {
			if c.Status != w {
				t.Errorf("%s: %s, want %s (%s)", c.ID, c.Status, w, c.Detail)
			}
			delete(want, c.ID)
		}
	}
	if len(want) > 0 {
		t.Errorf("missing cross checks %v in %+v", want, r.CrossChecks)
	}
	if !strings.Contains(render(t, r)["text"], "1C74D736BEA6C95459FD38D02D0A2514A52FC9E9") {
		t.Error("text output does not name the error's thumbprint")
	}
}

func TestAssertionUsageErrors(t *testing.T) {
	s := testSuite(t)
	fs := files(t, s)
	for name, o := range map[string]diagnose.AssertionOptions{
		"no assertion":   {},
		"missing file":   {Assertion: "nope.jwt"},
		"wrong password": {Assertion: "eyJhbGciOiJSUzI1NiJ9.e30.c2ln", PFX: "app.pfx", PFXPassword: "wrong"},
		"missing app":    {Assertion: "eyJhbGciOiJSUzI1NiJ9.e30.c2ln", App: "nope.json"},
	} {
		t.Run(name, func(t *testing.T) {
			o.Env = diagnose.Env{Now: s.Now, ReadFile: fs.read}
			_, err := diagnose.Assertion(o)
			if err == nil || !strings.Contains(err.Error(), "usage") {
				t.Fatalf("err %v, want a usage error", err)
			}
			if strings.Contains(err.Error(), "wrong") && strings.Contains(err.Error(), pfxPassword) {
				t.Fatal("the error holds the password")
			}
		})
	}
}

// An expired-key error: the registered key's window against the error's
// timestamp, from the error's own "Found key" dates or from the export.
func TestAssertionCrossCheckKeyWindow(t *testing.T) {
	s := testSuite(t)
	fs := files(t, s)
	tok := scenarioToken(t, s, "key-expired")
	r0, err := diagnose.Assertion(diagnose.AssertionOptions{Env: diagnose.Env{Now: s.Now, ReadFile: fs.read}, Assertion: tok, App: "app.json", TokenEndpoint: s.TokenURL(scenarios.TenantID)})
	if err != nil || r0.EntraCode != 700027 {
		t.Fatalf("err %v code %d", err, r0.EntraCode)
	}
	withDates := r0.Description + " Trace ID: 0000aaaa-11bb-cccc-dd33-eeeeee333333 Correlation ID: aaaa0000-bb11-2222-33cc-444444dddddd Timestamp: 2026-03-01 12:00:05Z"
	noDates := "AADSTS700027: The certificate with identifier used to sign the client assertion is expired on application. [Reason - The key used is expired.] Timestamp: 2026-03-01 12:00:05Z"
	for name, text := range map[string]string{"dates in the error": withDates, "dates from the export": noDates} {
		t.Run(name, func(t *testing.T) {
			r, err := diagnose.Assertion(diagnose.AssertionOptions{Env: diagnose.Env{Now: s.Now, ReadFile: fs.read}, Assertion: tok, App: "app.json",
				TokenEndpoint: s.TokenURL(scenarios.TenantID), Error: text})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, c := range r.CrossChecks {
				got[c.ID] = c.Status
			}
			if got["error.code"] != "pass" || got["error.key-window"] != "pass" {
				t.Errorf("cross checks %+v", r.CrossChecks)
			}
		})
	}
}

// Without --token-endpoint and --client-id, as a user often runs it: the
// app export's only application is the client, and aud is judged by shape.
func TestAssertionMinimalFlags(t *testing.T) {
	s := testSuite(t)
	fs := files(t, s)
	for name, want := range map[string]int{
		"cert-rs256-x5t": 0, "iss-not-client-id": 700021, "aud-host-alias": 700023, "aud-common": 700023, "aud-issuer-form": 700023,
		"key-expired": 700027, "key-not-registered": 700027, "expired": 700024, "wrong-private-key": 700027, "alg-es256": 5002738,
	} {
		t.Run(name, func(t *testing.T) {
			r, err := diagnose.Assertion(diagnose.AssertionOptions{Env: diagnose.Env{Now: s.Now, ReadFile: fs.read}, Assertion: scenarioToken(t, s, name), Cert: "cert.pem", App: "app.json"})
			if err != nil {
				t.Fatal(err)
			}
			if r.EntraCode != want {
				t.Errorf("entra_code %d, want %d: %+v", r.EntraCode, want, r.Checks)
			}
		})
	}
}

// Federated assertions against `az ad app federated-credential list`
// output (a bare list, held by a synthetic application).
func TestAssertionFederatedCredentialList(t *testing.T) {
	s := testSuite(t)
	fs := files(t, s)
	app, _ := s.Directory.Tenants[0].FindApplication(scenarios.FICAppID)
	list, err := json.Marshal(app.FederatedIdentityCredentials)
	if err != nil {
		t.Fatal(err)
	}
	fs["fic.json"] = list
	for name, want := range map[string]int{
		"fic-github-ok": 0, "fic-issuer-mismatch": 700211, "fic-issuer-trailing-slash": 700211, "fic-subject-mismatch": 700213,
		"fic-subject-case": 7002138, "fic-audience-mismatch": 700212, "fic-expired": 700024, "fic-es256": 5002738,
		"fic-managed-identity-subject": 7002137, "fic-entra-delegated-token": 700229,
	} {
		t.Run(name, func(t *testing.T) {
			r, err := diagnose.Assertion(diagnose.AssertionOptions{Env: diagnose.Env{Now: s.Now, ReadFile: fs.read}, Assertion: scenarioToken(t, s, name), App: "fic.json", ClientID: scenarios.FICAppID})
			if err != nil {
				t.Fatal(err)
			}
			if r.EntraCode != want {
				t.Errorf("entra_code %d, want %d: %+v", r.EntraCode, want, r.Checks)
			}
		})
	}
}
