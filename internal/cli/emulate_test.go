package cli

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aadsts/aadsts/emulator"
	"github.com/aadsts/aadsts/emulator/fixture"
)

// startEmulate runs the emulate command's server on a free loopback port
// with the fixture directory and returns its base URL, CA file and fixture.
func startEmulate(t *testing.T) (string, string, *fixture.Fixture) {
	t.Helper()
	f, err := fixture.New(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	dirFile := filepath.Join(tmp, "directory.json")
	if err := os.WriteFile(dirFile, f.JSON, 0o600); err != nil {
		t.Fatal(err)
	}
	caFile := filepath.Join(tmp, "ca.pem")
	var stderr bytes.Buffer
	e := &env{stdout: &bytes.Buffer{}, stderr: &stderr, getenv: func(k string) string {
		if k == "AADSTS_DATA_DIR" {
			return filepath.Join(tmp, "data")
		}
		return ""
	}}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- runEmulate(ctx, e, emulateOptions{directory: dirFile, addr: "127.0.0.1:0", caFile: caFile, errorTail: "crlf",
			ready: func(base string, _ *emulator.Emulator) { ready <- base }})
	}()
	var base string
	select {
	case base = <-ready:
	case err := <-done:
		t.Fatalf("emulate: %v\n%s", err, stderr.String())
	}
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("emulate stopped with %v", err)
		}
	})
	if !strings.Contains(stderr.String(), "NODE_EXTRA_CA_CERTS="+caFile) {
		t.Errorf("banner does not say how to trust the CA:\n%s", stderr.String())
	}
	return base, caFile, f
}

func tokenStatus(t *testing.T, base, caFile string, f *fixture.Fixture) (int, string) {
	t.Helper()
	pemData, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pemData)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	defer client.CloseIdleConnections()
	resp, err := client.PostForm(base+"/"+fixture.TenantID+"/oauth2/v2.0/token", url.Values{
		"grant_type": {"client_credentials"}, "client_id": {fixture.DaemonAppID},
		"client_secret": {f.Secret}, "scope": {fixture.APIURI + "/.default"}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp.StatusCode, b.String()
}

func TestEmulateServesAndTakesAdminCommands(t *testing.T) {
	base, caFile, f := startEmulate(t)
	if code, body := tokenStatus(t, base, caFile, f); code != 200 || !strings.Contains(body, `"access_token"`) {
		t.Fatalf("token: %d %s", code, body)
	}
	code, out, errOut := runCLI(t, "", "emulate", "fault", "--url", base, "--ca-file", caFile, "--code", "7000222", "--count", "1")
	if code != ExitOK || !strings.Contains(out, `"id"`) {
		t.Fatalf("emulate fault: exit %d %s %s", code, out, errOut)
	}
	if code, body := tokenStatus(t, base, caFile, f); code != 401 || !strings.Contains(body, "AADSTS7000222") {
		t.Fatalf("after fault: %d %s", code, body)
	}
	if code, _ := tokenStatus(t, base, caFile, f); code != 200 {
		t.Fatalf("fault was for one request only, got %d", code)
	}
	code, out, _ = runCLI(t, "", "emulate", "clock", "--url", base, "--ca-file", caFile, "--offset", "8760h")
	if code != ExitOK || !strings.Contains(out, `"offset": "8760h0m0s"`) {
		t.Fatalf("emulate clock: exit %d %s", code, out)
	}
	if code, body := tokenStatus(t, base, caFile, f); code != 401 || !strings.Contains(body, "AADSTS7000222") {
		t.Fatalf("a year later: %d %s", code, body)
	}
	code, out, _ = runCLI(t, "", "emulate", "rotate-keys", "--url", base, "--ca-file", caFile)
	if code != ExitOK || !strings.Contains(out, `"kid"`) {
		t.Fatalf("rotate-keys: exit %d %s", code, out)
	}
	code, out, _ = runCLI(t, "", "emulate", "signins", "--url", base, "--ca-file", caFile)
	if code != ExitOK || strings.Count(out, `"appId": "`+fixture.DaemonAppID+`"`) != 4 {
		t.Fatalf("signins: exit %d %s", code, out)
	}
	if strings.Contains(out, f.Secret) {
		t.Fatal("sign-in records contain the secret")
	}
}

func TestEmulateUsageErrors(t *testing.T) {
	for name, args := range map[string][]string{
		"no directory":     {"emulate"},
		"remote address":   {"emulate", "--directory", "x.json", "--addr", "0.0.0.0:5443"},
		"bad tail":         {"emulate", "--directory", "x.json", "--error-tail", "tabs"},
		"cert without key": {"emulate", "--directory", "x.json", "--tls-cert", "c.pem"},
		"missing file":     {"emulate", "--directory", filepath.Join(t.TempDir(), "none.json"), "--addr", "127.0.0.1:0"},
		"fault needs what": {"emulate", "fault", "--url", "http://127.0.0.1:1"},
	} {
		t.Run(name, func(t *testing.T) {
			if code, _, errOut := runCLI(t, "", args...); code != ExitUsage {
				t.Fatalf("exit %d, want %d (%s)", code, ExitUsage, errOut)
			}
		})
	}
}
