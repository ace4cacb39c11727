package cli

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestServeUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"emulator without directory", []string{"serve", "--emulator", "--db", ":memory:"}, "--emulator needs --directory"},
		{"directory without emulator", []string{"serve", "--directory", "x.json", "--db", ":memory:"}, "add --emulator"},
		{"remote emulator", []string{"serve", "--emulator", "--directory", "x.json", "--emulator-addr", "0.0.0.0:8443"}, "not a loopback address"},
		{"bad addr", []string{"serve", "--addr", "nope", "--db", ":memory:"}, "--addr"},
		{"missing directory file", []string{"serve", "--emulator", "--directory", "/nonexistent/dir.json", "--db", ":memory:", "--addr", "127.0.0.1:0"}, "--directory"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, "", tc.args...)
			if code != ExitUsage {
				t.Fatalf("exit %d, want %d (stderr %q)", code, ExitUsage, stderr)
			}
			if !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr %q lacks %q", stderr, tc.want)
			}
		})
	}
}

// syncBuffer is a bytes.Buffer safe to write from the server goroutine while
// the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestServeRunsUIAndEmulator(t *testing.T) {
	data := t.TempDir()
	var stderr syncBuffer
	e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: &stderr, getenv: func(k string) string {
		if k == "AADSTS_DATA_DIR" {
			return data
		}
		return ""
	}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- runServe(ctx, e, serveOptions{addr: "127.0.0.1:0", db: ":memory:", emulator: true,
			directory: "../../examples/directory.json", emulatorAddr: "127.0.0.1:0"})
	}()
	re := regexp.MustCompile(`serving the web UI on (http://\S+)`)
	var base string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(stderr.String()); m != nil {
			base = m[1]
			break
		}
	}
	if base == "" {
		cancel()
		t.Fatalf("serve did not start: %s", stderr.String())
	}
	for path, want := range map[string]string{"": "Paste anything", "signins": ":memory:", "emulator": "Inject fault", "emulator/ca.pem": "BEGIN CERTIFICATE"} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), want) {
			t.Errorf("GET /%s: status %d, page lacks %q", path, resp.StatusCode, want)
		}
	}
	if !strings.Contains(stderr.String(), "emulator listening on https://127.0.0.1:") {
		t.Errorf("no emulator banner in %q", stderr.String())
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v after cancel", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
}
