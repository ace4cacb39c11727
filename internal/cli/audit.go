package cli

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/aadsts/aadsts/audit"
	"github.com/aadsts/aadsts/audit/notify"
	"github.com/aadsts/aadsts/directory"
	"github.com/aadsts/aadsts/graphapi"
	"github.com/aadsts/aadsts/signins"
	"github.com/aadsts/aadsts/signins/sqlstore"
)

type auditOptions struct {
	now                  string
	warnDays, critDays   int
	maxSecret, maxCert   string
	maxFICs              int
	unusedDays           int
	signinsDB            string
	output               string
	failOn               string
	minSeverity          string
	notifyURL, notifyFmt string

	live          bool
	tenant        string
	graphURL      string
	authorityHost string
	credential    string
	clientID      string
	certificate   string
	caFile        string
	pageSize      int
	federated     bool
}

var auditOutputs = []string{"table", "text", "json", "markdown", "csv", "sarif"}

func newAuditCmd(e *env) *cobra.Command {
	o := &auditOptions{}
	cmd := &cobra.Command{
		Use:   "audit [FILE...|-]",
		Short: "Audit app registrations for expired, expiring and risky credentials",
		Long: `audit checks applications and service principals for expired and expiring
secrets and certificates, lifetimes longer than a policy, symmetric signing
keys, secrets hidden on service principals, several active secrets,
certificates whose customKeyIdentifier is not their SHA-1, weak or SHA-1-signed
certificates, federated credentials that cannot match, and clients asking for
delegated permissions an API does not expose. See docs/audit.md.

It reads Microsoft Graph application and servicePrincipal JSON (single, lists
or pages), az ad app/sp list, az ad app credential list (with and without
--cert), Graph PowerShell ConvertTo-Json output, legacy Azure AD Graph JSON and
the emulator's directory file; with no FILE, standard input. With --live it
reads the tenant through Microsoft Graph (needs Application.Read.All).

Exit status: 0 when no finding reaches --fail-on (default: never fail), 1 when
one does or a --notify post failed, 2 for usage or input errors.`,
		Example: `  az ad app list --all > apps.json && aadsts audit apps.json
  aadsts audit --output sarif --fail-on critical apps.json sps.json > audit.sarif
  aadsts audit --live --tenant contoso.onmicrosoft.com --credential azure-cli
  aadsts audit apps.json --notify https://hooks.slack.com/services/...`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAudit(cmd.Context(), e, o, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.now, "now", "", "audit as of `TIME` (RFC 3339) instead of now")
	f.IntVar(&o.warnDays, "warn-days", 30, "warn about credentials expiring within `N` days")
	f.IntVar(&o.critDays, "critical-days", 7, "critical for credentials expiring within `N` days")
	f.StringVar(&o.maxSecret, "max-secret-lifetime", "365d", "secret lifetime policy (`DURATION`: 365d, 8760h, 0 to disable)")
	f.StringVar(&o.maxCert, "max-cert-lifetime", "730d", "certificate lifetime policy (`DURATION`, 0 to disable)")
	f.IntVar(&o.maxFICs, "max-federated", 20, "per-application federated credential limit")
	f.IntVar(&o.unusedDays, "unused-days", 90, "with --signins-db: flag credentials without a sign-in in `N` days")
	f.StringVar(&o.signinsDB, "signins-db", "", "sign-in store (`FILE`, from aadsts logs import) for the unused-credential rule")
	f.StringVarP(&o.output, "output", "o", "", "output format: "+strings.Join(auditOutputs, ", ")+" (default: table on a terminal, text when piped)")
	f.StringVar(&o.failOn, "fail-on", "", "exit 1 when a finding is at least `SEVERITY` (warning or critical)")
	f.StringVar(&o.minSeverity, "min-severity", "info", "report findings of at least `SEVERITY` (info, warning, critical)")
	f.StringVar(&o.notifyURL, "notify", "", "post expiry reminders to webhook `URL`")
	f.StringVar(&o.notifyFmt, "notify-format", "auto", "webhook payload: "+strings.Join(notify.Formats, ", "))
	f.BoolVar(&o.live, "live", false, "read the tenant through Microsoft Graph instead of files")
	f.StringVar(&o.tenant, "tenant", "", "with --live: tenant id or domain")
	f.StringVar(&o.graphURL, "graph-url", graphapi.DefaultBaseURL, "with --live: Graph base `URL` (the emulator's is https://127.0.0.1:PORT/v1.0)")
	f.StringVar(&o.authorityHost, "authority-host", "", "with --live: token authority host `URL` (default Azure public cloud; the emulator's URL)")
	f.StringVar(&o.credential, "credential", graphapi.CredDefault, "with --live: "+strings.Join(graphapi.CredentialKinds, ", ")+"; the secret comes from $AZURE_CLIENT_SECRET")
	f.StringVar(&o.clientID, "client-id", "", "with --live: the reading app's client id (default $AZURE_CLIENT_ID)")
	f.StringVar(&o.certificate, "certificate", "", "with --live --credential certificate: PEM or PFX `FILE` with the private key (password in $AZURE_CLIENT_CERTIFICATE_PASSWORD)")
	f.StringVar(&o.caFile, "ca-file", "", "with --live: also trust the PEM CA certificates in `FILE` (the emulator's CA)")
	f.IntVar(&o.pageSize, "page-size", 999, "with --live: items per Graph page")
	f.BoolVar(&o.federated, "federated", true, "with --live: also read each application's federated credentials (one request per application)")
	return cmd
}

// auditSettings are the checked flags.
type auditSettings struct {
	opts     audit.Options
	failOn   audit.Severity
	minSev   audit.Severity
	output   string
	notifyTo string
}

func (o *auditOptions) settings(e *env) (auditSettings, error) {
	var s auditSettings
	var probs []string
	s.output = o.output
	if s.output == "" {
		s.output = "text"
		if auditTerminal(e.stdout) {
			s.output = "table"
		}
	}
	if err := checkOutput(s.output, auditOutputs...); err != nil {
		return s, err
	}
	now := time.Now().UTC()
	if o.now != "" {
		t, err := time.Parse(time.RFC3339, o.now)
		if err != nil {
			probs = append(probs, fmt.Sprintf("--now %q: not an RFC 3339 time", o.now))
		}
		now = t
	}
	s.opts = audit.DefaultOptions(now)
	s.opts.WarnWithin = time.Duration(o.warnDays) * audit.Day
	s.opts.CriticalWithin = time.Duration(o.critDays) * audit.Day
	s.opts.MaxFICs = o.maxFICs
	s.opts.UnusedAfter = time.Duration(o.unusedDays) * audit.Day
	if o.warnDays < 0 || o.critDays < 0 || o.unusedDays < 0 {
		probs = append(probs, "--warn-days, --critical-days and --unused-days must not be negative")
	} else if o.critDays > o.warnDays {
		probs = append(probs, fmt.Sprintf("--critical-days %d is more than --warn-days %d", o.critDays, o.warnDays))
	}
	var err error
	if s.opts.MaxSecretLifetime, err = auditDuration(o.maxSecret); err != nil {
		probs = append(probs, "--max-secret-lifetime: "+err.Error())
	}
	if s.opts.MaxCertLifetime, err = auditDuration(o.maxCert); err != nil {
		probs = append(probs, "--max-cert-lifetime: "+err.Error())
	}
	switch strings.ToLower(o.failOn) {
	case "", "none", "never":
	case "info", "warning", "critical":
		s.failOn, _ = audit.ParseSeverity(o.failOn)
	default:
		probs = append(probs, fmt.Sprintf("--fail-on %q: want warning or critical", o.failOn))
	}
	if s.minSev, err = audit.ParseSeverity(o.minSeverity); err != nil {
		probs = append(probs, "--min-severity: "+err.Error())
	}
	if o.notifyURL != "" {
		if !strings.HasPrefix(o.notifyURL, "https://") && !strings.HasPrefix(o.notifyURL, "http://") {
			probs = append(probs, "--notify: want an http(s) URL")
		}
		s.notifyTo = o.notifyURL
	}
	if !contains(notify.Formats, o.notifyFmt) {
		probs = append(probs, fmt.Sprintf("--notify-format %q: want one of %s", o.notifyFmt, strings.Join(notify.Formats, ", ")))
	}
	if o.live && o.tenant == "" {
		probs = append(probs, "--live needs --tenant")
	}
	if len(probs) > 0 {
		return s, usageError(errors.New(strings.Join(probs, "; ")))
	}
	return s, nil
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// auditDuration reads a Go duration or a number of days ("365d").
func auditDuration(v string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(strings.TrimSpace(v), "d"); ok {
		d, err := strconv.Atoi(n)
		if err != nil || d < 0 {
			return 0, fmt.Errorf("%q: want days like 365d or a duration like 8760h", v)
		}
		return time.Duration(d) * audit.Day, nil
	}
	if v == "0" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%q: want days like 365d or a duration like 8760h", v)
	}
	return d, nil
}

func runAudit(ctx context.Context, e *env, o *auditOptions, args []string) error {
	if ctx == nil {
		ctx = context.Background()
	}
	s, err := o.settings(e)
	if err != nil {
		return err
	}
	var dir *directory.Directory
	if o.live {
		if len(args) > 0 {
			return usageError(errors.New("--live reads the tenant; give no FILE"))
		}
		dir, err = o.readLive(ctx, e)
	} else {
		dir, err = readAuditFiles(e, args)
	}
	if err != nil {
		return usageError(err)
	}
	if o.signinsDB != "" {
		store, err := sqlstore.Open(ctx, o.signinsDB)
		if err != nil {
			return usageError(fmt.Errorf("--signins-db %s: %w", o.signinsDB, err))
		}
		defer store.Close()
		act, err := newSignInIndex(ctx, store, s.opts.Now.Add(-s.opts.UnusedAfter))
		if err != nil {
			return usageError(fmt.Errorf("--signins-db %s: %w", o.signinsDB, err))
		}
		s.opts.SignIns = act
	}
	findings, err := audit.Run(ctx, dir, s.opts)
	if err != nil {
		return usageError(err)
	}
	shown := findings[:0:0]
	for _, f := range findings {
		if f.Severity >= s.minSev {
			shown = append(shown, f)
		}
	}
	apps, sps := 0, 0
	for _, t := range dir.Tenants {
		apps += len(t.Applications)
		sps += len(t.ServicePrincipals)
	}
	rep := audit.NewReport(shown, s.opts.Now, apps, sps)
	if err := writeAudit(e, s, rep); err != nil {
		return fmt.Errorf("write audit: %w", err)
	}
	if s.notifyTo != "" {
		n, err := notify.Send(ctx, notify.Options{URL: s.notifyTo, Format: o.notifyFmt, Now: s.opts.Now}, findings)
		if err != nil {
			return withCode(ExitFound, err)
		}
		fmt.Fprintf(e.stderr, "aadsts: posted %d expiry reminder(s) to the webhook\n", n)
	}
	if s.failOn != 0 && audit.Worst(findings) >= s.failOn {
		return withCode(ExitFound, nil)
	}
	return nil
}

func writeAudit(e *env, s auditSettings, rep audit.Report) error {
	switch s.output {
	case "json":
		return audit.WriteJSON(e.stdout, rep)
	case "markdown":
		return audit.WriteMarkdown(e.stdout, rep)
	case "csv":
		return audit.WriteCSV(e.stdout, rep)
	case "sarif":
		v, _ := buildVersion()
		return audit.WriteSARIF(e.stdout, rep, v)
	case "table":
		return audit.WriteText(e.stdout, rep, audit.TextOptions{Table: true, Color: explainColor(e), Now: s.opts.Now})
	}
	return audit.WriteText(e.stdout, rep, audit.TextOptions{Now: s.opts.Now})
}

// readAuditFiles reads every FILE (or standard input) into one directory.
func readAuditFiles(e *env, args []string) (*directory.Directory, error) {
	if len(args) == 0 {
		if f, ok := e.stdin.(*os.File); ok && isCharDevice(f) {
			return nil, errors.New("give FILE..., - for standard input, or --live --tenant T")
		}
		args = []string{"-"}
	}
	all := &directory.Directory{}
	for _, name := range args {
		var data []byte
		var err error
		if name == "-" {
			data, err = io.ReadAll(e.stdin)
		} else {
			data, err = os.ReadFile(name)
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		d, err := directory.Read(name, data)
		if err != nil {
			return nil, err
		}
		for _, n := range d.Notes {
			fmt.Fprintf(e.stderr, "aadsts: note: %s\n", n)
		}
		if len(d.FirstParty) > 0 {
			fmt.Fprintf(e.stderr, "aadsts: note: %s is a catalog of %d Microsoft first-party apps, not app registrations: nothing in it is audited\n", name, len(d.FirstParty))
		}
		all.Merge(d)
	}
	return all, nil
}

func (o *auditOptions) readLive(ctx context.Context, e *env) (*directory.Directory, error) {
	hc := &http.Client{Timeout: 60 * time.Second}
	if o.caFile != "" {
		pem, err := os.ReadFile(o.caFile)
		if err != nil {
			return nil, fmt.Errorf("--ca-file %s: %w", o.caFile, err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--ca-file %s: no PEM certificate", o.caFile)
		}
		hc.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}
	}
	clientID := o.clientID
	if clientID == "" {
		clientID = e.getenv("AZURE_CLIENT_ID")
	}
	ts, err := graphapi.AzureIdentity(graphapi.AzureOptions{
		Kind: o.credential, TenantID: o.tenant, ClientID: clientID,
		ClientSecret:    e.getenv("AZURE_CLIENT_SECRET"),
		CertificatePath: o.certificate, CertificatePassword: e.getenv("AZURE_CLIENT_CERTIFICATE_PASSWORD"),
		AuthorityHost: o.authorityHost, HTTPClient: hc,
	})
	if err != nil {
		return nil, err
	}
	c, err := graphapi.New(o.graphURL, ts, hc)
	if err != nil {
		return nil, err
	}
	if auditTerminal(e.stderr) {
		fmt.Fprintf(e.stderr, "aadsts: reading applications and service principals of %s from %s\n", o.tenant, o.graphURL)
	}
	d, err := graphapi.ReadDirectory(ctx, c, o.tenant, graphapi.ReadOptions{PageSize: o.pageSize, Federated: o.federated})
	if err != nil {
		return nil, err
	}
	for _, n := range d.Notes {
		fmt.Fprintf(e.stderr, "aadsts: note: %s\n", n)
	}
	return d, nil
}

// auditTerminal reports whether w is a terminal.
func auditTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isCharDevice(f)
}

// signInIndex answers audit.SignInActivity from a sign-in store: the
// latest service-principal sign-in per credential since a cutoff, loaded
// once from the store's report by credential (grouped in the store, not by
// reading every record). A credential's key id is a GUID made for it, so
// it names the credential without the app.
type signInIndex map[string]time.Time

func newSignInIndex(ctx context.Context, s signins.Store, since time.Time) (signInIndex, error) {
	groups, err := s.Report(ctx, signins.Query{By: signins.ByCredential, Filter: signins.Filter{Since: since, Kinds: []signins.Kind{signins.KindServicePrincipal}}})
	if err != nil {
		return nil, err
	}
	idx := signInIndex{}
	for _, g := range groups {
		if g.Key != "" {
			idx[strings.ToLower(g.Key)] = g.Last
		}
	}
	return idx, nil
}

func (idx signInIndex) LastSignIn(_ context.Context, _, keyID string) (time.Time, bool, error) {
	t, ok := idx[strings.ToLower(keyID)]
	return t, ok, nil
}
