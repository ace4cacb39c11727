package cli

import (
	"bytes"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/aadsts/aadsts/cred"
	"github.com/aadsts/aadsts/emulator"
	"github.com/aadsts/aadsts/emulator/fixture"
)

var (
	probeFixOnce sync.Once
	probeFix     *fixture.Fixture
)

// probeTarget starts the emulator and writes the files probe reads.
func probeTarget(t *testing.T) (s *emulator.TestServer, f *fixture.Fixture, files map[string]string) {
	t.Helper()
	probeFixOnce.Do(func() {
		var err error
		if probeFix, err = fixture.New(time.Now()); err != nil {
			t.Fatal(err)
		}
	})
	f = probeFix
	s = emulator.NewTestServer(t, f.Dir, emulator.Options{})
	tmp := t.TempDir()
	keyDER, _ := x509.MarshalPKCS8PrivateKey(f.Key)
	files = map[string]string{
		"ca":     string(s.CAPEM),
		"secret": f.Secret + "\n",
		"wrong":  fixture.NewSecret(),
		"cert":   string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: f.Cert.Raw})),
		"key":    string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})),
		"pw":     "pfx-pass\n",
	}
	pfx, err := pkcs12.Modern.Encode(f.Key, f.Cert, nil, "pfx-pass")
	if err != nil {
		t.Fatal(err)
	}
	files["pfx"] = string(pfx)
	for name, data := range files {
		p := filepath.Join(tmp, name)
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		files[name] = p
	}
	return s, f, files
}

func TestProbeAgainstEmulator(t *testing.T) {
	s, f, files := probeTarget(t)
	base := []string{"probe", "--authority", s.URL, "--ca-file", files["ca"], "--tenant", fixture.TenantID, "--client-id", fixture.DaemonAppID}
	cases := []struct {
		name     string
		args     []string
		wantExit int
		want     []string
	}{
		{"secret text", []string{"--secret-file", files["secret"], "--scope", fixture.APIURI + "/.default"}, ExitOK,
			[]string{"token issued (v2.0", "audience        " + fixture.APIAppID, "roles           " + fixture.APIRole, "client secret (1)"}},
		{"certificate json", []string{"--cert", files["cert"], "--key", files["key"], "--output", "json"}, ExitOK,
			[]string{`"ok": true`, `"audience": "https://graph.microsoft.com"`, `"client_auth": "2"`, `"Application.Read.All"`}},
		{"pfx", []string{"--pfx", files["pfx"], "--password-file", files["pw"], "--scope", fixture.APIURI + "/.default"}, ExitOK,
			[]string{"token issued (v2.0", "certificate or assertion (2)", "with certificate " + cred.ThumbprintsOf(f.Cert).SHA1Hex}},
		{"wrong secret json", []string{"--secret-file", files["wrong"], "--output", "json"}, ExitFound,
			[]string{`"ok": false`, `"code": 7000215`, `"oauth_error": "invalid_client"`, `"name": "InvalidClientSecret"`}},
		{"wrong secret text", []string{"--secret-file", files["wrong"]}, ExitFound,
			[]string{"result          AADSTS7000215 invalid_client", "7000215"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", append(base, tc.args...)...)
			if code != tc.wantExit {
				t.Fatalf("exit %d, want %d\n%s\n%s", code, tc.wantExit, out, errOut)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			if strings.Contains(out+errOut, f.Secret) || strings.Contains(out+errOut, "eyJ") {
				t.Fatal("output holds the secret or a token")
			}
			if strings.Contains(tc.name, "json") {
				var m map[string]any
				if err := json.Unmarshal([]byte(out), &m); err != nil {
					t.Fatalf("not JSON: %v", err)
				}
			}
		})
	}
}

func TestProbeUsage(t *testing.T) {
	for name, args := range map[string][]string{
		"no credential":   {"probe", "--tenant", "t", "--client-id", "c"},
		"two credentials": {"probe", "--tenant", "t", "--client-id", "c", "--secret-env", "X", "--pfx", "a.pfx"},
		"bad output":      {"probe", "--tenant", "t", "--client-id", "c", "--secret-env", "X", "--output", "xml"},
		"empty env":       {"probe", "--tenant", "t", "--client-id", "c", "--secret-env", "AADSTS_NOPE"},
	} {
		t.Run(name, func(t *testing.T) {
			var out bytes.Buffer
			if code, _, errOut := runCLI(t, "", args...); code != ExitUsage {
				t.Fatalf("exit %d (%s%s)", code, out.String(), errOut)
			}
		})
	}
}
