package emulator

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aadsts/aadsts/directory"
	"github.com/aadsts/aadsts/jose"
)

// graphAudiences are the aud values of tokens for Microsoft Graph.
var graphAudiences = []string{"https://graph.microsoft.com", "https://graph.microsoft.com/", directory.MicrosoftGraphAppID}

// graphCaller is who called the Graph surface, from the bearer token.
type graphCaller struct {
	tenant *directory.Tenant
	roles  []string // app permissions (roles) or delegated scopes (scp)
}

type graphHandler func(w http.ResponseWriter, r *http.Request, c *graphCaller)

// graph protects a Graph handler: the caller must present a token the
// emulator issued for Microsoft Graph, valid now.
func (e *Emulator) graph(h graphHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || strings.TrimSpace(raw) == "" {
			graphError(w, http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token is empty.")
			return
		}
		c, msg := e.graphAuth(raw)
		if c == nil {
			graphError(w, http.StatusUnauthorized, "InvalidAuthenticationToken", msg)
			return
		}
		h(w, r, c)
	}
}

func (e *Emulator) graphAuth(raw string) (*graphCaller, string) {
	t, err := jose.Decode(raw)
	if err != nil {
		return nil, "IDX14100: JWT is not well formed."
	}
	now := e.clock.Now()
	k := e.keys.byKid(t.Kid(), now)
	if k == nil {
		return nil, "Signing key not found."
	}
	if err := jose.Verify(t, k.pub, []string{"RS256"}); err != nil {
		return nil, "Access token validation failure. Invalid signature."
	}
	if exp, ok := t.TimeClaim("exp"); !ok || !now.Before(exp) {
		return nil, "Lifetime validation failed, the token is expired."
	}
	if !slices.Contains(graphAudiences, t.StringClaim("aud")) {
		return nil, "Invalid audience."
	}
	tenant, ok := e.dir.FindTenant(t.StringClaim("tid"))
	if !ok {
		return nil, "Invalid tenant."
	}
	c := &graphCaller{tenant: tenant, roles: t.StringsClaim("roles")}
	c.roles = append(c.roles, strings.Fields(t.StringClaim("scp"))...)
	return c, ""
}

// can reports whether the caller holds one of the permissions.
func (c *graphCaller) can(perms ...string) bool {
	for _, p := range perms {
		if slices.Contains(c.roles, p) {
			return true
		}
	}
	return false
}

func graphError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
		"code": code, "message": msg,
		"innerError": map[string]any{"date": time.Now().UTC().Format("2006-01-02T15:04:05"), "request-id": newGUID(), "client-request-id": newGUID()},
	}})
}

func denied(w http.ResponseWriter) {
	graphError(w, http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
}

func (e *Emulator) graphApplications(w http.ResponseWriter, r *http.Request, c *graphCaller) {
	if !c.can("Application.Read.All", "Application.ReadWrite.All", "Directory.Read.All") {
		denied(w)
		return
	}
	items := make([]any, 0, len(c.tenant.Applications))
	for _, a := range c.tenant.Applications {
		items = append(items, a.WithoutKeys())
	}
	e.graphList(w, r, "applications", items)
}

// readableApp returns the application named by the {id} path value when
// the caller may read applications; otherwise it has written Graph's
// answer (403 or 404) and returns nil.
func (c *graphCaller) readableApp(w http.ResponseWriter, r *http.Request) *directory.Application {
	if !c.can("Application.Read.All", "Application.ReadWrite.All", "Directory.Read.All") {
		denied(w)
		return nil
	}
	a := findAppByObjectID(c.tenant, r.PathValue("id"))
	if a == nil {
		notFound(w, r.PathValue("id"))
	}
	return a
}

// graphApplication answers GET /v1.0/applications/{id} (object id).
func (e *Emulator) graphApplication(w http.ResponseWriter, r *http.Request, c *graphCaller) {
	a := c.readableApp(w, r)
	if a == nil {
		return
	}
	e.graphObject(w, r, "applications/$entity", a.WithoutKeys())
}

// graphFederated answers GET /v1.0/applications/{id}/federatedIdentityCredentials.
func (e *Emulator) graphFederated(w http.ResponseWriter, r *http.Request, c *graphCaller) {
	a := c.readableApp(w, r)
	if a == nil {
		return
	}
	items := make([]any, 0, len(a.FederatedIdentityCredentials))
	for _, f := range a.FederatedIdentityCredentials {
		items = append(items, f)
	}
	e.graphList(w, r, "applications('"+a.ID+"')/federatedIdentityCredentials", items)
}

func findAppByObjectID(t *directory.Tenant, id string) *directory.Application {
	for i := range t.Applications {
		if strings.EqualFold(t.Applications[i].ID, id) {
			return &t.Applications[i]
		}
	}
	return nil
}

func notFound(w http.ResponseWriter, id string) {
	graphError(w, http.StatusNotFound, "Request_ResourceNotFound",
		"Resource '"+id+"' does not exist or one of its queried reference-property objects are not present.")
}

// graphObject writes one object with $select applied.
func (e *Emulator) graphObject(w http.ResponseWriter, r *http.Request, entity string, v any) {
	b, err := json.Marshal(v)
	var m map[string]any
	if err != nil || json.Unmarshal(b, &m) != nil {
		graphError(w, http.StatusInternalServerError, "generalException", "Internal error.")
		return
	}
	m = selectFields(m, r.URL.Query().Get("$select"))
	m["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#" + entity
	w.Header().Set("Content-Type", "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8")
	json.NewEncoder(w).Encode(m)
}

// selectFields keeps the $select properties of m (all when sel is empty).
func selectFields(m map[string]any, sel string) map[string]any {
	if sel == "" {
		return m
	}
	keep := map[string]any{}
	for _, k := range strings.Split(sel, ",") {
		if v, ok := m[strings.TrimSpace(k)]; ok {
			keep[strings.TrimSpace(k)] = v
		}
	}
	return keep
}

func (e *Emulator) graphServicePrincipals(w http.ResponseWriter, r *http.Request, c *graphCaller) {
	if !c.can("Application.Read.All", "Application.ReadWrite.All", "Directory.Read.All") {
		denied(w)
		return
	}
	items := make([]any, 0, len(c.tenant.ServicePrincipals)+1)
	hasGraph := false
	for _, sp := range c.tenant.ServicePrincipals {
		hasGraph = hasGraph || strings.EqualFold(sp.AppID, directory.MicrosoftGraphAppID)
		items = append(items, sp.WithoutKeys())
	}
	if !hasGraph {
		items = append(items, *directory.MicrosoftGraph())
	}
	e.graphList(w, r, "servicePrincipals", items)
}

func (e *Emulator) graphSignIns(w http.ResponseWriter, r *http.Request, c *graphCaller) {
	if !c.can("AuditLog.Read.All") {
		denied(w)
		return
	}
	var items []any
	for _, si := range e.store.newestFirst() {
		if strings.EqualFold(si.ResourceTenantID, c.tenant.ID) || strings.EqualFold(si.HomeTenantID, c.tenant.ID) {
			items = append(items, si)
		}
	}
	e.graphList(w, r, "auditLogs/signIns", items)
}

// graphList answers a Graph collection with $filter (eq on top-level
// string properties, joined by "and"), $select, $top and $skiptoken
// paging through @odata.nextLink.
func (e *Emulator) graphList(w http.ResponseWriter, r *http.Request, entity string, items []any) {
	q := r.URL.Query()
	conds, ok := parseFilter(q.Get("$filter"))
	if !ok {
		graphError(w, http.StatusBadRequest, "Request_UnsupportedQuery", "Unsupported or invalid query filter clause specified: "+q.Get("$filter"))
		return
	}
	top := 100
	if s := q.Get("$top"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 999 {
			graphError(w, http.StatusBadRequest, "Request_BadRequest", "Invalid value '"+s+"' for $top.")
			return
		}
		top = n
	}
	skip, _ := strconv.Atoi(q.Get("$skiptoken"))
	var rows []map[string]any
	for _, it := range items {
		b, err := json.Marshal(it)
		if err != nil {
			continue
		}
		var m map[string]any
		if json.Unmarshal(b, &m) != nil || !matches(m, conds) {
			continue
		}
		rows = append(rows, m)
	}
	out := map[string]any{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#" + entity}
	page := []map[string]any{}
	if skip < len(rows) {
		page = rows[skip:min(len(rows), skip+top)]
	}
	if skip+top < len(rows) {
		next := *r.URL
		nq := next.Query()
		nq.Set("$skiptoken", strconv.Itoa(skip+top))
		next.RawQuery = nq.Encode()
		out["@odata.nextLink"] = baseURL(r) + next.RequestURI()
	}
	for i, m := range page {
		page[i] = selectFields(m, q.Get("$select"))
	}
	out["value"] = page
	w.Header().Set("Content-Type", "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8")
	json.NewEncoder(w).Encode(out)
}

type condition struct{ field, value string }

// parseFilter reads "field eq 'value' [and field eq 'value' ...]".
func parseFilter(f string) ([]condition, bool) {
	f = strings.TrimSpace(f)
	if f == "" {
		return nil, true
	}
	var out []condition
	for _, part := range strings.Split(f, " and ") {
		field, val, ok := strings.Cut(strings.TrimSpace(part), " eq ")
		val = strings.TrimSpace(val)
		if !ok || len(val) < 2 || val[0] != '\'' || val[len(val)-1] != '\'' {
			return nil, false
		}
		out = append(out, condition{strings.TrimSpace(field), strings.ReplaceAll(val[1:len(val)-1], "''", "'")})
	}
	return out, true
}

func matches(m map[string]any, conds []condition) bool {
	for _, c := range conds {
		v, ok := m[c.field].(string)
		if !ok || !strings.EqualFold(v, c.value) {
			return false
		}
	}
	return true
}
