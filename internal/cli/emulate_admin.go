package cli

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/aadsts/aadsts/emulator"
)

// adminTarget is the running emulator an admin subcommand talks to.
type adminTarget struct {
	url    string
	caFile string
}

func (a *adminTarget) flags(cmd *cobra.Command) {
	cmd.Flags().StringVar(&a.url, "url", "https://"+defaultEmulatorAddr, "base URL of the running emulator")
	cmd.Flags().StringVar(&a.caFile, "ca-file", "", "CA certificate that signed the emulator's (default: the one in the data directory)")
}

// call sends one admin API request and writes the JSON answer to stdout.
func (a *adminTarget) call(e *env, method, path string, body any) error {
	client := &http.Client{Timeout: 30 * time.Second}
	if strings.HasPrefix(a.url, "https://") {
		ca := a.caFile
		if ca == "" {
			dir, err := emulator.DataDir(e.getenv)
			if err != nil {
				return usageError(err)
			}
			ca = filepath.Join(dir, "emulator-ca.pem")
		}
		pemData, err := os.ReadFile(ca)
		if err != nil {
			return usageError(fmt.Errorf("--ca-file: %w", err))
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pemData) {
			return usageError(fmt.Errorf("--ca-file %s: no PEM certificate", ca))
		}
		client.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}
	}
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, strings.TrimRight(a.url, "/")+emulator.AdminPrefix+path, rd)
	if err != nil {
		return usageError(fmt.Errorf("--url: %w", err))
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return withCode(ExitFound, fmt.Errorf("emulator at %s: %w", a.url, err))
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if resp.StatusCode >= 300 {
		var m struct {
			Error string `json:"error"`
		}
		_ = json.Unmarshal(out, &m)
		return withCode(ExitFound, fmt.Errorf("emulator answered %s: %s", resp.Status, m.Error))
	}
	if len(out) > 0 {
		e.stdout.Write(out)
	}
	return nil
}

func newEmulateFaultCmd(e *env) *cobra.Command {
	var a adminTarget
	var f emulator.Fault
	var latency time.Duration
	var clear, list bool
	cmd := &cobra.Command{
		Use:   "fault",
		Short: "Make the running emulator fail or slow down token requests",
		Example: `  aadsts emulate fault --client-id $APP --code 7000222 --count 3
  aadsts emulate fault --status 429 --retry-after 10
  aadsts emulate fault --latency 2s
  aadsts emulate fault --clear`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch {
			case clear:
				return a.call(e, http.MethodDelete, "faults", nil)
			case list:
				return a.call(e, http.MethodGet, "faults", nil)
			}
			f.Latency = emulator.Duration(latency)
			if f.Code == 0 && f.Status == 0 && latency == 0 {
				return usageError(errors.New("give --code, --status or --latency (or --clear, --list)"))
			}
			return a.call(e, http.MethodPost, "faults", f)
		},
	}
	a.flags(cmd)
	fl := cmd.Flags()
	fl.StringVar(&f.ClientID, "client-id", "", "only requests of this client (default: every client)")
	fl.IntVar(&f.Count, "count", 0, "how many requests to answer (default: all until --clear)")
	fl.IntVar(&f.Code, "code", 0, "AADSTS code to answer with")
	fl.StringVar(&f.OAuthError, "error", "", "OAuth error value (default: the catalog's for --code)")
	fl.StringVar(&f.Message, "message", "", "message text (default: the catalog's meaning of --code)")
	fl.IntVar(&f.Status, "status", 0, "HTTP status: 429, 500 or 503 (or an override for --code)")
	fl.IntVar(&f.RetryAfter, "retry-after", 0, "Retry-After seconds (default 5 for 429 and 503)")
	fl.DurationVar(&latency, "latency", 0, "delay before answering")
	fl.BoolVar(&clear, "clear", false, "remove every fault")
	fl.BoolVar(&list, "list", false, "list the active faults")
	return cmd
}

func newEmulateClockCmd(e *env) *cobra.Command {
	var a adminTarget
	var offset, advance time.Duration
	var at string
	cmd := &cobra.Command{
		Use:   "clock",
		Short: "Show or move the running emulator's clock",
		Example: `  aadsts emulate clock                    # show
  aadsts emulate clock --advance 2h       # tokens and assertions age
  aadsts emulate clock --offset 8760h     # a year ahead: secrets expire
  aadsts emulate clock --offset 0         # back to real time`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fl := cmd.Flags()
			switch {
			case fl.Changed("at"):
				t, err := time.Parse(time.RFC3339, at)
				if err != nil {
					return usageError(fmt.Errorf("--at %q: %w", at, err))
				}
				return a.call(e, http.MethodPost, "clock", map[string]any{"now": t})
			case fl.Changed("offset"):
				return a.call(e, http.MethodPost, "clock", map[string]any{"offset": offset.String()})
			case fl.Changed("advance"):
				return a.call(e, http.MethodPost, "clock", map[string]any{"advance": advance.String()})
			}
			return a.call(e, http.MethodGet, "clock", nil)
		},
	}
	a.flags(cmd)
	cmd.Flags().DurationVar(&offset, "offset", 0, "set the offset from real time")
	cmd.Flags().DurationVar(&advance, "advance", 0, "move the clock forward (negative: back)")
	cmd.Flags().StringVar(&at, "at", "", "set the emulated time (RFC 3339)")
	return cmd
}

func newEmulateRotateCmd(e *env) *cobra.Command {
	var a adminTarget
	cmd := &cobra.Command{
		Use:   "rotate-keys",
		Short: "Make the running emulator sign with a new key now (the old one stays in the JWKS for its grace period)",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return a.call(e, http.MethodPost, "keys/rotate", nil) },
	}
	a.flags(cmd)
	return cmd
}

func newEmulateSignInsCmd(e *env) *cobra.Command {
	var a adminTarget
	cmd := &cobra.Command{
		Use:   "signins",
		Short: "Print the running emulator's sign-in records (Graph signIn JSON, newest first)",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return a.call(e, http.MethodGet, "signins", nil) },
	}
	a.flags(cmd)
	return cmd
}
