package inspect

import (
	"strings"
	"time"

	"github.com/aadsts/aadsts/cred"
)

// GraphObject summarises an application or servicePrincipal in Microsoft
// Graph (or legacy Azure AD Graph) JSON, or a request body that carries
// keyCredentials.
type GraphObject struct {
	Type                string               `json:"type"`
	DisplayName         string               `json:"display_name,omitempty"`
	AppID               string               `json:"app_id,omitempty"`
	ID                  string               `json:"id,omitempty"`
	KeyCredentials      []KeyCredential      `json:"key_credentials"`
	PasswordCredentials []PasswordCredential `json:"password_credentials"`
}

// KeyCredential is one registered certificate.
type KeyCredential struct {
	KeyID               string    `json:"key_id,omitempty"`
	DisplayName         string    `json:"display_name,omitempty"`
	Type                string    `json:"type,omitempty"`
	Usage               string    `json:"usage,omitempty"`
	Start               time.Time `json:"start,omitempty"`
	End                 time.Time `json:"end,omitempty"`
	Status              string    `json:"status,omitempty"`
	Validity            string    `json:"validity,omitempty"`
	CustomKeyIdentifier string    `json:"custom_key_identifier,omitempty"`
	// CustomKeyIdentifierSHA1 is customKeyIdentifier decoded as a SHA-1,
	// in hex, when it is one.
	CustomKeyIdentifierSHA1 string `json:"custom_key_identifier_sha1,omitempty"`
	// Certificate is present when the credential's key/value holds it.
	Certificate *Certificate `json:"certificate,omitempty"`
	// IdentifierMatches says whether customKeyIdentifier is the SHA-1 of
	// the certificate; nil when either is missing.
	IdentifierMatches *bool     `json:"custom_key_identifier_matches,omitempty"`
	Problems          []Problem `json:"problems,omitempty"`
}

// PasswordCredential is one registered client secret (its value is never
// in Graph's answers, only a hint).
type PasswordCredential struct {
	KeyID       string    `json:"key_id,omitempty"`
	DisplayName string    `json:"display_name,omitempty"`
	Hint        string    `json:"hint,omitempty"`
	End         time.Time `json:"end,omitempty"`
	Status      string    `json:"status,omitempty"`
	Validity    string    `json:"validity,omitempty"`
	// SecretTextPresent is true when the JSON holds the secret value
	// itself (addPassword's secretText), which is never shown.
	SecretTextPresent bool `json:"secret_text_present,omitempty"`
}

// graphObjects finds application/servicePrincipal-like objects: a single
// object, a Graph list ({"value": [...]}) or a JSON array (az CLI output).
func graphObjects(v any) []map[string]any {
	switch x := v.(type) {
	case []any:
		if creds := credentialList(x); creds != nil {
			return []map[string]any{creds}
		}
		var out []map[string]any
		for _, e := range x {
			out = append(out, graphObjects(e)...)
		}
		return out
	case map[string]any:
		if list, ok := x["value"].([]any); ok {
			return graphObjects(list)
		}
		if creds := credentialList([]any{x}); creds != nil {
			return []map[string]any{creds}
		}
		for _, k := range []string{"keyCredentials", "passwordCredentials", "appId", "servicePrincipalType"} {
			if _, ok := x[k]; ok {
				return []map[string]any{x}
			}
		}
	}
	return nil
}

// credentialList turns a bare list of credentials (az ad app credential
// list, an addPassword response) into one object holding them, or nil when
// an element is not a credential.
func credentialList(list []any) map[string]any {
	var keys, passwords []any
	for _, e := range list {
		m, ok := e.(map[string]any)
		if !ok || m["keyId"] == nil || m["appId"] != nil {
			return nil
		}
		_, hasHint := m["hint"]
		_, hasSecret := m["secretText"]
		if hasHint || hasSecret {
			passwords = append(passwords, m)
		} else {
			keys = append(keys, m)
		}
	}
	if len(keys)+len(passwords) == 0 {
		return nil
	}
	return map[string]any{"@aadsts.kind": "credential-list", "keyCredentials": keys, "passwordCredentials": passwords}
}

func str(m map[string]any, keys ...string) string {
	for _, k := range keys {
		if s, ok := m[k].(string); ok && s != "" {
			return s
		}
	}
	return ""
}

func timeOf(m map[string]any, keys ...string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, str(m, keys...))
	return t
}

func describeGraphObject(o map[string]any, now time.Time) GraphObject {
	g := GraphObject{Type: "application", DisplayName: str(o, "displayName"), AppID: str(o, "appId"), ID: str(o, "id", "objectId")}
	odata := strings.ToLower(str(o, "@odata.type", "odata.type", "@odata.context"))
	if o["servicePrincipalType"] != nil || strings.Contains(odata, "serviceprincipal") {
		g.Type = "servicePrincipal"
	} else if o["@aadsts.kind"] != nil {
		g.Type = "credential-list"
	} else if g.AppID == "" && g.ID == "" {
		g.Type = "request-body"
	}
	list := func(k string) []map[string]any {
		arr, _ := o[k].([]any)
		var out []map[string]any
		for _, e := range arr {
			if m, ok := e.(map[string]any); ok {
				out = append(out, m)
			}
		}
		return out
	}
	g.KeyCredentials = []KeyCredential{}
	for _, kc := range list("keyCredentials") {
		g.KeyCredentials = append(g.KeyCredentials, describeKeyCredential(kc, now))
	}
	g.PasswordCredentials = []PasswordCredential{}
	for _, pc := range list("passwordCredentials") {
		p := PasswordCredential{KeyID: str(pc, "keyId"), DisplayName: str(pc, "displayName"), Hint: str(pc, "hint"), End: timeOf(pc, "endDateTime", "endDate")}
		p.Status, p.Validity = Window(timeOf(pc, "startDateTime", "startDate"), p.End, now)
		p.SecretTextPresent = str(pc, "secretText", "value") != ""
		g.PasswordCredentials = append(g.PasswordCredentials, p)
	}
	return g
}

func describeKeyCredential(kc map[string]any, now time.Time) KeyCredential {
	k := KeyCredential{
		KeyID: str(kc, "keyId"), DisplayName: str(kc, "displayName"), Type: str(kc, "type"), Usage: str(kc, "usage"),
		Start: timeOf(kc, "startDateTime", "startDate"), End: timeOf(kc, "endDateTime", "endDate"),
		CustomKeyIdentifier: str(kc, "customKeyIdentifier"),
	}
	if !k.Start.IsZero() || !k.End.IsZero() {
		k.Status, k.Validity = Window(k.Start, k.End, now)
	}
	if k.CustomKeyIdentifier != "" {
		if p, err := cred.ParseThumbprintForm(k.CustomKeyIdentifier); err == nil && p.Kind == cred.KindSHA1 {
			k.CustomKeyIdentifierSHA1 = p.Hex()
		} else {
			k.Problems = append(k.Problems, Problem{"custom-key-identifier", "customKeyIdentifier is not a SHA-1 thumbprint (hex or base64); Entra looks keys up by the certificate's own hash, so it is only a label"})
		}
	}
	if v := str(kc, "key", "value"); v != "" {
		b, err := cred.Load("keyCredential "+k.KeyID, []byte(v), "")
		if err != nil || len(b.Certs) == 0 {
			k.Problems = append(k.Problems, Problem{"bad-key", "the key/value member does not hold a certificate"})
		} else {
			c := describeCert(b.Certs[0], now)
			k.Certificate = &c
			if k.CustomKeyIdentifierSHA1 != "" {
				m := c.Thumbprints.SHA1Hex == k.CustomKeyIdentifierSHA1
				k.IdentifierMatches = &m
				if !m {
					k.Problems = append(k.Problems, Problem{"custom-key-identifier-mismatch", "customKeyIdentifier is not the SHA-1 of the certificate in key/value"})
				}
			}
		}
	}
	return k
}
