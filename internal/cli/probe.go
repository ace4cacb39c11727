package cli

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/confidential"
	"github.com/spf13/cobra"

	"github.com/aadsts/aadsts/cred"
	"github.com/aadsts/aadsts/errtext"
	"github.com/aadsts/aadsts/explain"
	"github.com/aadsts/aadsts/jose"
)

type probeOptions struct {
	authority, tenant, clientID string
	secretFile, secretEnv       string
	cert, key, pfx, pwFile      string
	scope, caFile, output       string
	timeout                     time.Duration
}

func newProbeCmd(e *env) *cobra.Command {
	var o probeOptions
	cmd := &cobra.Command{
		Use:   "probe",
		Short: "Send a real token request and inspect the token or explain the error",
		Long: `probe asks an authority for a token with your credentials (client credentials
grant, through MSAL Go), then either summarizes the token it got (claims only,
never the token itself) or explains the AADSTS error with the catalog. Use it to
verify a fix. The authority is the public cloud unless --authority says
otherwise (for example the local emulator, with --ca-file to trust it).`,
		Example: `  aadsts probe --tenant contoso.onmicrosoft.com --client-id $APP --secret-env AZURE_CLIENT_SECRET
  aadsts probe --tenant $TENANT --client-id $APP --cert cert.pem --key key.pem --scope api://my-api/.default
  aadsts probe --authority https://127.0.0.1:5443 --ca-file emulator-ca.pem --tenant $TENANT --client-id $APP --pfx app.pfx`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runProbe(cmd.Context(), e, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.authority, "authority", "https://login.microsoftonline.com", "authority host (scheme and host)")
	f.StringVar(&o.tenant, "tenant", "", "tenant id or verified domain (required)")
	f.StringVar(&o.clientID, "client-id", "", "application (client) id (required)")
	f.StringVar(&o.secretFile, "secret-file", "", "file holding the client secret")
	f.StringVar(&o.secretEnv, "secret-env", "", "environment variable holding the client secret")
	f.StringVar(&o.cert, "cert", "", "certificate (PEM or DER); with --key unless it holds the key")
	f.StringVar(&o.key, "key", "", "private key of --cert (PEM)")
	f.StringVar(&o.pfx, "pfx", "", "PKCS#12/PFX with certificate and key")
	f.StringVar(&o.pwFile, "password-file", "", "file holding the PFX password (else env "+passwordEnv+")")
	f.StringVar(&o.scope, "scope", "https://graph.microsoft.com/.default", "scope to ask for")
	f.StringVar(&o.caFile, "ca-file", "", "extra CA certificates (PEM) to trust, e.g. the emulator's")
	f.StringVar(&o.output, "output", "text", "output format: text or json")
	f.DurationVar(&o.timeout, "timeout", 30*time.Second, "give up after this long")
	return cmd
}

// probeReport is probe's JSON output.
type probeReport struct {
	TokenEndpoint string        `json:"token_endpoint"`
	ClientID      string        `json:"client_id"`
	Scope         string        `json:"scope"`
	Credential    string        `json:"credential"`
	OK            bool          `json:"ok"`
	Token         *tokenSummary `json:"token,omitempty"`
	Error         *probeFailure `json:"error,omitempty"`
}

type tokenSummary struct {
	Version   string    `json:"version"`
	Issuer    string    `json:"issuer"`
	Audience  string    `json:"audience"`
	AppID     string    `json:"app_id"`
	TenantID  string    `json:"tenant_id"`
	ObjectID  string    `json:"object_id,omitempty"`
	IDType    string    `json:"idtyp,omitempty"`
	AuthLevel string    `json:"client_auth,omitempty"` // appidacr / azpacr
	Roles     []string  `json:"roles,omitempty"`
	Scopes    []string  `json:"scopes,omitempty"`
	KeyID     string    `json:"kid,omitempty"`
	IssuedAt  time.Time `json:"issued_at"`
	ExpiresOn time.Time `json:"expires_on"`
}

type probeFailure struct {
	Code          int      `json:"code"`
	OAuthError    string   `json:"oauth_error,omitempty"`
	Name          string   `json:"name,omitempty"`
	Meaning       string   `json:"meaning,omitempty"`
	Message       string   `json:"message"`
	TraceID       string   `json:"trace_id,omitempty"`
	CorrelationID string   `json:"correlation_id,omitempty"`
	Timestamp     string   `json:"timestamp,omitempty"`
	Causes        []string `json:"likely_causes,omitempty"`
}

func runProbe(ctx context.Context, e *env, o probeOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := checkOutput(o.output, "text", "json"); err != nil {
		return err
	}
	if o.tenant == "" || o.clientID == "" {
		return usageError(errors.New("--tenant and --client-id are required"))
	}
	credential, label, err := probeCredential(e, o)
	if err != nil {
		return err
	}
	client := &http.Client{Timeout: o.timeout}
	if o.caFile != "" {
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		pemData, err := os.ReadFile(o.caFile)
		if err != nil {
			return usageError(fmt.Errorf("--ca-file: %w", err))
		}
		if !pool.AppendCertsFromPEM(pemData) {
			return usageError(fmt.Errorf("--ca-file %s: no PEM certificate", o.caFile))
		}
		client.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}
	}
	authority := strings.TrimRight(o.authority, "/") + "/" + o.tenant
	app, err := confidential.New(authority, o.clientID, credential,
		confidential.WithHTTPClient(client), confidential.WithInstanceDiscovery(false))
	if err != nil {
		return usageError(fmt.Errorf("--authority %s: %w", o.authority, err))
	}
	rep := probeReport{TokenEndpoint: authority + "/oauth2/v2.0/token", ClientID: o.clientID, Scope: o.scope, Credential: label}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	res, err := app.AcquireTokenByCredential(ctx, []string{o.scope})
	var report *explain.Report
	if err == nil {
		rep.OK = true
		rep.Token = summarizeToken(res.AccessToken)
	} else {
		parsed := errtext.Parse(err.Error())
		if parsed.Primary == 0 {
			return withCode(ExitFound, fmt.Errorf("token request to %s: %w", rep.TokenEndpoint, err))
		}
		r := explain.Explain(parsed, explain.CatalogFor(parsed.Codes), nil)
		report = &r
		rep.Error = failureSummary(parsed, r)
	}
	if o.output == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		writeProbeText(e.stdout, rep, report)
	}
	if !rep.OK {
		return withCode(ExitFound, nil)
	}
	return nil
}

// probeCredential builds the MSAL credential from exactly one of the
// credential flags and names it without revealing it.
func probeCredential(e *env, o probeOptions) (confidential.Credential, string, error) {
	n := 0
	for _, set := range []bool{o.secretFile != "", o.secretEnv != "", o.cert != "" || o.key != "", o.pfx != ""} {
		if set {
			n++
		}
	}
	if n != 1 {
		return confidential.Credential{}, "", usageError(errors.New("give exactly one credential: --secret-file, --secret-env, --cert/--key or --pfx"))
	}
	switch {
	case o.secretFile != "", o.secretEnv != "":
		var secret string
		if o.secretFile != "" {
			b, err := os.ReadFile(o.secretFile)
			if err != nil {
				return confidential.Credential{}, "", usageError(fmt.Errorf("--secret-file: %w", err))
			}
			secret = strings.TrimRight(string(b), "\r\n")
		} else if secret = e.getenv(o.secretEnv); secret == "" {
			return confidential.Credential{}, "", usageError(fmt.Errorf("--secret-env %s: the variable is empty or unset", o.secretEnv))
		}
		c, err := confidential.NewCredFromSecret(secret)
		if err != nil {
			return c, "", usageError(fmt.Errorf("client secret: %w", err))
		}
		return c, "client secret " + cred.Fingerprint(secret), nil
	}
	var certs []*x509.Certificate
	var key any
	load := func(flag, path, password string) error {
		data, err := os.ReadFile(path)
		if err != nil {
			return usageError(fmt.Errorf("%s: %w", flag, err))
		}
		b, err := cred.Load(path, data, password)
		if err != nil {
			return usageError(fmt.Errorf("%s: %w", flag, err))
		}
		certs = append(certs, b.Certs...)
		if b.Key != nil {
			key = b.Key
		}
		return nil
	}
	if o.pfx != "" {
		pw, err := readPassword(e, o.pwFile)
		if err != nil {
			return confidential.Credential{}, "", err
		}
		if err := load("--pfx", o.pfx, pw); err != nil {
			return confidential.Credential{}, "", err
		}
	} else {
		if o.cert == "" {
			return confidential.Credential{}, "", usageError(errors.New("--key needs --cert"))
		}
		if err := load("--cert", o.cert, ""); err != nil {
			return confidential.Credential{}, "", err
		}
		if o.key != "" {
			if err := load("--key", o.key, ""); err != nil {
				return confidential.Credential{}, "", err
			}
		}
	}
	if len(certs) == 0 || key == nil {
		return confidential.Credential{}, "", usageError(errors.New("the certificate credential needs a certificate and its private key"))
	}
	c, err := confidential.NewCredFromCert(certs, key)
	if err != nil {
		return c, "", usageError(fmt.Errorf("certificate credential: %w", err))
	}
	return c, "certificate " + cred.ThumbprintsOf(certs[0]).SHA1Hex, nil
}

// summarizeToken reads the claims that matter; the token itself is never kept.
func summarizeToken(raw string) *tokenSummary {
	t, err := jose.Decode(raw)
	if err != nil {
		return &tokenSummary{Version: "opaque"}
	}
	s := &tokenSummary{
		Version: t.StringClaim("ver"), Issuer: t.StringClaim("iss"), Audience: t.StringClaim("aud"),
		TenantID: t.StringClaim("tid"), ObjectID: t.StringClaim("oid"), IDType: t.StringClaim("idtyp"),
		Roles: t.StringsClaim("roles"), Scopes: strings.Fields(t.StringClaim("scp")), KeyID: t.Kid(),
	}
	s.AppID = t.StringClaim("appid")
	s.AuthLevel = t.StringClaim("appidacr")
	if s.AppID == "" {
		s.AppID, s.AuthLevel = t.StringClaim("azp"), t.StringClaim("azpacr")
	}
	s.IssuedAt, _ = t.TimeClaim("iat")
	s.ExpiresOn, _ = t.TimeClaim("exp")
	return s
}

func failureSummary(p errtext.Result, r explain.Report) *probeFailure {
	f := &probeFailure{Code: p.Primary, OAuthError: p.OAuthError, Message: p.Messages[p.Primary]}
	f.TraceID, _ = p.Field("trace_id")
	f.CorrelationID, _ = p.Field("correlation_id")
	f.Timestamp, _ = p.Field("timestamp")
	for _, c := range r.Errors {
		if c.Code != p.Primary {
			continue
		}
		f.Name, f.Meaning = c.Name, c.Meaning
		for i, cause := range c.Causes {
			if i == 3 {
				break
			}
			f.Causes = append(f.Causes, cause.Title)
		}
	}
	return f
}

func writeProbeText(w io.Writer, rep probeReport, r *explain.Report) {
	fmt.Fprintf(w, "token endpoint  %s\n", rep.TokenEndpoint)
	fmt.Fprintf(w, "client          %s with %s\n", rep.ClientID, rep.Credential)
	fmt.Fprintf(w, "scope           %s\n", rep.Scope)
	if rep.OK {
		t := rep.Token
		fmt.Fprintf(w, "result          token issued (v%s, expires %s, in %s)\n", t.Version, t.ExpiresOn.UTC().Format(time.RFC3339), time.Until(t.ExpiresOn).Round(time.Minute))
		fmt.Fprintf(w, "issuer          %s\n", t.Issuer)
		fmt.Fprintf(w, "audience        %s\n", t.Audience)
		fmt.Fprintf(w, "app / tenant    %s / %s\n", t.AppID, t.TenantID)
		acr := map[string]string{"0": "public client", "1": "client secret", "2": "certificate or assertion"}[t.AuthLevel]
		fmt.Fprintf(w, "authenticated   %s (%s)\n", acr, t.AuthLevel)
		if len(t.Roles) > 0 {
			fmt.Fprintf(w, "roles           %s\n", strings.Join(slices.Sorted(slices.Values(t.Roles)), " "))
		} else if len(t.Scopes) == 0 {
			fmt.Fprintln(w, "roles           none: the app has no application permission on this resource")
		}
		return
	}
	fmt.Fprintf(w, "result          AADSTS%d %s\n\n", rep.Error.Code, rep.Error.OAuthError)
	if r != nil {
		_ = explain.WriteText(w, *r, explain.TextOptions{})
	}
}
