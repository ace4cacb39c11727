package cli

import (
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/aadsts/aadsts/diagnose"
)

type tokenOptions struct {
	token, tenant, metadata, jwks, nonce, now, output string
	audiences                                         []string
	leeway                                            time.Duration
	version                                           int
}

func newDiagnoseTokenCmd(e *env) *cobra.Command {
	var o tokenOptions
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Check a token the way an API validating it would, with IDX error codes",
		Long: `token validates an access or ID token the way an API using
Microsoft.IdentityModel does and names the IDX error of each failure: issuer
against the metadata (v1 sts.windows.net vs v2, the {tenantid} template;
IDX10205), audience (GUID vs App ID URI; IDX10214), lifetime with leeway
(IDX10223, IDX10222), kid in the key set (IDX10511), signature (IDX10503),
Graph tokens with a nonce header, scp/roles, version.

--metadata and --jwks take a file or an https URL.
Exit code 0 when the token validates, 1 when a check fails, 2 on bad input.`,
		Example: `  aadsts diagnose token --token token.jwt --audience api://contoso-api --tenant $TENANT_ID \
    --metadata https://login.microsoftonline.com/$TENANT_ID/v2.0/.well-known/openid-configuration
  aadsts diagnose token --token token.jwt --jwks keys.json --now 2014-07-21T19:00:00Z`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			now, err := startDiagnosis(o.output, o.now)
			if err != nil {
				return err
			}
			if o.version != 0 && o.version != 1 && o.version != 2 {
				return usageError(fmt.Errorf("--accepted-version %d: want 1 or 2", o.version))
			}
			r, err := diagnose.Token(diagnose.TokenOptions{Env: diagnose.Env{Now: now}, Token: o.token, Audiences: o.audiences, Tenant: o.tenant,
				Metadata: o.metadata, JWKS: o.jwks, Nonce: o.nonce, Leeway: o.leeway, AcceptedVersion: o.version, Fetch: fetchURL})
			return finishDiagnosis(e, o.output, r, err)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.token, "token", "", "the token (JWT) or a file holding it")
	f.StringSliceVar(&o.audiences, "audience", nil, "audience the API accepts (repeat for several)")
	f.StringVar(&o.tenant, "tenant", "", "tenant id the API expects")
	f.StringVar(&o.metadata, "metadata", "", "OpenID discovery document: file or URL")
	f.StringVar(&o.jwks, "jwks", "", "JWK set: file or URL")
	f.StringVar(&o.nonce, "nonce", "", "the nonce sent with the sign-in (ID tokens)")
	f.DurationVar(&o.leeway, "leeway", 5*time.Minute, "clock skew tolerated on exp and nbf")
	f.IntVar(&o.version, "accepted-version", 0, "token version the API accepts: 1 or 2 (default either)")
	addDiagnosisFlags(cmd, &o.now, &o.output)
	return cmd
}

// fetchURL downloads a metadata or key document (bounded in size and time).
func fetchURL(url string) ([]byte, error) {
	c := &http.Client{Timeout: 15 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %s", resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, 4<<20))
}
