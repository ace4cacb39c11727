package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/aadsts/aadsts/directory"
	"github.com/aadsts/aadsts/emulator"
)

type emulateOptions struct {
	directory    string
	addr         string
	caFile       string
	tlsCert      string
	tlsKey       string
	insecureHTTP bool
	unsafeRemote bool
	errorTail    string
	autoUser     string
	// ready, when set, is called with the base URL once listening (tests).
	ready func(base string, e *emulator.Emulator)
}

const defaultEmulatorAddr = "127.0.0.1:5443"

func newEmulateCmd(e *env) *cobra.Command {
	var o emulateOptions
	cmd := &cobra.Command{
		Use:   "emulate",
		Short: "Run a local Entra ID token service for tests (HTTPS, discovery, JWKS, Entra's exact errors)",
		Long: `emulate serves the identity platform's endpoints for the tenants of a
directory file: OpenID discovery (v1 and v2), JWKS, MSAL instance discovery,
the v1 and v2 token endpoints, v2 authorize, and a minimal Microsoft Graph.
Every credential is checked by the same rules as 'aadsts diagnose', and
failures come back exactly as Entra sends them (AADSTS codes, 401 for
invalid_client, Trace ID / Correlation ID / Timestamp).

HTTPS by default: the first run makes a local CA (name-constrained to
localhost, 127.0.0.1 and ::1; its private key is not kept) and a server
certificate in the data directory ($AADSTS_DATA_DIR or the user config
directory). Trust the CA with SSL_CERT_FILE or NODE_EXTRA_CA_CERTS.

The admin API under /_aadsts/ injects faults, moves the clock and rotates
keys; 'aadsts emulate fault|clock|rotate-keys|signins' call it.`,
		Example: `  aadsts emulate --directory examples/directory.json --ca-file ./emulator-ca.pem
  NODE_EXTRA_CA_CERTS=./emulator-ca.pem node app.mjs   # authority https://127.0.0.1:5443/<tenant>`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runEmulate(ctx, e, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.directory, "directory", "", "directory file: tenants, applications, service principals, credentials (required)")
	f.StringVar(&o.addr, "addr", defaultEmulatorAddr, "address to listen on (loopback unless --unsafe-remote)")
	f.StringVar(&o.caFile, "ca-file", "", "also write the local CA certificate (PEM) to this file")
	f.StringVar(&o.tlsCert, "tls-cert", "", "serve this certificate (PEM) instead of the local CA's")
	f.StringVar(&o.tlsKey, "tls-key", "", "private key (PEM) of --tls-cert")
	f.BoolVar(&o.insecureHTTP, "insecure-http", false, "UNSAFE: serve plain HTTP (MSAL and Azure Identity refuse it)")
	f.BoolVar(&o.unsafeRemote, "unsafe-remote", false, "UNSAFE: allow a non-loopback --addr (the admin API has no authentication)")
	f.StringVar(&o.autoUser, "auto-user", "", "sign this user (userPrincipalName) in at authorize without showing the sign-in page")
	f.StringVar(&o.errorTail, "error-tail", "crlf", `error_description tail: "crlf" (\r\nTrace ID: ..., until 2023) or "space" (since 2024)`)
	cmd.AddCommand(newEmulateFaultCmd(e), newEmulateClockCmd(e), newEmulateRotateCmd(e), newEmulateSignInsCmd(e))
	return cmd
}

func runEmulate(ctx context.Context, e *env, o emulateOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if o.directory == "" {
		return usageError(errors.New("--directory is required"))
	}
	var tail emulator.TailStyle
	switch o.errorTail {
	case "crlf":
		tail = emulator.TailCRLF
	case "space":
		tail = emulator.TailSpace
	default:
		return usageError(fmt.Errorf("--error-tail %q: must be crlf or space", o.errorTail))
	}
	if (o.tlsCert == "") != (o.tlsKey == "") {
		return usageError(errors.New("--tls-cert and --tls-key go together"))
	}
	if o.insecureHTTP && (o.tlsCert != "" || o.caFile != "") {
		return usageError(errors.New("--insecure-http cannot be combined with --tls-cert or --ca-file"))
	}
	host, _, err := net.SplitHostPort(o.addr)
	if err != nil {
		return usageError(fmt.Errorf("--addr %q: %w", o.addr, err))
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) && !o.unsafeRemote {
		return usageError(fmt.Errorf("--addr %q is not a loopback address; the admin API has no authentication (use --unsafe-remote to insist)", o.addr))
	}
	dir, err := directory.LoadFile(o.directory)
	if err != nil {
		return usageError(fmt.Errorf("--directory: %w", err))
	}
	em, err := emulator.New(dir, emulator.Options{
		Tail:     tail,
		AutoUser: o.autoUser,
		ErrorLog: func(format string, args ...any) { fmt.Fprintf(e.stderr, "emulator: "+format+"\n", args...) },
	})
	if err != nil {
		return usageError(fmt.Errorf("--directory %s: %w", o.directory, err))
	}
	var material *emulator.TLSMaterial
	caPath := ""
	switch {
	case o.insecureHTTP:
	case o.tlsCert != "":
		if material, err = emulator.LoadTLS(o.tlsCert, o.tlsKey); err != nil {
			return usageError(err)
		}
	default:
		dataDir, err := emulator.DataDir(e.getenv)
		if err != nil {
			return usageError(err)
		}
		if material, err = emulator.LocalTLS(dataDir, time.Now()); err != nil {
			return usageError(err)
		}
		caPath = filepath.Join(dataDir, "emulator-ca.pem")
		if o.caFile != "" {
			if err := os.WriteFile(o.caFile, material.CAPEM, 0o644); err != nil {
				return usageError(fmt.Errorf("--ca-file: %w", err))
			}
			caPath = o.caFile
		}
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return usageError(fmt.Errorf("--addr %q: %w", o.addr, err))
	}
	scheme := "https"
	if material == nil {
		scheme = "http"
	}
	base := scheme + "://" + ln.Addr().String()
	srv := &http.Server{Handler: em.Handler(), ReadHeaderTimeout: 10 * time.Second}
	printEmulatorBanner(e.stderr, base, dir, material, caPath)
	errc := make(chan error, 1)
	go func() {
		if material == nil {
			errc <- srv.Serve(ln)
			return
		}
		srv.TLSConfig = material.TLSConfig()
		errc <- srv.ServeTLS(ln, "", "")
	}()
	if o.ready != nil {
		o.ready(base, em)
	}
	select {
	case <-ctx.Done():
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
		fmt.Fprintln(e.stderr, "emulator stopped")
		return nil
	case err := <-errc:
		return withCode(ExitFound, fmt.Errorf("emulator: %w", err))
	}
}

func printEmulatorBanner(w io.Writer, base string, dir *directory.Directory, m *emulator.TLSMaterial, caPath string) {
	fmt.Fprintf(w, "aadsts emulator listening on %s\n", base)
	for _, t := range dir.Tenants {
		name := t.DisplayName
		if name == "" {
			name = t.ID
		}
		fmt.Fprintf(w, "  tenant %-20s authority %s/%s\n", name, base, t.ID)
	}
	fmt.Fprintf(w, "  admin API          %s%s (faults, clock, keys, signins)\n", base, emulator.AdminPrefix)
	switch {
	case m == nil:
		fmt.Fprintln(w, "  WARNING: plain HTTP (--insecure-http); MSAL and Azure Identity require HTTPS")
	case caPath != "":
		if m.Created {
			fmt.Fprintln(w, "  made a new local CA: trust this one (a CA trusted before no longer applies)")
		}
		fmt.Fprintf(w, "  CA certificate     %s\n", caPath)
		fmt.Fprintf(w, "  trust it:  export SSL_CERT_FILE=%s        # Go, curl, OpenSSL-based tools\n", caPath)
		fmt.Fprintf(w, "             export NODE_EXTRA_CA_CERTS=%s  # Node.js (MSAL Node)\n", caPath)
		fmt.Fprintf(w, "             export REQUESTS_CA_BUNDLE=%s   # Python requests (MSAL Python)\n", caPath)
	}
	fmt.Fprintln(w, "  disable instance discovery in MSAL / Azure Identity (or list the host as a known authority)")
}
