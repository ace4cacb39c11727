package directory

import (
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// Read reads application and service principal objects from data in any
// shape users export them, and returns them in one tenant (or, for the
// emulator's directory file, the file's tenants). name labels errors and
// each object's Source. Recognised shapes:
//
//   - the emulator's directory file ({"tenants": [...]}), read strictly;
//   - Microsoft Graph application and servicePrincipal objects, single, in
//     arrays, in {"value": [...]} pages (several pages may be concatenated
//     or put in an array), including `az ad app list` and `az ad sp list`;
//   - bare credential lists: `az ad app credential list` (secrets), the same
//     with --cert (certificates), `az ad app federated-credential list`,
//     and addPassword request and response bodies; they are held by a
//     Synthetic application named after the input;
//   - Graph PowerShell `ConvertTo-Json` output (PascalCase keys, byte
//     arrays, "/Date(ms)/" times, UTF-16 from a Windows redirect);
//   - the legacy Azure AD Graph 1.6 shape (objectId, startDate/endDate,
//     value, odata.type, oauth2Permissions);
//   - a first-party app catalog ({"apps": {appId: {name, ...}},
//     "resourceidentifiers": ...}), returned in FirstParty: it lists
//     Microsoft's own apps and is not an app registration.
//
// Objects it cannot classify are skipped with a Note; if nothing at all is
// recognised Read returns ErrNoObjects.
func Read(name string, data []byte) (*Directory, error) {
	if d, ok := readFast(name, toUTF8(data)); ok {
		return d, nil
	}
	return readLenient(name, data)
}

// readLenient is Read without the fast path.
func readLenient(name string, data []byte) (*Directory, error) {
	values, err := decodeJSON(data)
	var notes []string
	if err != nil {
		// Documentation samples often keep a trailing comma.
		fixed, n := dropTrailingCommas(toUTF8(data))
		if n == 0 {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		if values, err = decodeJSON(fixed); err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		notes = append(notes, fmt.Sprintf("%s: %d trailing comma(s) ignored; the file is not valid JSON", name, n))
	}
	if len(values) == 1 {
		if m, ok := values[0].(map[string]any); ok {
			if _, ok := m["tenants"]; ok {
				return Load(name, data)
			}
		}
	}
	r := &reader{name: name, d: &decoder{}, notes: notes}
	for i, v := range values {
		path := ""
		if len(values) > 1 {
			path = "$" + strconv.Itoa(i)
		}
		r.walk(path, v, 0, "")
	}
	for _, n := range r.d.notes {
		r.notes = append(r.notes, name+": "+n)
	}
	if len(r.d.problems) > 0 {
		return nil, fmt.Errorf("read %s: %w", name, &ProblemsError{Problems: r.d.problems})
	}
	if r.loose != nil {
		r.t.Applications = append(r.t.Applications, *r.loose)
	}
	dir := &Directory{Tenants: []Tenant{r.t}, FirstParty: r.firstParty, Notes: r.notes}
	if len(r.t.Applications) == 0 && len(r.t.ServicePrincipals) == 0 && r.firstParty == nil && r.objects == 0 {
		if len(r.notes) > 0 {
			return nil, fmt.Errorf("read %s: %w (%s)", name, ErrNoObjects, r.notes[0])
		}
	}
	return dir, nil
}

// ErrNoObjects means an input held nothing Read recognises.
var ErrNoObjects = errors.New("no application, service principal or credential found")

type reader struct {
	name       string
	d          *decoder
	t          Tenant
	loose      *Application
	firstParty []FirstPartyApp
	notes      []string
	objects    int // includes empty pages
}

// walk reads v; hint ("app" or "sp") is the kind a page's @odata.context
// gives its items.
func (r *reader) walk(path string, v any, depth int, hint string) {
	if depth > 8 {
		r.notes = append(r.notes, fmt.Sprintf("%s: nested too deep, skipped", r.at(path)))
		return
	}
	switch x := v.(type) {
	case []any:
		r.objects++
		for i, e := range x {
			r.walk(path+"["+strconv.Itoa(i)+"]", e, depth+1, hint)
		}
	case map[string]any:
		r.object(path, x, depth, hint)
	default:
		r.notes = append(r.notes, fmt.Sprintf("%s: not an object, skipped", r.at(path)))
	}
}

func (r *reader) at(path string) string {
	if path == "" {
		return r.name
	}
	return r.name + ": " + path
}

// kind classifies a Graph-like object by its keys (case-insensitively).
func kind(m map[string]any) string {
	keys := make(map[string]any, len(m))
	for k, v := range m {
		keys[strings.ToLower(k)] = v
	}
	if _, ok := keys["apps"]; ok {
		if _, ok := keys["resourceidentifiers"]; ok {
			return "catalog"
		}
	}
	if v, ok := keys["value"].([]any); ok && v != nil {
		return "page"
	}
	_, hasApps := keys["applications"].([]any)
	_, hasSPs := keys["serviceprincipals"].([]any)
	if hasApps || hasSPs {
		return "bundle"
	}
	for _, k := range []string{"@odata.type", "odata.type", "objecttype"} {
		if s, ok := keys[k].(string); ok {
			ls := strings.ToLower(s)
			switch {
			case strings.Contains(ls, "serviceprincipal"):
				return "sp"
			case strings.Contains(ls, "application"):
				return "app"
			case strings.Contains(ls, "keycredential"):
				return "key"
			case strings.Contains(ls, "passwordcredential"):
				return "password"
			case strings.Contains(ls, "federatedidentitycredential"):
				return "fic"
			}
		}
	}
	if _, ok := keys["passwordcredential"].(map[string]any); ok {
		return "addPassword"
	}
	for _, k := range []string{"serviceprincipalnames", "serviceprincipaltype", "appownerorganizationid"} {
		if _, ok := keys[k]; ok {
			return "sp"
		}
	}
	_, hasKeyID := keys["keyid"]
	_, hasAppID := keys["appid"]
	if t, _ := keys["type"].(string); strings.EqualFold(t, "Password") && !hasAppID {
		// Older Az PowerShell Get-AzADAppCredential: {"Type": "Password", ...}.
		return "password"
	}
	if hasKeyID && !hasAppID {
		for _, k := range []string{"type", "usage", "key"} {
			if _, ok := keys[k]; ok {
				return "key"
			}
		}
		for _, k := range []string{"enddatetime", "enddate", "startdatetime", "startdate", "hint", "secrettext"} {
			if _, ok := keys[k]; ok {
				return "password"
			}
		}
	}
	if !hasAppID {
		// A credential listed without its keyId (trimmed or hand-edited
		// output): a secret's hint or secretText, or a key's type and usage.
		_, hasType := keys["type"]
		_, hasUsage := keys["usage"]
		if hasType && hasUsage {
			return "key"
		}
		for _, k := range []string{"hint", "secrettext"} {
			if _, ok := keys[k]; ok {
				return "password"
			}
		}
	}
	_, hasIssuer := keys["issuer"]
	_, hasSubject := keys["subject"]
	if hasIssuer && hasSubject {
		return "fic"
	}
	for _, k := range []string{"appid", "keycredentials", "passwordcredentials", "requiredresourceaccess", "identifieruris", "signinaudience", "api", "availabletoothertenants"} {
		if _, ok := keys[k]; ok {
			return "app"
		}
	}
	return ""
}

func (r *reader) object(path string, m map[string]any, depth int, hint string) {
	k := kind(m)
	if hint != "" && (k == "app" || k == "sp" || k == "") {
		k = hint
	}
	switch k {
	case "catalog":
		r.catalog(path, m)
	case "page":
		r.objects++
		ctx, _ := m["@odata.context"].(string)
		if ctx == "" {
			ctx, _ = m["odata.metadata"].(string)
		}
		itemHint := ""
		switch _, entity, _ := strings.Cut(ctx, "$metadata#"); {
		case strings.HasPrefix(entity, "servicePrincipals"), strings.HasPrefix(entity, "directoryObjects/Microsoft.DirectoryServices.ServicePrincipal"):
			itemHint = "sp"
		case strings.HasPrefix(entity, "applications"), strings.HasPrefix(entity, "directoryObjects/Microsoft.DirectoryServices.Application"):
			itemHint = "app"
		}
		for key, v := range m {
			if strings.EqualFold(key, "value") {
				r.walk(join(path, key), v, depth+1, itemHint)
			}
		}
	case "bundle":
		// {"applications": [...], "servicePrincipals": [...]}, a tenant
		// of the emulator's file without the tenants list around it.
		r.objects++
		for _, key := range sortedKeys(m) {
			switch strings.ToLower(key) {
			case "applications":
				r.walk(join(path, key), m[key], depth+1, "app")
			case "serviceprincipals":
				r.walk(join(path, key), m[key], depth+1, "sp")
			}
		}
	case "app":
		var a Application
		liftLegacyScopes(m)
		r.d.value(path, m, reflect.ValueOf(&a).Elem())
		a.Source = r.at(path)
		r.t.Applications = append(r.t.Applications, a)
	case "sp":
		var sp ServicePrincipal
		r.d.value(path, m, reflect.ValueOf(&sp).Elem())
		sp.Source = r.at(path)
		r.t.ServicePrincipals = append(r.t.ServicePrincipals, sp)
	case "key":
		var k KeyCredential
		r.d.value(path, m, reflect.ValueOf(&k).Elem())
		r.holder().KeyCredentials = append(r.holder().KeyCredentials, k)
	case "password":
		var p PasswordCredential
		r.d.value(path, m, reflect.ValueOf(&p).Elem())
		r.holder().PasswordCredentials = append(r.holder().PasswordCredentials, p)
	case "addPassword":
		for k, v := range m {
			if strings.EqualFold(k, "passwordCredential") {
				var p PasswordCredential
				r.d.value(join(path, k), v, reflect.ValueOf(&p).Elem())
				r.holder().PasswordCredentials = append(r.holder().PasswordCredentials, p)
			}
		}
	case "fic":
		var f FederatedIdentityCredential
		r.d.value(path, m, reflect.ValueOf(&f).Elem())
		r.holder().FederatedIdentityCredentials = append(r.holder().FederatedIdentityCredentials, f)
	default:
		r.notes = append(r.notes, fmt.Sprintf("%s: not an application, service principal or credential, skipped", r.at(path)))
	}
}

// holder is the synthetic application holding credentials listed without
// their application.
func (r *reader) holder() *Application {
	if r.loose == nil {
		r.loose = &Application{DisplayName: "(credentials listed in " + filepath.Base(r.name) + ")", Source: r.name, Synthetic: true}
	}
	return r.loose
}

// liftLegacyScopes moves AAD Graph's application-level oauth2Permissions to
// Graph's api.oauth2PermissionScopes.
func liftLegacyScopes(m map[string]any) {
	for k, v := range m {
		if !strings.EqualFold(k, "oauth2Permissions") {
			continue
		}
		api, _ := m["api"].(map[string]any)
		if api == nil {
			api = map[string]any{}
			m["api"] = api
		}
		if _, ok := api["oauth2PermissionScopes"]; !ok {
			api["oauth2PermissionScopes"] = v
		}
		delete(m, k)
	}
}

func (r *reader) catalog(path string, m map[string]any) {
	apps, _ := m["apps"].(map[string]any)
	ids := make([]string, 0, len(apps))
	for id := range apps {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	if r.firstParty == nil {
		r.firstParty = []FirstPartyApp{}
	}
	for _, id := range ids {
		e, _ := apps[id].(map[string]any)
		fp := FirstPartyApp{AppID: id}
		fp.Name, _ = e["name"].(string)
		fp.PublicClient, _ = e["public_client"].(bool)
		fp.FOCI, _ = e["foci"].(bool)
		r.firstParty = append(r.firstParty, fp)
	}
}

// Merge adds o's tenants to d: tenants with the same id (or both without
// one) are combined.
func (d *Directory) Merge(o *Directory) {
	for _, t := range o.Tenants {
		merged := false
		for i := range d.Tenants {
			if strings.EqualFold(d.Tenants[i].ID, t.ID) {
				dt := &d.Tenants[i]
				dt.Applications = append(dt.Applications, t.Applications...)
				dt.ServicePrincipals = append(dt.ServicePrincipals, t.ServicePrincipals...)
				dt.Users = append(dt.Users, t.Users...)
				dt.AppRoleAssignments = append(dt.AppRoleAssignments, t.AppRoleAssignments...)
				dt.OAuth2PermissionGrants = append(dt.OAuth2PermissionGrants, t.OAuth2PermissionGrants...)
				dt.Domains = append(dt.Domains, t.Domains...)
				merged = true
				break
			}
		}
		if !merged {
			d.Tenants = append(d.Tenants, t)
		}
	}
	d.FirstParty = append(d.FirstParty, o.FirstParty...)
	d.Notes = append(d.Notes, o.Notes...)
}
