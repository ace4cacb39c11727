package emulator

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/aadsts/aadsts/jose"
)

// issuerCache keeps external issuers' keys for a while, as Entra caches
// the JWKS it downloads for federated credentials.
type issuerCache struct {
	mu      sync.Mutex
	entries map[string]issuerEntry
}

type issuerEntry struct {
	keys    []jose.JWK
	fetched time.Time
}

const issuerCacheTTL = 5 * time.Minute

// issuerKeys returns the signing keys of the issuer of a federated client
// assertion (one whose iss is not the client id): inline keys from
// Options.FederatedIssuers, the emulator's own keys for tokens it issued,
// or the issuer's JWKS fetched through its OpenID discovery document.
// Failures to fetch leave the issuer without keys: the rules then answer as
// Entra does for an unverifiable assertion.
func (e *Emulator) issuerKeys(ctx context.Context, form url.Values) map[string][]jose.JWK {
	raw := form.Get("client_assertion")
	if raw == "" {
		return nil
	}
	t, err := jose.Decode(raw)
	if err != nil {
		return nil
	}
	iss := t.StringClaim("iss")
	if iss == "" || strings.EqualFold(iss, form.Get("client_id")) {
		return nil
	}
	if keys, ok := e.opts.FederatedIssuers[iss]; ok {
		return map[string][]jose.JWK{iss: keys}
	}
	if own := e.ownIssuerKeys(iss); own != nil {
		return map[string][]jose.JWK{iss: own}
	}
	e.issuers.mu.Lock()
	ent, ok := e.issuers.entries[iss]
	e.issuers.mu.Unlock()
	if ok && time.Since(ent.fetched) < issuerCacheTTL {
		return map[string][]jose.JWK{iss: ent.keys}
	}
	keys, err := e.fetchIssuerKeys(ctx, iss)
	if err != nil {
		e.logf("federated issuer %s: %v", iss, err)
		return nil
	}
	e.issuers.mu.Lock()
	if e.issuers.entries == nil {
		e.issuers.entries = map[string]issuerEntry{}
	}
	e.issuers.entries[iss] = issuerEntry{keys: keys, fetched: time.Now()}
	e.issuers.mu.Unlock()
	return map[string][]jose.JWK{iss: keys}
}

// ownIssuerKeys returns the emulator's published keys when iss is one of
// its own v1 or v2 issuers (an app-only token it issued used as a FIC).
func (e *Emulator) ownIssuerKeys(iss string) []jose.JWK {
	isOwn := strings.HasPrefix(iss, "https://sts.windows.net/")
	for _, t := range e.dir.Tenants {
		isOwn = isOwn || strings.HasSuffix(iss, "/"+t.ID+"/v2.0")
	}
	if !isOwn {
		return nil
	}
	var set struct {
		Keys []jwk `json:"keys"`
	}
	for _, k := range e.keys.published(e.clock.Now()) {
		set.Keys = append(set.Keys, k.jwk(""))
	}
	b, _ := json.Marshal(set)
	keys, err := jose.ParseJWKS(b)
	if err != nil {
		return nil
	}
	return keys
}

func (e *Emulator) fetchIssuerKeys(ctx context.Context, iss string) ([]jose.JWK, error) {
	client := e.opts.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	get := func(u string) ([]byte, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, err
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("GET %s: HTTP %d", u, resp.StatusCode)
		}
		return io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	}
	b, err := get(strings.TrimSuffix(iss, "/") + "/.well-known/openid-configuration")
	if err != nil {
		return nil, fmt.Errorf("discovery: %w", err)
	}
	var doc struct {
		JWKSURI string `json:"jwks_uri"`
	}
	if err := json.Unmarshal(b, &doc); err != nil || doc.JWKSURI == "" {
		return nil, fmt.Errorf("discovery document of %s has no jwks_uri", iss)
	}
	b, err = get(doc.JWKSURI)
	if err != nil {
		return nil, fmt.Errorf("jwks: %w", err)
	}
	keys, err := jose.ParseJWKS(b)
	if err != nil {
		return nil, fmt.Errorf("jwks %s: %w", doc.JWKSURI, err)
	}
	if len(keys) > 100 {
		keys = keys[:100] // Entra keeps the first 100 signing keys
	}
	return keys, nil
}
