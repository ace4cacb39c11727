package cli

import (
	"bytes"
	"strings"
	"testing"
)

// runCLI runs the real command line in-process and returns exit code, stdout
// and stderr.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }})
	return code, out.String(), errb.String()
}

func TestVersion(t *testing.T) {
	code, out, _ := runCLI(t, "", "version")
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	if !strings.HasPrefix(out, "aadsts ") || !strings.Contains(out, "commit") {
		t.Fatalf("version output %q lacks version or commit", out)
	}
}

func TestUnknownCommandIsUsageError(t *testing.T) {
	code, _, errOut := runCLI(t, "", "no-such-command")
	if code != ExitUsage {
		t.Fatalf("exit %d, want %d", code, ExitUsage)
	}
	if !strings.Contains(errOut, "no-such-command") {
		t.Fatalf("stderr %q does not name the command", errOut)
	}
}

func TestCompletion(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		t.Run(shell, func(t *testing.T) {
			code, out, _ := runCLI(t, "", "completion", shell)
			if code != ExitOK || !strings.Contains(out, "aadsts") {
				t.Fatalf("completion %s: exit %d, %d bytes", shell, code, len(out))
			}
		})
	}
}
