package e2e

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aadsts/aadsts/catalog"
)

// need skips the test loudly when a tool is missing, and fails it in CI.
func need(t *testing.T, ok bool, what string) {
	t.Helper()
	if ok {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("e2e: %s is missing and CI=true: install it (see testing/node/package.json)", what)
	}
	t.Skipf("SKIPPING the browser end-to-end test: %s is missing", what)
}

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func TestBrowser(t *testing.T) {
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("SKIPPING the browser end-to-end test in -short mode")
	}
	root := repoRoot(t)
	node, err := exec.LookPath("node")
	need(t, err == nil, "node")
	_, err = os.Stat(filepath.Join(root, "testing/node/node_modules/playwright-core/package.json"))
	need(t, err == nil, "testing/node/node_modules (run npm ci in testing/node)")
	chromium := os.Getenv("CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	_, err = os.Stat(chromium)
	need(t, err == nil, "chromium ("+chromium+")")

	tmp := t.TempDir()
	bin := filepath.Join(tmp, "aadsts")
	build := exec.Command("go", "build", "-o", bin, "./cmd/aadsts")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build aadsts: %v\n%s", err, out)
	}

	dirFile := filepath.Join(root, "examples/directory.json")
	tenant, clientID, secret := firstSecretApp(t, dirFile)
	certFile, sha1hex := writeCert(t, tmp)
	errText, code := realError(t, filepath.Join(root, "../shared/data/real-errors-dev.jsonl"))
	xssFile := writeXSS(t, tmp)

	shots, err := os.MkdirTemp("", "aadsts-e2e-screenshots-")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots are kept in %s (and copied to testing/node/screenshots/)", shots)

	ui, emu := startServe(t, bin, tmp, dirFile)
	caFile := filepath.Join(tmp, "emulator-ca.pem")
	download(t, ui+"emulator/ca.pem", caFile)

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "e2e.mjs")
	cmd.Dir = filepath.Join(root, "testing/node")
	cmd.Env = append(os.Environ(),
		"BASE_URL="+strings.TrimSuffix(ui, "/"),
		"SHOT_DIR="+shots,
		"CHROMIUM="+chromium,
		"ERROR_TEXT="+errText,
		"EXPECT_CODE="+strconv.Itoa(code),
		"CERT_FILE="+certFile,
		"EXPECT_SHA1="+sha1hex,
		"SIGNIN_FILE="+filepath.Join(root, "../shared/data/signins/elastic_test-service-principal-signinlogs-sample.log"),
		"XSS_FILE="+xssFile,
		"TOKEN_URL="+emu+"/"+tenant+"/oauth2/v2.0/token",
		"CLIENT_ID="+clientID,
		"CLIENT_SECRET="+secret,
		"FAULT_CODE=7000222",
		"NODE_EXTRA_CA_CERTS="+caFile,
	)
	out, err := cmd.CombinedOutput()
	t.Logf("e2e.mjs output:\n%s", redact(string(out), secret))
	copyShots(t, shots, filepath.Join(root, "testing/node/screenshots"))
	if err != nil {
		t.Fatalf("browser checks failed: %v", err)
	}
}

func redact(s, secret string) string { return strings.ReplaceAll(s, secret, "[secret]") }

// startServe runs `aadsts serve` with a temporary store and data directory
// and returns the UI's and the emulator's base URLs.
func startServe(t *testing.T, bin, tmp, dirFile string) (ui, emu string) {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(tmp, "signins.db"),
		"--emulator", "--directory", dirFile, "--emulator-addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "AADSTS_DATA_DIR="+filepath.Join(tmp, "data"))
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
		}
	})
	uiRe := regexp.MustCompile(`serving the web UI on (http://\S+)`)
	emuRe := regexp.MustCompile(`emulator listening on (https://\S+)`)
	found := make(chan [2]string, 1)
	var log bytes.Buffer
	go func() {
		sc := bufio.NewScanner(stderr)
		var u, e string
		for sc.Scan() {
			line := sc.Text()
			log.WriteString(line + "\n")
			if m := uiRe.FindStringSubmatch(line); m != nil {
				u = m[1]
			}
			if m := emuRe.FindStringSubmatch(line); m != nil {
				e = m[1]
			}
			if u != "" && e != "" {
				found <- [2]string{u, e}
				u = ""
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
	}()
	select {
	case f := <-found:
		return f[0], f[1]
	case <-time.After(30 * time.Second):
		t.Fatalf("aadsts serve did not start in 30 s")
	}
	return "", ""
}

func download(t *testing.T, url, dst string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !bytes.Contains(b, []byte("BEGIN CERTIFICATE")) {
		t.Fatalf("GET %s: status %d, not a PEM certificate", url, resp.StatusCode)
	}
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// firstSecretApp returns the tenant, client id and secret of the first app
// with a client secret in the example directory.
func firstSecretApp(t *testing.T, file string) (tenant, clientID, secret string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Tenants []struct {
			ID           string `json:"id"`
			Applications []struct {
				AppID               string `json:"appId"`
				PasswordCredentials []struct {
					SecretText string `json:"secretText"`
				} `json:"passwordCredentials"`
			} `json:"applications"`
		} `json:"tenants"`
	}
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("read %s: %v", file, err)
	}
	for _, tn := range d.Tenants {
		for _, a := range tn.Applications {
			for _, p := range a.PasswordCredentials {
				if p.SecretText != "" {
					return tn.ID, a.AppID, p.SecretText
				}
			}
		}
	}
	t.Fatalf("%s has no app with a client secret", file)
	return
}

// writeCert makes a self-signed certificate (PEM) and returns its file and
// upper-case hex SHA-1 thumbprint.
func writeCert(t *testing.T, dir string) (string, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(42), Subject: pkix.Name{CommonName: "aadsts-e2e"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(365 * 24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(dir, "e2e-cert.pem")
	if err := os.WriteFile(f, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha1.Sum(der)
	return f, strings.ToUpper(hex.EncodeToString(sum[:]))
}

// realError picks the first real error whose primary code has a deep guide.
func realError(t *testing.T, file string) (string, int) {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cat := catalog.Default()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var rec struct {
			Raw     string `json:"raw"`
			Primary *int   `json:"primary_code"`
		}
		if json.Unmarshal(sc.Bytes(), &rec) != nil || rec.Primary == nil {
			continue
		}
		if e, ok := cat.Lookup(*rec.Primary); ok && e.Guide != nil && len(e.Guide.Causes) > 0 {
			return rec.Raw, *rec.Primary
		}
	}
	t.Fatalf("%s: no real error with a guided code", file)
	return "", 0
}

// writeXSS writes a Microsoft Graph signIns page whose one record has a
// script payload as its app name.
func writeXSS(t *testing.T, dir string) string {
	t.Helper()
	rec := map[string]any{
		"id": "e2e-xss-0001", "createdDateTime": time.Now().UTC().Add(-time.Hour).Format(time.RFC3339),
		"appId":          "de8bc8b5-d9f9-48b1-a8ad-b748da725064",
		"appDisplayName": `<script>window.__xss=1</script><img src=x onerror="window.__xss=1">`,
		"ipAddress":      "127.0.0.1", "correlationId": "d79f5bee-5860-4832-928f-3133e22ae912",
		"isInteractive": false, "resourceDisplayName": "Microsoft Graph",
		"resourceId": "00000003-0000-0000-c000-000000000000",
		"status":     map[string]any{"errorCode": 7000215, "failureReason": "Invalid client secret provided.", "additionalDetails": nil},
	}
	out, _ := json.Marshal(map[string]any{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns", "value": []any{rec}})
	f := filepath.Join(dir, "xss-signins.json")
	if err := os.WriteFile(f, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

func copyShots(t *testing.T, from, to string) {
	t.Helper()
	if err := os.MkdirAll(to, 0o755); err != nil {
		t.Logf("screenshots not copied: %v", err)
		return
	}
	ents, _ := os.ReadDir(from)
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err == nil {
			err = os.WriteFile(filepath.Join(to, e.Name()), b, 0o644)
		}
		if err != nil {
			t.Logf("copy screenshot %s: %v", e.Name(), err)
		}
	}
}
