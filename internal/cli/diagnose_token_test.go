package cli

import (
	"os"
	"strings"
	"testing"
)

const sharedData = "../../../shared/data/"

func TestDiagnoseTokenCLI(t *testing.T) {
	tok := sharedData + "tokens/aad-v1-2014_access-token_aud-graph.windows.net_tenant-72f988bf.jwt"
	keys := sharedData + "oidc/identitymodel-tests_JsonWebKeySet_aad-2012-2014-keys.json"
	if _, err := os.Stat(tok); err != nil {
		t.Skipf("shared data not available: %v", err)
	}
	base := []string{"diagnose", "token", "--token", tok, "--jwks", keys, "--tenant", "72f988bf-86f1-41af-91ab-2d7cd011db47"}
	cases := []struct {
		name string
		args []string
		exit int
		want string
	}{
		{"valid in 2014", []string{"--now", "2014-07-21T19:00:00Z", "--audience", "https://graph.windows.net"}, ExitOK, "an API would accept this token"},
		{"expired today", []string{"--now", "2026-03-01T00:00:00Z", "--audience", "https://graph.windows.net"}, ExitFound, "IDX10223"},
		{"wrong audience", []string{"--now", "2014-07-21T19:00:00Z", "--audience", "api://contoso"}, ExitFound, "IDX10214"},
		{"v2 only API", []string{"--now", "2014-07-21T19:00:00Z", "--audience", "https://graph.windows.net", "--accepted-version", "2", "-o", "markdown"}, ExitFound, "IDX10205"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := append(append([]string{}, base...), c.args...)
			code, out, errOut := runCLI(t, "", args...)
			if code != c.exit || !strings.Contains(out, c.want) {
				t.Fatalf("exit %d (want %d), stderr %q, output lacks %q:\n%s", code, c.exit, errOut, c.want, out)
			}
		})
	}
}
