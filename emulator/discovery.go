package emulator

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/aadsts/aadsts/rules"
)

// v2Metadata is the v2.0 OpenID configuration, members in ESTS's order.
type v2Metadata struct {
	TokenEndpoint                     string   `json:"token_endpoint"`
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported"`
	JWKSURI                           string   `json:"jwks_uri"`
	ResponseModesSupported            []string `json:"response_modes_supported"`
	SubjectTypesSupported             []string `json:"subject_types_supported"`
	IDTokenSigningAlgValuesSupported  []string `json:"id_token_signing_alg_values_supported"`
	ResponseTypesSupported            []string `json:"response_types_supported"`
	ScopesSupported                   []string `json:"scopes_supported"`
	Issuer                            string   `json:"issuer"`
	RequestURIParameterSupported      bool     `json:"request_uri_parameter_supported"`
	UserinfoEndpoint                  string   `json:"userinfo_endpoint"`
	AuthorizationEndpoint             string   `json:"authorization_endpoint"`
	DeviceAuthorizationEndpoint       string   `json:"device_authorization_endpoint"`
	HTTPLogoutSupported               bool     `json:"http_logout_supported"`
	FrontchannelLogoutSupported       bool     `json:"frontchannel_logout_supported"`
	EndSessionEndpoint                string   `json:"end_session_endpoint"`
	ClaimsSupported                   []string `json:"claims_supported"`
	KerberosEndpoint                  string   `json:"kerberos_endpoint"`
	TenantRegionScope                 *string  `json:"tenant_region_scope"`
	CloudInstanceName                 string   `json:"cloud_instance_name"`
	CloudGraphHostName                string   `json:"cloud_graph_host_name"`
	MSGraphHost                       string   `json:"msgraph_host"`
	RBACURL                           string   `json:"rbac_url"`
}

// v1Metadata is the v1 OpenID configuration, members in ESTS's order.
type v1Metadata struct {
	TokenEndpoint                     string   `json:"token_endpoint"`
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported"`
	JWKSURI                           string   `json:"jwks_uri"`
	ResponseModesSupported            []string `json:"response_modes_supported"`
	SubjectTypesSupported             []string `json:"subject_types_supported"`
	IDTokenSigningAlgValuesSupported  []string `json:"id_token_signing_alg_values_supported"`
	HTTPLogoutSupported               bool     `json:"http_logout_supported"`
	FrontchannelLogoutSupported       bool     `json:"frontchannel_logout_supported"`
	EndSessionEndpoint                string   `json:"end_session_endpoint"`
	ResponseTypesSupported            []string `json:"response_types_supported"`
	ScopesSupported                   []string `json:"scopes_supported"`
	Issuer                            string   `json:"issuer"`
	ClaimsSupported                   []string `json:"claims_supported"`
	MicrosoftMultiRefreshToken        bool     `json:"microsoft_multi_refresh_token"`
	CheckSessionIframe                string   `json:"check_session_iframe"`
	UserinfoEndpoint                  string   `json:"userinfo_endpoint"`
	DeviceAuthorizationEndpoint       string   `json:"device_authorization_endpoint"`
	KerberosEndpoint                  string   `json:"kerberos_endpoint"`
	TenantRegionScope                 *string  `json:"tenant_region_scope"`
	CloudInstanceName                 string   `json:"cloud_instance_name"`
	CloudGraphHostName                string   `json:"cloud_graph_host_name"`
	MSGraphHost                       string   `json:"msgraph_host"`
	RBACURL                           string   `json:"rbac_url"`
}

var authMethods = []string{"client_secret_post", "private_key_jwt", "client_secret_basic"}

// issuerV2 and issuerV1 are the token issuers for a tenant: v2 on the
// emulator's own host (so OIDC verifiers that compare the discovery issuer
// with the URL they fetched it from accept it), v1 exactly as Entra writes
// it.
func issuerV2(base, tid string) string { return base + "/" + tid + "/v2.0" }
func issuerV1(tid string) string       { return "https://sts.windows.net/" + tid + "/" }

// tenantSegment resolves the {tenant} path segment of a metadata request:
// the tenant's GUID, or the literal segment for common and organizations
// (whose documents carry the {tenantid} template). ok is false when the
// tenant is unknown; the failure has been written.
func (e *Emulator) metadataTenant(w http.ResponseWriter, r *http.Request, ri *reqInfo) (seg, issuerTID string, ok bool) {
	name := r.PathValue("tenant")
	switch strings.ToLower(name) {
	case "common", "organizations":
		return strings.ToLower(name), "{tenantid}", true
	}
	t, found := e.dir.FindTenant(name)
	if !found {
		f := e.tenantFailure(name)
		if f.OAuthError == "invalid_request" && f.Code == 90002 {
			f.OAuthError = "invalid_tenant"
		}
		e.writeFailureMeta(w, ri, f)
		return "", "", false
	}
	return t.ID, t.ID, true
}

func (e *Emulator) handleDiscovery(version int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ri := e.request(r)
		seg, tid, ok := e.metadataTenant(w, r, ri)
		if !ok {
			return
		}
		a := ri.base + "/" + seg
		region := "NA"
		var regionPtr *string
		if tid != "{tenantid}" {
			regionPtr = &region
		}
		if version == 2 {
			e.writeJSON(w, ri, http.StatusOK, v2Metadata{
				TokenEndpoint:                     a + "/oauth2/v2.0/token",
				TokenEndpointAuthMethodsSupported: authMethods,
				JWKSURI:                           a + "/discovery/v2.0/keys",
				ResponseModesSupported:            []string{"query", "fragment", "form_post"},
				SubjectTypesSupported:             []string{"pairwise"},
				IDTokenSigningAlgValuesSupported:  []string{"RS256"},
				ResponseTypesSupported:            []string{"code", "id_token", "code id_token", "id_token token"},
				ScopesSupported:                   []string{"openid", "profile", "email", "offline_access"},
				Issuer:                            issuerV2(ri.base, tid),
				UserinfoEndpoint:                  ri.base + "/oidc/userinfo",
				AuthorizationEndpoint:             a + "/oauth2/v2.0/authorize",
				DeviceAuthorizationEndpoint:       a + "/oauth2/v2.0/devicecode",
				HTTPLogoutSupported:               true,
				FrontchannelLogoutSupported:       true,
				EndSessionEndpoint:                a + "/oauth2/v2.0/logout",
				ClaimsSupported: []string{"sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name",
					"msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username", "name", "tid", "ver",
					"at_hash", "c_hash", "email"},
				KerberosEndpoint:   a + "/kerberos",
				TenantRegionScope:  regionPtr,
				CloudInstanceName:  "microsoftonline.com",
				CloudGraphHostName: "graph.windows.net",
				MSGraphHost:        "graph.microsoft.com",
				RBACURL:            "https://pas.windows.net",
			}, 0, false)
			return
		}
		e.writeJSON(w, ri, http.StatusOK, v1Metadata{
			TokenEndpoint:                     a + "/oauth2/token",
			TokenEndpointAuthMethodsSupported: authMethods,
			JWKSURI:                           ri.base + "/common/discovery/keys",
			ResponseModesSupported:            []string{"query", "fragment", "form_post"},
			SubjectTypesSupported:             []string{"pairwise"},
			IDTokenSigningAlgValuesSupported:  []string{"RS256"},
			HTTPLogoutSupported:               true,
			FrontchannelLogoutSupported:       true,
			EndSessionEndpoint:                a + "/oauth2/logout",
			ResponseTypesSupported:            []string{"code", "id_token", "code id_token", "token id_token", "token"},
			ScopesSupported:                   []string{"openid"},
			Issuer:                            issuerV1(tid),
			ClaimsSupported: []string{"sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name",
				"msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "amr", "nonce", "email", "given_name", "family_name", "nickname"},
			MicrosoftMultiRefreshToken:  true,
			CheckSessionIframe:          a + "/oauth2/checksession",
			UserinfoEndpoint:            a + "/openid/userinfo",
			DeviceAuthorizationEndpoint: a + "/oauth2/devicecode",
			KerberosEndpoint:            a + "/kerberos",
			TenantRegionScope:           regionPtr,
			CloudInstanceName:           "microsoftonline.com",
			CloudGraphHostName:          "graph.windows.net",
			MSGraphHost:                 "graph.microsoft.com",
			RBACURL:                     "https://pas.windows.net",
		}, 0, false)
	}
}

// handleKeys serves the JWKS. The v2 keys carry the issuer template, as
// Entra's v2 keys endpoint does.
func (e *Emulator) handleKeys(version int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ri := e.request(r)
		if name := r.PathValue("tenant"); name != "" && !isMultiTenant(name) && !e.hasTenant(name) {
			f := e.tenantFailure(name)
			f.OAuthError = "invalid_tenant"
			e.writeFailureMeta(w, ri, f)
			return
		}
		issuer := ""
		if version == 2 {
			issuer = issuerV2(ri.base, "{tenantid}")
		}
		keys := e.keys.published(ri.now)
		out := struct {
			Keys []jwk `json:"keys"`
		}{Keys: make([]jwk, 0, len(keys))}
		for _, k := range keys {
			out.Keys = append(out.Keys, k.jwk(issuer))
		}
		e.writeJSON(w, ri, http.StatusOK, out, 0, false)
	}
}

func isMultiTenant(name string) bool {
	switch strings.ToLower(name) {
	case "common", "organizations", "consumers":
		return true
	}
	return false
}

type instanceMetadata struct {
	PreferredNetwork string   `json:"preferred_network"`
	PreferredCache   string   `json:"preferred_cache"`
	Aliases          []string `json:"aliases"`
}

// handleInstanceDiscovery answers MSAL's instance discovery. The emulator's
// own host is its only alias, so MSAL caches tokens under it.
func (e *Emulator) handleInstanceDiscovery(w http.ResponseWriter, r *http.Request) {
	ri := e.request(r)
	ae := r.URL.Query().Get("authorization_endpoint")
	u, err := url.Parse(ae)
	if ae == "" || err != nil || u.Host == "" {
		e.writeFailureMeta(w, ri, Failure{Code: 50049, OAuthError: "invalid_instance",
			Message: "Unknown or invalid instance."})
		return
	}
	tenant, _, _ := strings.Cut(strings.TrimPrefix(u.Path, "/"), "/")
	disc := u.Scheme + "://" + u.Host + "/" + tenant + "/v2.0/.well-known/openid-configuration"
	if !strings.Contains(u.Path, "/v2.0/") {
		disc = u.Scheme + "://" + u.Host + "/" + tenant + "/.well-known/openid-configuration"
	}
	host := u.Host
	e.writeJSON(w, ri, http.StatusOK, struct {
		TenantDiscoveryEndpoint string             `json:"tenant_discovery_endpoint"`
		APIVersion              string             `json:"api-version"`
		Metadata                []instanceMetadata `json:"metadata"`
	}{disc, "1.1", []instanceMetadata{{host, host, []string{host}}}}, 0, false)
}

// writeFailureMeta writes an error for a metadata request: same body, the
// metadata endpoints' cache headers.
func (e *Emulator) writeFailureMeta(w http.ResponseWriter, ri *reqInfo, f Failure) {
	e.writeFailureWith(w, ri, f, false)
}

// tenantFailure asks the rules what Entra answers for an unknown or
// malformed tenant segment (90002 or 900023). The rules check tenants as
// part of a token request, so a minimal request is put to them and only a
// verdict about the tenant is used.
func (e *Emulator) tenantFailure(segment string) Failure {
	res := rules.CheckTokenRequest(rules.TokenRequest{
		Now: e.clock.Now(), Directory: e.dir,
		TokenEndpoint: "https://login.microsoftonline.com/" + url.PathEscape(segment) + "/oauth2/v2.0/token",
		Form:          url.Values{"grant_type": {rules.GrantAuthorizationCode}, "client_id": {"00000000-0000-0000-0000-000000000000"}},
	})
	if res.Verdict != nil && res.Verdict.ID == "request.tenant" {
		return failureOf(*res.Verdict)
	}
	return Failure{Code: 90002, OAuthError: "invalid_request", Message: "Tenant '" + segment + "' not found."}
}
