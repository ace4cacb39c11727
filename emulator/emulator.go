package emulator

import (
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/aadsts/aadsts/directory"
	"github.com/aadsts/aadsts/jose"
)

// Options configure an Emulator. The zero value is usable.
type Options struct {
	// Now is the base clock; time.Now when nil. The admin API adds an
	// offset on top of it.
	Now func() time.Time
	// SigningKey is the first token-signing key; a new RSA-2048 key when nil.
	SigningKey *rsa.PrivateKey
	// KeyGrace is how long a rotated-out key stays in the JWKS (default 24h).
	KeyGrace time.Duration
	// Tail selects the error_description tail style (default TailCRLF).
	Tail TailStyle
	// TokenLifetime is the access token lifetime (default 3599 seconds as
	// expires_in, Entra's client-credentials default).
	TokenLifetime time.Duration
	// SignIns, when set, receives every sign-in record as well as the
	// in-memory store that the Graph surface reads.
	SignIns SignInSink
	// MaxSignIns caps the in-memory sign-in records (default 10000; the
	// oldest are dropped).
	MaxSignIns int
	// DeviceCodeInterval is the polling interval (seconds) the device
	// code endpoint asks for (default 5, as Entra).
	DeviceCodeInterval int
	// AutoUser is the userPrincipalName signed in automatically by the
	// authorize endpoint; empty shows a sign-in page instead.
	AutoUser string
	// AllowMissingServicePrincipal accepts client apps that have no
	// service principal in the tenant; Entra refuses them (AADSTS7000229)
	// since 2024, and so does the emulator by default.
	AllowMissingServicePrincipal bool
	// FederatedIssuers are external issuers' signing keys given inline,
	// by issuer URL, for federated assertions; other issuers' keys are
	// fetched through their OpenID discovery document with HTTPClient.
	FederatedIssuers map[string][]jose.JWK
	// HTTPClient fetches external issuers' keys (default: 10 s timeout).
	HTTPClient *http.Client
	// ErrorLog receives internal errors (never secrets); nil discards.
	ErrorLog func(format string, args ...any)
}

// Emulator serves Entra's endpoints for the tenants of a directory. It is
// safe for concurrent use.
type Emulator struct {
	opts    Options
	clock   *Clock
	keys    *keyRing
	dir     *directory.Directory
	faults  *faults
	store   *signInStore
	codes   *codeStore
	issuers issuerCache
	mux     *http.ServeMux
}

// ErrNoTenants is returned by New for a directory without tenants.
var ErrNoTenants = errors.New("directory has no tenants")

// New returns an emulator serving dir.
func New(dir *directory.Directory, opts Options) (*Emulator, error) {
	if dir == nil || len(dir.Tenants) == 0 {
		return nil, ErrNoTenants
	}
	if opts.KeyGrace == 0 {
		opts.KeyGrace = 24 * time.Hour
	}
	if opts.TokenLifetime == 0 {
		opts.TokenLifetime = 3599 * time.Second
	}
	if opts.DeviceCodeInterval == 0 {
		opts.DeviceCodeInterval = 5
	}
	if opts.MaxSignIns == 0 {
		opts.MaxSignIns = 10000
	}
	clock := NewClock(opts.Now)
	keys, err := newKeyRing(opts.SigningKey, opts.KeyGrace, clock.Now())
	if err != nil {
		return nil, err
	}
	e := &Emulator{
		opts: opts, clock: clock, keys: keys, dir: dir,
		faults: &faults{}, store: newSignInStore(opts.MaxSignIns), codes: newCodeStore(),
	}
	e.mux = e.routes()
	return e, nil
}

// Handler returns the emulator's HTTP handler.
func (e *Emulator) Handler() http.Handler { return e }

// Clock returns the emulator's clock, to move time in tests.
func (e *Emulator) Clock() *Clock { return e.clock }

// RotateKeys makes a new signing key now; the previous one stays in the
// JWKS for the grace period. It returns the new key id.
func (e *Emulator) RotateKeys() (string, error) { return e.keys.rotate(e.clock.Now()) }

// KeyID returns the id (kid) of the current signing key.
func (e *Emulator) KeyID() string { return e.keys.signer().kid }

func (e *Emulator) logf(format string, args ...any) {
	if e.opts.ErrorLog != nil {
		e.opts.ErrorLog(format, args...)
	}
}

// ServeHTTP implements http.Handler.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, AdminPrefix) {
		e.handleAdmin(w, r)
		return
	}
	e.mux.ServeHTTP(w, r)
}

func (e *Emulator) routes() *http.ServeMux {
	m := http.NewServeMux()
	// OpenID discovery and keys.
	m.HandleFunc("GET /{tenant}/v2.0/.well-known/openid-configuration", e.handleDiscovery(2))
	m.HandleFunc("GET /{tenant}/.well-known/openid-configuration", e.handleDiscovery(1))
	m.HandleFunc("GET /{tenant}/discovery/v2.0/keys", e.handleKeys(2))
	m.HandleFunc("GET /{tenant}/discovery/keys", e.handleKeys(1))
	m.HandleFunc("GET /discovery/v2.0/keys", e.handleKeys(2))
	m.HandleFunc("GET /discovery/keys", e.handleKeys(1))
	m.HandleFunc("GET /common/discovery/instance", e.handleInstanceDiscovery)
	m.HandleFunc("GET /common/userrealm/{user}", e.handleUserRealm)
	m.HandleFunc("GET /common/UserRealm/{user}", e.handleUserRealm)
	// Token endpoints; other methods get Entra's 900561.
	m.HandleFunc("/{tenant}/oauth2/v2.0/token", e.handleToken(2))
	m.HandleFunc("/{tenant}/oauth2/token", e.handleToken(1))
	// Authorization code flow.
	m.HandleFunc("GET /{tenant}/oauth2/v2.0/authorize", e.handleAuthorize)
	m.HandleFunc("POST /{tenant}/oauth2/v2.0/authorize", e.handleAuthorize)
	m.HandleFunc("POST /{tenant}/oauth2/v2.0/devicecode", e.handleDeviceCode)
	m.HandleFunc("/devicelogin", e.handleDeviceLogin)
	// Microsoft Graph surface.
	m.HandleFunc("GET /v1.0/applications", e.graph(e.graphApplications))
	m.HandleFunc("GET /v1.0/applications/{id}", e.graph(e.graphApplication))
	m.HandleFunc("GET /v1.0/applications/{id}/federatedIdentityCredentials", e.graph(e.graphFederated))
	m.HandleFunc("GET /v1.0/servicePrincipals", e.graph(e.graphServicePrincipals))
	m.HandleFunc("GET /v1.0/auditLogs/signIns", e.graph(e.graphSignIns))
	return m
}

// request starts the per-request bookkeeping: trace id, correlation id
// (the client's client-request-id when it sent one), emulated time.
func (e *Emulator) request(r *http.Request) *reqInfo {
	ri := &reqInfo{traceID: newGUID(), now: e.clock.Now(), tls: r.TLS != nil}
	ri.clientReqID = r.Header.Get("client-request-id")
	if ri.clientReqID == "" {
		ri.clientReqID = r.Header.Get("x-ms-client-request-id")
	}
	ri.correlationID = ri.clientReqID
	if ri.correlationID == "" {
		ri.correlationID = newGUID()
	}
	ri.errorHost = "login.microsoftonline.com"
	ri.base = baseURL(r)
	ri.telemetry = r.Header.Get("x-client-SKU") != ""
	return ri
}

// baseURL is the scheme and host the client used, which the emulator puts
// in discovery documents and token issuers.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func newGUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// hasTenant reports whether name is a tenant id or verified domain.
func (e *Emulator) hasTenant(name string) bool {
	_, ok := e.dir.FindTenant(name)
	return ok
}
