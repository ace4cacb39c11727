package graphapi

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// Credential kinds for AzureOptions.Kind.
const (
	CredDefault         = "default"
	CredSecret          = "secret"
	CredCertificate     = "certificate"
	CredAzureCLI        = "azure-cli"
	CredManagedIdentity = "managed-identity"
)

// CredentialKinds lists the accepted kinds.
var CredentialKinds = []string{CredDefault, CredSecret, CredCertificate, CredAzureCLI, CredManagedIdentity}

// DefaultScope is the scope of Graph tokens.
const DefaultScope = "https://graph.microsoft.com/.default"

// AzureOptions selects an Azure Identity credential.
type AzureOptions struct {
	Kind     string // one of CredentialKinds; "" is CredDefault
	TenantID string
	ClientID string
	// ClientSecret for CredSecret.
	ClientSecret string
	// CertificatePath (PEM or PFX holding the private key) and its
	// password for CredCertificate.
	CertificatePath, CertificatePassword string
	// AuthorityHost overrides https://login.microsoftonline.com/ (for the
	// emulator); instance discovery is then disabled.
	AuthorityHost string
	// Scope defaults to DefaultScope.
	Scope string
	// HTTPClient carries token requests (e.g. trusting the emulator's CA).
	HTTPClient *http.Client
}

// AzureIdentity returns a TokenSource backed by an Azure Identity
// credential. Azure Identity caches and refreshes tokens itself.
func AzureIdentity(o AzureOptions) (TokenSource, error) {
	var copts azcore.ClientOptions
	disableDiscovery := false
	if o.AuthorityHost != "" {
		host := o.AuthorityHost
		if !strings.HasSuffix(host, "/") {
			host += "/"
		}
		copts.Cloud = cloud.Configuration{ActiveDirectoryAuthorityHost: host, Services: map[cloud.ServiceName]cloud.ServiceConfiguration{}}
		disableDiscovery = true
	}
	if o.HTTPClient != nil {
		copts.Transport = o.HTTPClient
	}
	var (
		cred azcore.TokenCredential
		err  error
	)
	switch o.Kind {
	case "", CredDefault:
		cred, err = azidentity.NewDefaultAzureCredential(&azidentity.DefaultAzureCredentialOptions{ClientOptions: copts, TenantID: o.TenantID, DisableInstanceDiscovery: disableDiscovery})
	case CredSecret:
		if o.ClientID == "" || o.ClientSecret == "" || o.TenantID == "" {
			return nil, fmt.Errorf("credential %s: needs tenant, client id and client secret", o.Kind)
		}
		cred, err = azidentity.NewClientSecretCredential(o.TenantID, o.ClientID, o.ClientSecret,
			&azidentity.ClientSecretCredentialOptions{ClientOptions: copts, DisableInstanceDiscovery: disableDiscovery})
	case CredCertificate:
		if o.ClientID == "" || o.CertificatePath == "" || o.TenantID == "" {
			return nil, fmt.Errorf("credential %s: needs tenant, client id and certificate file", o.Kind)
		}
		data, rerr := os.ReadFile(o.CertificatePath)
		if rerr != nil {
			return nil, fmt.Errorf("read certificate %s: %w", o.CertificatePath, rerr)
		}
		certs, key, perr := azidentity.ParseCertificates(data, []byte(o.CertificatePassword))
		if perr != nil {
			return nil, fmt.Errorf("read certificate %s: %w", o.CertificatePath, perr)
		}
		cred, err = azidentity.NewClientCertificateCredential(o.TenantID, o.ClientID, certs, key,
			&azidentity.ClientCertificateCredentialOptions{ClientOptions: copts, DisableInstanceDiscovery: disableDiscovery})
	case CredAzureCLI:
		cred, err = azidentity.NewAzureCLICredential(&azidentity.AzureCLICredentialOptions{TenantID: o.TenantID})
	case CredManagedIdentity:
		mo := &azidentity.ManagedIdentityCredentialOptions{ClientOptions: copts}
		if o.ClientID != "" {
			mo.ID = azidentity.ClientID(o.ClientID)
		}
		cred, err = azidentity.NewManagedIdentityCredential(mo)
	default:
		return nil, fmt.Errorf("credential %q: want one of %s", o.Kind, strings.Join(CredentialKinds, ", "))
	}
	if err != nil {
		return nil, fmt.Errorf("credential %s: %w", o.Kind, err)
	}
	scope := o.Scope
	if scope == "" {
		scope = DefaultScope
	}
	return &azureSource{cred: cred, scope: scope, tenant: o.TenantID}, nil
}

type azureSource struct {
	cred   azcore.TokenCredential
	scope  string
	tenant string
}

func (s *azureSource) Token(ctx context.Context) (string, error) {
	tok, err := s.cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{s.scope}, TenantID: s.tenant})
	if err != nil {
		return "", err
	}
	return tok.Token, nil
}
