package directory

import (
	"bytes"
	"encoding/json"
	"runtime"
	"strconv"
	"strings"
	"sync"
)

// fastObject decodes an application or a service principal in one typed
// pass: the application's fields plus what only service principals and
// credentials carry. Slices and pointers tell present keys from absent
// ones, which is what classification needs.
type fastObject struct {
	Application
	ODataType              string            `json:"@odata.type"`
	ServicePrincipalNames  *[]string         `json:"servicePrincipalNames"`
	ServicePrincipalType   *string           `json:"servicePrincipalType"`
	AppOwnerOrganizationID *string           `json:"appOwnerOrganizationId"`
	AppDisplayName         string            `json:"appDisplayName"`
	AccountEnabled         *bool             `json:"accountEnabled"`
	AppRoleAssignmentReq   bool              `json:"appRoleAssignmentRequired"`
	AlternativeNames       []string          `json:"alternativeNames"`
	OAuth2PermissionScopes []PermissionScope `json:"oauth2PermissionScopes"`
	KeyID                  *string           `json:"keyId"`
	Issuer                 *string           `json:"issuer"`
	Value                  json.RawMessage   `json:"value"`
	PasswordCredential     json.RawMessage   `json:"passwordCredential"`
	Tenants                json.RawMessage   `json:"tenants"`
	Apps                   json.RawMessage   `json:"apps"`
	// Azure AD Graph names: their presence sends the input to the lenient
	// reader, which maps them.
	ObjectID          *string         `json:"objectId"`
	LegacyODataType   *string         `json:"odata.type"`
	ObjectType        *string         `json:"objectType"`
	AvailableToOthers *bool           `json:"availableToOtherTenants"`
	OAuth2Permissions json.RawMessage `json:"oauth2Permissions"`
}

// legacy reports Azure AD Graph names, and credentials without an end
// date (which in AAD Graph's shape carry endDate instead).
func (o *fastObject) legacy() bool {
	if o.ObjectID != nil || o.LegacyODataType != nil || o.ObjectType != nil || o.AvailableToOthers != nil || o.OAuth2Permissions != nil {
		return true
	}
	for i := range o.KeyCredentials {
		if o.KeyCredentials[i].End.IsZero() {
			return true
		}
	}
	for i := range o.PasswordCredentials {
		if o.PasswordCredentials[i].End.IsZero() {
			return true
		}
	}
	return false
}

type fastPage struct {
	Context string       `json:"@odata.context"`
	Value   []fastObject `json:"value"`
}

// readFast reads the common large inputs (a JSON array of Graph objects,
// as az ad app/sp list print, or one Graph page) with encoding/json in one
// typed pass. It reports false whenever anything needs the lenient reader:
// legacy names, PowerShell dates or byte arrays, credential lists, other
// shapes. It must then produce the same result as the lenient reader.
func readFast(name string, data []byte) (*Directory, bool) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) < 2 {
		return nil, false
	}
	var objs []fastObject
	hint, prefix := "", ""
	switch trimmed[0] {
	case '[':
		var ok bool
		if objs, ok = decodeArray(trimmed); !ok {
			return nil, false
		}
	case '{':
		var p fastPage
		if json.Unmarshal(trimmed, &p) != nil || p.Value == nil {
			return nil, false
		}
		objs, prefix = p.Value, "value"
		switch _, entity, _ := strings.Cut(p.Context, "$metadata#"); {
		case strings.HasPrefix(entity, "servicePrincipals"):
			hint = "sp"
		case strings.HasPrefix(entity, "applications"):
			hint = "app"
		}
	default:
		return nil, false
	}
	t := Tenant{}
	for i := range objs {
		o := &objs[i]
		if o.Value != nil || o.PasswordCredential != nil || o.Tenants != nil || o.Apps != nil || o.Issuer != nil || o.legacy() {
			return nil, false // a page, a request body, a catalog or a credential
		}
		src := name + ": " + prefix + "[" + strconv.Itoa(i) + "]"
		switch k := o.kind(hint); k {
		case "app":
			a := o.Application
			a.Source = src
			t.Applications = append(t.Applications, a)
		case "sp":
			t.ServicePrincipals = append(t.ServicePrincipals, o.servicePrincipal(src))
		default:
			return nil, false
		}
	}
	return &Directory{Tenants: []Tenant{t}}, true
}

func (o *fastObject) kind(hint string) string {
	lt := strings.ToLower(o.ODataType)
	switch {
	case strings.Contains(lt, "serviceprincipal"):
		return "sp"
	case strings.Contains(lt, "application"):
		return "app"
	case lt != "":
		return ""
	}
	if o.KeyID != nil && o.AppID == "" {
		return "" // a bare credential
	}
	if hint != "" {
		return hint
	}
	if o.ServicePrincipalNames != nil || o.ServicePrincipalType != nil || o.AppOwnerOrganizationID != nil {
		return "sp"
	}
	a := &o.Application
	if a.AppID != "" || a.KeyCredentials != nil || a.PasswordCredentials != nil || a.RequiredResourceAccess != nil ||
		a.IdentifierURIs != nil || a.SignInAudience != "" {
		return "app"
	}
	return ""
}

func (o *fastObject) servicePrincipal(src string) ServicePrincipal {
	sp := ServicePrincipal{
		ID: o.ID, AppID: o.AppID, DisplayName: o.DisplayName, AppDisplayName: o.AppDisplayName,
		AccountEnabled: o.AccountEnabled, AppRoleAssignmentRequired: o.AppRoleAssignmentReq,
		SignInAudience: o.SignInAudience, AlternativeNames: o.AlternativeNames,
		KeyCredentials: o.KeyCredentials, PasswordCredentials: o.PasswordCredentials,
		AppRoles: o.AppRoles, OAuth2PermissionScopes: o.OAuth2PermissionScopes, Tags: o.Tags, Source: src,
	}
	if o.ServicePrincipalNames != nil {
		sp.ServicePrincipalNames = *o.ServicePrincipalNames
	}
	if o.ServicePrincipalType != nil {
		sp.ServicePrincipalType = *o.ServicePrincipalType
	}
	if o.AppOwnerOrganizationID != nil {
		sp.AppOwnerOrganizationID = *o.AppOwnerOrganizationID
	}
	return sp
}

// decodeArray decodes a JSON array of objects, its elements spread over
// the available CPUs: a large `az ad app list` output is most of an
// audit's time.
func decodeArray(b []byte) ([]fastObject, bool) {
	elems, ok := splitArray(b)
	if !ok {
		return nil, false
	}
	objs := make([]fastObject, len(elems))
	workers := min(runtime.GOMAXPROCS(0), 8, len(elems)/64+1)
	var wg sync.WaitGroup
	var failed sync.Once
	bad := false
	per := (len(elems) + workers - 1) / workers
	for w := 0; w < workers; w++ {
		lo, hi := w*per, min((w+1)*per, len(elems))
		if lo >= hi {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				if json.Unmarshal(elems[i], &objs[i]) != nil {
					failed.Do(func() { bad = true })
					return
				}
			}
		}()
	}
	wg.Wait()
	return objs, !bad
}

// splitArray returns the element texts of the JSON array b, scanning
// strings and nesting but not validating (json.Unmarshal does, per
// element). It reports false for anything but an array of objects.
func splitArray(b []byte) ([][]byte, bool) {
	if len(b) < 2 || b[0] != '[' || b[len(b)-1] != ']' {
		return nil, false
	}
	var out [][]byte
	depth, start := 0, -1
	inString := false
	for i := 1; i < len(b)-1; i++ {
		c := b[i]
		if inString {
			switch c {
			case '\\':
				i++
			case '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '{', '[':
			if depth == 0 {
				if c != '{' || start >= 0 {
					return nil, false
				}
				start = i
			}
			depth++
		case '}', ']':
			depth--
			if depth < 0 {
				return nil, false
			}
			if depth == 0 {
				out = append(out, b[start:i+1])
			}
		case ',':
			if depth == 0 {
				if start < 0 {
					return nil, false
				}
				start = -1
			}
		case ' ', '\t', '\n', '\r':
		default:
			if depth == 0 {
				return nil, false
			}
		}
	}
	if inString || depth != 0 || (start < 0 && len(out) > 0) {
		return nil, false
	}
	return out, true
}
