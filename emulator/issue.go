package emulator

import (
	"crypto/rand"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/aadsts/aadsts/directory"
	"github.com/aadsts/aadsts/jose"
	"github.com/aadsts/aadsts/rules"
)

// grant is everything token issuance needs once the rules accepted a
// request: who asked, for what, with which credential.
type grant struct {
	tenant     *directory.Tenant
	client     *directory.Application      // nil only for unknown clients (never issued)
	clientSP   *directory.ServicePrincipal // may be nil
	resourceSP *directory.ServicePrincipal
	resApp     *directory.Application // the resource's registration in this tenant, when it has one
	// audience is the resource as the client named it (v1 resource
	// parameter or the scope's resource part), used as aud in v1 tokens.
	audience string
	scopes   []string // delegated scopes granted (without the resource prefix)
	// respScope is the response's "scope": granted scopes with their
	// resource, then the OpenID scopes that were asked for.
	respScope string
	user      *directory.User
	// acr is "1" for a secret, "2" for a certificate or federated
	// assertion, "0" for a public client.
	acr string
	// nonce and idToken are for user flows.
	nonce  string
	wantID bool
	wantRT bool
	v1     bool // the v1 endpoint was called
	// ug is the user grant behind a code, refresh or OBO request.
	ug *userGrant
}

// tokenVersion is the resource's requestedAccessTokenVersion: 2 or 1.
func (g *grant) tokenVersion() int {
	if g.resApp != nil && g.resApp.API.RequestedAccessTokenVersion != nil && *g.resApp.API.RequestedAccessTokenVersion == 2 {
		return 2
	}
	return 1
}

func randomID(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// accessToken issues the signed access token and returns it with its uti.
func (e *Emulator) accessToken(ri *reqInfo, g *grant) (tok, uti string, exp time.Time, err error) {
	now := ri.now
	nbf := now.Add(-rules.NotBeforeBackdate)
	exp = now.Add(e.opts.TokenLifetime + time.Second)
	uti = randomID(16)
	tid := g.tenant.ID
	c := map[string]any{
		"iat": nbf.Unix(), "nbf": nbf.Unix(), "exp": exp.Unix(),
		"tid": tid, "uti": uti,
		"aio": randomID(48),
		"rh":  "1.A" + randomID(40) + ".",
	}
	// One read of the current key: a rotation between the header and the
	// signature would name one key and sign with another.
	key := e.keys.signer()
	header := map[string]any{"typ": "JWT", "kid": key.kid}
	version := g.tokenVersion()
	appID, appName := g.client.AppID, g.client.DisplayName
	if version == 2 {
		c["iss"] = issuerV2(ri.base, tid)
		c["ver"] = "2.0"
		c["aud"] = g.resourceSP.AppID
		c["azp"] = appID
		c["azpacr"] = g.acr
	} else {
		c["iss"] = issuerV1(tid)
		c["ver"] = "1.0"
		c["aud"] = g.audience
		c["appid"] = appID
		c["appidacr"] = g.acr
		c["idp"] = issuerV1(tid)
		c["app_displayname"] = appName
		header["x5t"] = key.kid
	}
	if g.user == nil {
		c["idtyp"] = "app"
		if g.clientSP != nil {
			c["oid"] = g.clientSP.ID
			c["sub"] = g.clientSP.ID
		}
		if roles := e.appRoles(g); len(roles) > 0 {
			c["roles"] = roles
		}
	} else {
		c["oid"] = g.user.ID
		c["sub"] = pairwiseSub(g.user.ID, appID)
		c["scp"] = strings.Join(g.scopes, " ")
		c["name"] = g.user.DisplayName
		if version == 2 {
			c["preferred_username"] = g.user.UserPrincipalName
		} else {
			c["upn"] = g.user.UserPrincipalName
			c["unique_name"] = g.user.UserPrincipalName
		}
		c["idtyp"] = "user"
	}
	tok, err = jose.Sign(c, header, key.signer, "RS256")
	return tok, uti, exp, err
}

// idToken issues the ID token of a user flow (v2 shape, aud = client).
func (e *Emulator) idToken(ri *reqInfo, g *grant) (string, error) {
	now := ri.now
	c := map[string]any{
		"aud": g.client.AppID, "iss": issuerV2(ri.base, g.tenant.ID),
		"iat": now.Add(-rules.NotBeforeBackdate).Unix(), "nbf": now.Add(-rules.NotBeforeBackdate).Unix(), "exp": now.Add(time.Hour).Unix(),
		"oid": g.user.ID, "sub": pairwiseSub(g.user.ID, g.client.AppID), "tid": g.tenant.ID,
		"name": g.user.DisplayName, "preferred_username": g.user.UserPrincipalName,
		"uti": randomID(16), "ver": "2.0", "rh": "1.A" + randomID(40) + ".",
	}
	if g.nonce != "" {
		c["nonce"] = g.nonce
	}
	key := e.keys.signer()
	return jose.Sign(c, map[string]any{"typ": "JWT", "kid": key.kid}, key.signer, "RS256")
}

// pairwiseSub is a stable per-app subject for a user, as Entra's pairwise sub.
func pairwiseSub(oid, appID string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(oid + "|" + appID))[:43]
}

// appRoles returns the values of the resource's app roles assigned to the
// client's service principal.
func (e *Emulator) appRoles(g *grant) []string {
	if g.clientSP == nil || g.resourceSP == nil {
		return nil
	}
	var roles []string
	for _, a := range g.tenant.AppRoleAssignments {
		if !strings.EqualFold(a.PrincipalID, g.clientSP.ID) || !strings.EqualFold(a.ResourceID, g.resourceSP.ID) {
			continue
		}
		if v := roleValue(g, a.AppRoleID); v != "" {
			roles = append(roles, v)
		}
	}
	return roles
}

func roleValue(g *grant, id string) string {
	for _, r := range g.resourceSP.AppRoles {
		if strings.EqualFold(r.ID, id) {
			return r.Value
		}
	}
	if g.resApp != nil {
		for _, r := range g.resApp.AppRoles {
			if strings.EqualFold(r.ID, id) {
				return r.Value
			}
		}
	}
	return ""
}

// tokenResponseV2 is the v2 success body, members in ESTS's order.
type tokenResponseV2 struct {
	TokenType    string `json:"token_type"`
	Scope        string `json:"scope,omitempty"`
	ExpiresIn    int    `json:"expires_in"`
	ExtExpiresIn int    `json:"ext_expires_in"`
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token,omitempty"`
	IDToken      string `json:"id_token,omitempty"`
	ClientInfo   string `json:"client_info,omitempty"`
}

// tokenResponseV1 is the v1 success body: every number is a string.
type tokenResponseV1 struct {
	TokenType    string `json:"token_type"`
	Scope        string `json:"scope,omitempty"`
	ExpiresIn    string `json:"expires_in"`
	ExtExpiresIn string `json:"ext_expires_in"`
	ExpiresOn    string `json:"expires_on"`
	NotBefore    string `json:"not_before"`
	Resource     string `json:"resource"`
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token,omitempty"`
	IDToken      string `json:"id_token,omitempty"`
}

func (e *Emulator) tokenResponse(ri *reqInfo, g *grant, at string, exp time.Time, rt, idt string) any {
	expiresIn := int(e.opts.TokenLifetime / time.Second)
	scope := g.respScope
	if g.v1 {
		return tokenResponseV1{
			TokenType: "Bearer", Scope: scope,
			ExpiresIn: strconv.Itoa(expiresIn), ExtExpiresIn: strconv.Itoa(expiresIn),
			ExpiresOn: strconv.FormatInt(ri.now.Add(e.opts.TokenLifetime).Unix(), 10),
			NotBefore: strconv.FormatInt(ri.now.Add(-rules.NotBeforeBackdate).Unix(), 10),
			Resource:  g.audience, AccessToken: at, RefreshToken: rt, IDToken: idt,
		}
	}
	r := tokenResponseV2{TokenType: "Bearer", Scope: scope, ExpiresIn: expiresIn, ExtExpiresIn: expiresIn,
		AccessToken: at, RefreshToken: rt, IDToken: idt}
	if g.user != nil {
		r.ClientInfo = base64.RawURLEncoding.EncodeToString([]byte(`{"uid":"` + g.user.ID + `","utid":"` + g.tenant.ID + `"}`))
	}
	return r
}
