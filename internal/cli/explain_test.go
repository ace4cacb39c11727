package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const tokenJSON7000215 = `{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '396c2760-2fa5-4948-b9d5-9839a7440836'.\r\nTrace ID: 3ce379e4-441f-4eae-9730-fc0220183001\r\nCorrelation ID: 54752956-bf4f-48f1-b808-6ecae2522f59\r\nTimestamp: 2022-06-18 03:16:39Z","error_codes":[7000215],"timestamp":"2022-06-18 03:16:39Z","trace_id":"3ce379e4-441f-4eae-9730-fc0220183001","correlation_id":"54752956-bf4f-48f1-b808-6ecae2522f59","error_uri":"https://login.microsoftonline.com/error?code=7000215"}`

func TestExplainCLI(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "error.log")
	if err := os.WriteFile(file, []byte("2024-05-14T13:49:32Z ##[error] AADSTS700027: Client assertion contains an invalid signature. [Reason - The key was not found., Thumbprint of key used by client: '977B10FB9D1C087E3105564B1D31B09D247BEBCD']"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		stdin    string
		args     []string
		code     int
		stdout   []string // substrings stdout must have
		stderr   string
		noStdout []string
	}{
		{name: "bare code", args: []string{"explain", "700027"}, code: ExitOK, stdout: []string{"AADSTS700027", "Likely causes", "error?code=700027"}},
		{name: "text as arguments", args: []string{"explain", "AADSTS50011:", "The", "redirect", "URI", "'http://localhost:3000'", "specified", "in", "the", "request"}, code: ExitOK, stdout: []string{"AADSTS50011", "redirect_uri", "http://localhost:3000"}},
		{name: "stdin dash", stdin: tokenJSON7000215, args: []string{"explain", "-"}, code: ExitOK, stdout: []string{"AADSTS7000215", "396c2760-2fa5-4948-b9d5-9839a7440836"}},
		{name: "stdin no args markdown", stdin: tokenJSON7000215, args: []string{"explain", "--output", "markdown"}, code: ExitOK, stdout: []string{"## AADSTS7000215", "| trace_id |"}},
		{name: "file", args: []string{"explain", "--file", file}, code: ExitOK, stdout: []string{"977B10FB9D1C087E3105564B1D31B09D247BEBCD", "thumbprint"}},
		{name: "facts", args: []string{"explain", "--output", "json", "--fact", "assertion.signature=fail", "AADSTS700027"}, code: ExitOK, stdout: []string{`"assertion.signature=fail"`}},
		{name: "no code", stdin: "connection reset by peer", args: []string{"explain"}, code: ExitFound, stdout: []string{"No AADSTS code found"}, stderr: "no AADSTS code"},
		{name: "unknown code", args: []string{"explain", "AADSTS9999999:", "something new"}, code: ExitFound, stdout: []string{"not in the aadsts catalog", "error?code=9999999"}, stderr: "AADSTS9999999"},
		{name: "bad output", args: []string{"explain", "--output", "xml", "700027"}, code: ExitUsage, stderr: "--output"},
		{name: "missing file", args: []string{"explain", "--file", filepath.Join(dir, "nope.txt")}, code: ExitUsage, stderr: "nope.txt"},
		{name: "file and args", args: []string{"explain", "--file", file, "700027"}, code: ExitUsage, stderr: "not both"},
		{name: "empty stdin", stdin: " \n", args: []string{"explain"}, code: ExitUsage, stderr: "empty"},
		{name: "bad fact", args: []string{"explain", "--fact", "nonsense", "700027"}, code: ExitUsage, stderr: "CHECK=STATUS"},
		{name: "list", args: []string{"explain", "--list"}, code: ExitOK, stdout: []string{"CODE", "AADSTS50011", "AADSTS700027"}},
		{name: "list category", args: []string{"explain", "--list", "--category", "tenant", "--output", "markdown"}, code: ExitOK, stdout: []string{"| [AADSTS90002]"}, noStdout: []string{"AADSTS700027"}},
		{name: "bad category", args: []string{"explain", "--list", "--category", "nope"}, code: ExitUsage, stderr: "--category"},
		{name: "category without list", args: []string{"explain", "--category", "tenant", "700027"}, code: ExitUsage, stderr: "--list"},
		{name: "search", args: []string{"explain", "--search", "client", "secret"}, code: ExitOK, stdout: []string{"AADSTS7000215"}},
		{name: "search nothing", args: []string{"explain", "--search", "zzqqxxnothing"}, code: ExitFound, stderr: "no catalog entry"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tt.stdin, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, out, errOut)
			}
			for _, s := range tt.stdout {
				if !strings.Contains(out, s) {
					t.Errorf("stdout lacks %q:\n%s", s, out)
				}
			}
			for _, s := range tt.noStdout {
				if strings.Contains(out, s) {
					t.Errorf("stdout has %q", s)
				}
			}
			if !strings.Contains(errOut, tt.stderr) {
				t.Errorf("stderr %q lacks %q", errOut, tt.stderr)
			}
			if strings.Contains(out, "\x1b[") {
				t.Error("colour escapes in output that is not a terminal")
			}
		})
	}
}

func TestExplainJSONContract(t *testing.T) {
	code, out, errOut := runCLI(t, "", "explain", "--output", "json",
		`{"error":"invalid_client","error_description":"AADSTS70002: Error validating credentials. AADSTS50012: Client assertion audience claim does not match Realm issuer.\r\nTrace ID: b3a77dbe-af3b-4545-8c2c-a76ab79c15ff\r\nCorrelation ID: 5018bf95-777c-448c-96ea-19e2532cbb48\r\nTimestamp: 2017-03-08 23:18:59Z","error_codes":[70002,50012]}`)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		Codes      []int             `json:"codes"`
		Primary    *int              `json:"primary_code"`
		OAuthError *string           `json:"oauth_error"`
		Fields     map[string]string `json:"fields"`
		Errors     []struct {
			Code    int    `json:"code"`
			Name    string `json:"name"`
			Meaning string `json:"meaning"`
			Causes  []struct {
				ID    string `json:"id"`
				Score int    `json:"score"`
			} `json:"causes"`
		} `json:"errors"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(got.Codes) != 2 || got.Codes[0] != 70002 || got.Codes[1] != 50012 {
		t.Errorf("codes %v", got.Codes)
	}
	if got.Primary == nil || *got.Primary != 50012 {
		t.Errorf("primary_code %v", got.Primary)
	}
	if got.OAuthError == nil || *got.OAuthError != "invalid_client" {
		t.Errorf("oauth_error %v", got.OAuthError)
	}
	if got.Fields["trace_id"] != "b3a77dbe-af3b-4545-8c2c-a76ab79c15ff" || got.Fields["timestamp"] != "2017-03-08 23:18:59Z" {
		t.Errorf("fields %v", got.Fields)
	}
	if len(got.Errors) != 2 || got.Errors[0].Code != 50012 || got.Errors[0].Name == "" || got.Errors[0].Meaning == "" || len(got.Errors[0].Causes) == 0 {
		t.Errorf("errors %+v", got.Errors)
	}

	// No code: primary_code and oauth_error are null, not absent.
	code, out, _ = runCLI(t, "timeout", "explain", "--output", "json")
	if code != ExitFound || !strings.Contains(out, `"primary_code": null`) || !strings.Contains(out, `"oauth_error": null`) || !strings.Contains(out, `"codes": []`) {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
}
