package directory

import (
	"encoding/base64"
	"encoding/json"
	"time"
)

// MarshalGraph returns v (an Application, ServicePrincipal, credential, or a
// slice of them, by value or pointer) as Microsoft Graph JSON: camelCase
// names, times in RFC 3339 UTC, "secretText" always null and user
// passwords never written. keyCredentials carry "key" when Key is set;
// Graph returns it only when an object is read singly with
// $select=keyCredentials, so clear it with WithoutKeys for collections.
func MarshalGraph(v any) ([]byte, error) { return json.Marshal(v) }

// WithoutKeys returns a copy of a whose key credentials have no Key, as
// Graph lists applications.
func (a Application) WithoutKeys() Application {
	a.KeyCredentials = stripKeys(a.KeyCredentials)
	return a
}

// WithoutKeys returns a copy of sp whose key credentials have no Key.
func (sp ServicePrincipal) WithoutKeys() ServicePrincipal {
	sp.KeyCredentials = stripKeys(sp.KeyCredentials)
	return sp
}

func stripKeys(ks []KeyCredential) []KeyCredential {
	out := make([]KeyCredential, len(ks))
	copy(out, ks)
	for i := range out {
		out[i].Key = nil
	}
	return out
}

func graphTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// MarshalJSON writes a key credential in Graph's shape.
func (k KeyCredential) MarshalJSON() ([]byte, error) {
	var key *string
	if len(k.Key) > 0 {
		s := base64.StdEncoding.EncodeToString(k.Key)
		key = &s
	}
	return json.Marshal(struct {
		CustomKeyIdentifier *string `json:"customKeyIdentifier"`
		DisplayName         *string `json:"displayName"`
		EndDateTime         *string `json:"endDateTime"`
		Key                 *string `json:"key"`
		KeyID               string  `json:"keyId"`
		StartDateTime       *string `json:"startDateTime"`
		Type                string  `json:"type"`
		Usage               string  `json:"usage"`
	}{nullable(k.CustomKeyIdentifier), nullable(k.DisplayName), graphTime(k.End), key, k.KeyID, graphTime(k.Start), k.Type, k.Usage})
}

// MarshalJSON writes a password credential in Graph's shape, with
// secretText null: the secret is never marshalled.
func (p PasswordCredential) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		CustomKeyIdentifier *string `json:"customKeyIdentifier"`
		DisplayName         *string `json:"displayName"`
		EndDateTime         *string `json:"endDateTime"`
		Hint                *string `json:"hint"`
		KeyID               string  `json:"keyId"`
		SecretText          *string `json:"secretText"`
		StartDateTime       *string `json:"startDateTime"`
	}{nullable(p.CustomKeyIdentifier), nullable(p.DisplayName), graphTime(p.End), nullable(p.Hint), p.KeyID, nil, graphTime(p.Start)})
}

// MarshalJSON writes a user without its password profile.
func (u User) MarshalJSON() ([]byte, error) {
	type plain User
	p := plain(u)
	p.PasswordProfile = nil
	return json.Marshal(struct {
		plain
		PasswordProfile *PasswordProfile `json:"passwordProfile,omitempty"`
	}{plain: p})
}

// String redacts the secret: a PasswordCredential printed with %v shows
// only its id and hint.
func (p PasswordCredential) String() string {
	return "passwordCredential{keyId:" + p.KeyID + " hint:" + p.Hint + "}"
}

// GoString redacts the secret for %#v too.
func (p PasswordCredential) GoString() string { return p.String() }
