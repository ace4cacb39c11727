package emulator_test

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aadsts/aadsts/cred"
	"github.com/aadsts/aadsts/emulator/fixture"
)

// nodeDir returns testing/node with its node_modules, or skips (fails
// under CI=true) when Node or the packages are missing.
func nodeDir(t *testing.T) (node, dir string) {
	t.Helper()
	missing := func(why string) {
		if os.Getenv("CI") == "true" {
			t.Fatalf("MSAL Node test cannot run: %s", why)
		}
		t.Skipf("SKIPPING MSAL Node test: %s", why)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node is not on PATH")
	}
	dir, _ = filepath.Abs(filepath.Join("..", "testing", "node"))
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@azure", "msal-node")); err != nil {
		missing("testing/node/node_modules/@azure/msal-node is not installed (run npm ci in testing/node)")
	}
	return node, dir
}

type nodeResult struct {
	OK      bool   `json:"ok"`
	Azp     string `json:"azp"`
	Azpacr  string `json:"azpacr"`
	Code    string `json:"errorCode"`
	Message string `json:"message"`
}

func TestMSALNodeClientCredentials(t *testing.T) {
	t.Parallel()
	node, dir := nodeDir(t)
	s, f := newServer(t)
	tmp := t.TempDir()
	caFile := filepath.Join(tmp, "ca.pem")
	keyFile := filepath.Join(tmp, "key.pem")
	keyDER, _ := x509.MarshalPKCS8PrivateKey(f.Key)
	if err := os.WriteFile(caFile, s.CAPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		env     []string
		wantACR string // "" means a failure is expected
		wantErr string
	}{
		{"secret", []string{"CLIENT_SECRET=" + f.Secret}, "1", ""},
		{"certificate", []string{"CERT_THUMBPRINT_SHA256=" + cred.ThumbprintsOf(f.Cert).SHA256Hex, "KEY_FILE=" + keyFile}, "2", ""},
		{"wrong secret", []string{"CLIENT_SECRET=" + fixture.NewSecret()}, "", "AADSTS7000215"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, node, "msal-client-credentials.mjs")
			cmd.Dir = dir
			cmd.Env = append(os.Environ(),
				"NODE_EXTRA_CA_CERTS="+caFile,
				"AUTHORITY="+s.Authority(fixture.TenantID),
				"CLIENT_ID="+fixture.DaemonAppID,
				"SCOPE="+fixture.APIURI+"/.default")
			cmd.Env = append(cmd.Env, tc.env...)
			out, _ := cmd.Output()
			var res nodeResult
			if err := json.Unmarshal(out, &res); err != nil {
				t.Fatalf("node output %q: %v", out, err)
			}
			if tc.wantErr == "" {
				if !res.OK {
					t.Fatalf("MSAL Node failed: %s %s", res.Code, res.Message)
				}
				if res.Azp != fixture.DaemonAppID || res.Azpacr != tc.wantACR {
					t.Fatalf("azp=%q azpacr=%q, want %s and %s", res.Azp, res.Azpacr, fixture.DaemonAppID, tc.wantACR)
				}
				return
			}
			if res.OK || !strings.Contains(res.Message, tc.wantErr) {
				t.Fatalf("got ok=%v message %q, want %s", res.OK, res.Message, tc.wantErr)
			}
		})
	}
}
