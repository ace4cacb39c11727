package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/aadsts/aadsts/directory"
	"github.com/aadsts/aadsts/emulator"
	"github.com/aadsts/aadsts/signins/sqlstore"
	"github.com/aadsts/aadsts/web"
)

type serveOptions struct {
	addr         string
	token        string
	db           string
	emulator     bool
	directory    string
	emulatorAddr string
}

const defaultServeEmulatorAddr = "127.0.0.1:8443"

func newServeCmd(e *env) *cobra.Command {
	var o serveOptions
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the local web UI (diagnose, catalog, sign-ins, audit, emulator console)",
		Long: `serve runs the aadsts web UI on this machine: paste and diagnose any error,
token, certificate or request; browse the AADSTS catalog; import and chart
sign-in logs; audit app registrations; and, with --emulator, control a local
Entra token service (faults, clock, keys, request log).

It binds to 127.0.0.1 by default; binding to any other address requires an
access token (--token, or one is generated and printed). Sign-ins are kept in
the same store as 'aadsts logs' (--db, default in the user's data directory).
The emulator listens on its own HTTPS address (--emulator-addr) with a local CA
that the console offers for download.`,
		Example: `  aadsts serve
  aadsts serve --emulator --directory examples/directory.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runServe(cmd.Context(), e, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.addr, "addr", "127.0.0.1:8750", "address to listen on")
	f.StringVar(&o.token, "token", "", "access token required on every request (generated when binding beyond loopback)")
	f.StringVar(&o.db, "db", "", `sign-in store (SQLite file; default: the store of 'aadsts logs'; ":memory:" keeps nothing)`)
	f.BoolVar(&o.emulator, "emulator", false, "also run the emulator (needs --directory) and its console")
	f.StringVar(&o.directory, "directory", "", "emulator directory file: tenants, applications, credentials")
	f.StringVar(&o.emulatorAddr, "emulator-addr", defaultServeEmulatorAddr, "address of the emulator's HTTPS listener (loopback only)")
	return cmd
}

func runServe(ctx context.Context, e *env, o serveOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if _, _, err := net.SplitHostPort(o.addr); err != nil {
		return usageError(fmt.Errorf("--addr %q: %w", o.addr, err))
	}
	if o.emulator && o.directory == "" {
		return usageError(errors.New("--emulator needs --directory FILE"))
	}
	if !o.emulator && o.directory != "" {
		return usageError(errors.New("--directory is the emulator's: add --emulator"))
	}
	if o.emulator && !isLoopbackAddr(o.emulatorAddr) {
		return usageError(fmt.Errorf("--emulator-addr %q is not a loopback address (the emulator has no authentication)", o.emulatorAddr))
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	logger := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))

	store, err := (&logsOptions{db: o.db}).open(ctx, e)
	if err != nil {
		return err
	}
	defer store.Close()
	parts := web.Parts{SignIns: store, StoreName: o.db}
	if parts.StoreName == "" {
		parts.StoreName, _ = sqlstore.DefaultPath(e.getenv)
	}
	var servers []*http.Server
	errc := make(chan error, 2)
	if o.emulator {
		hs, err := startServeEmulator(e, o, logger, &parts, errc)
		if err != nil {
			return err
		}
		servers = append(servers, hs)
	}

	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return usageError(fmt.Errorf("--addr %q: %w", o.addr, err))
	}
	addr := ln.Addr().String()
	token := o.token
	if token == "" && !isLoopbackAddr(addr) {
		token = newAccessToken()
	}
	srv, err := web.New(web.Options{Addr: addr, Token: token, Logger: logger, Parts: parts})
	if err != nil {
		ln.Close()
		return err
	}
	url := "http://" + addr + "/"
	if token != "" {
		url += "?token=" + token
	}
	fmt.Fprintf(e.stderr, "aadsts: serving the web UI on %s\n", url)
	if parts.Emulator != nil {
		fmt.Fprintf(e.stderr, "aadsts: emulator console on http://%s/emulator (CA certificate: http://%s/emulator/ca.pem)\n", addr, addr)
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	servers = append(servers, hs)
	go func() { errc <- hs.Serve(ln) }()

	var runErr error
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			runErr = err
		}
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, s := range servers {
		_ = s.Shutdown(shutdown)
	}
	return runErr
}

// startServeEmulator loads the directory, starts the emulator on its own
// HTTPS listener with the local CA of the data directory, and wires it
// into the UI's parts.
func startServeEmulator(e *env, o serveOptions, logger *slog.Logger, parts *web.Parts, errc chan<- error) (*http.Server, error) {
	dir, err := directory.LoadFile(o.directory)
	if err != nil {
		return nil, usageError(fmt.Errorf("--directory: %w", err))
	}
	em, err := emulator.New(dir, emulator.Options{
		ErrorLog: func(format string, args ...any) { logger.Error("emulator: " + fmt.Sprintf(format, args...)) },
	})
	if err != nil {
		return nil, usageError(fmt.Errorf("--directory %s: %w", o.directory, err))
	}
	dataDir, err := emulator.DataDir(e.getenv)
	if err != nil {
		return nil, usageError(err)
	}
	material, err := emulator.LocalTLS(dataDir, time.Now())
	if err != nil {
		return nil, usageError(err)
	}
	ln, err := net.Listen("tcp", o.emulatorAddr)
	if err != nil {
		return nil, usageError(fmt.Errorf("--emulator-addr %q: %w", o.emulatorAddr, err))
	}
	base := "https://" + ln.Addr().String()
	hs := &http.Server{Handler: em.Handler(), ReadHeaderTimeout: 10 * time.Second, TLSConfig: material.TLSConfig()}
	go func() { errc <- hs.ServeTLS(ln, "", "") }()
	printEmulatorBanner(e.stderr, base, dir, material, "")
	parts.Emulator, parts.EmulatorURL, parts.EmulatorCA, parts.Directory = em, base, material.CAPEM, dir
	return hs, nil
}
