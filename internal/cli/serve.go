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

	"github.com/aadsts/aadsts/web"
)

type serveOptions struct {
	addr  string
	token string
}

func newServeCmd(e *env) *cobra.Command {
	var o serveOptions
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the local web UI (diagnose, catalog, sign-ins, audit)",
		Long: `serve runs the aadsts web UI on this machine. It binds to 127.0.0.1 by
default; binding to any other address requires an access token (--token, or
one is generated and printed).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runServe(cmd.Context(), e, o)
		},
	}
	cmd.Flags().StringVar(&o.addr, "addr", "127.0.0.1:8750", "address to listen on")
	cmd.Flags().StringVar(&o.token, "token", "", "access token required on every request (generated when binding beyond loopback)")
	return cmd
}

func runServe(ctx context.Context, e *env, o serveOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if _, _, err := net.SplitHostPort(o.addr); err != nil {
		return usageError(fmt.Errorf("--addr %q: %w", o.addr, err))
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
	logger := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	srv, err := web.New(web.Options{Addr: addr, Token: token, Logger: logger})
	if err != nil {
		ln.Close()
		return err
	}
	url := "http://" + addr + "/"
	if token != "" {
		url += "?token=" + token
	}
	fmt.Fprintf(e.stderr, "aadsts: serving the web UI on %s\n", url)
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return hs.Shutdown(shutdown)
	}
}
