package signins

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Format names the shape a record was read in.
type Format string

// The import formats.
const (
	FormatEventHub      Format = "diagnostic-settings"
	FormatGraph         Format = "graph"
	FormatLogAnalytics  Format = "log-analytics"
	FormatPortal        Format = "portal"
	FormatGraphAudit    Format = "graph-directoryaudit"
	FormatUnifiedAudit  Format = "o365-management-activity"
	FormatLogAnalyticsC Format = "log-analytics-csv"
	FormatPortalCSV     Format = "portal-csv"
	// FormatUnifiedAuditCSV is a Unified Audit Log search exported to CSV
	// (Search-UnifiedAuditLog | Export-Csv, the Purview portal's export).
	FormatUnifiedAuditCSV Format = "o365-audit-csv"
)

// maxDepth bounds how deep containers ({"records":[…]}, {"value":[…]},
// arrays of pages) may nest.
const maxDepth = 4

// errShape is returned for a JSON value that is no known record shape.
var errShape = errors.New("not a sign-in or audit record of any known shape")

// hint is what the file (name, container) tells about its records.
type hint struct {
	kind   Kind // from the file name or a container, "" when unknown
	portal bool // the file name is a portal download's
	audit  bool // the container says directoryAudits
	// dates reads the input's slash dates; nil reads them as ParseTime
	// does.
	dates *dates
}

// classify decodes one JSON value into records, appending to out.
func classify(raw json.RawMessage, h hint, depth int, out []Item) ([]Item, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return out, errors.New("empty value")
	}
	if depth > maxDepth {
		return out, errors.New("containers nested too deep")
	}
	if raw[0] == '[' {
		var elems []json.RawMessage
		if err := json.Unmarshal(raw, &elems); err != nil {
			return out, fmt.Errorf("invalid JSON: %w", err)
		}
		return classifyAll(elems, h, depth, out)
	}
	if raw[0] != '{' {
		return out, errShape
	}
	var env envelope
	if err := json.Unmarshal(raw, &env); err != nil {
		return out, fmt.Errorf("invalid JSON: %w", err)
	}
	var err error
	var it Item
	switch {
	case env.Records != nil:
		return classify(env.Records, h, depth+1, out)
	case env.Value != nil && bytes.HasPrefix(bytes.TrimSpace(env.Value), []byte("[")):
		odata := strings.ToLower(env.OData)
		if strings.Contains(odata, "directoryaudit") {
			h.audit = true
		} else if odata != "" && !strings.Contains(odata, "signin") {
			return out, fmt.Errorf("Graph collection %q: %w", env.OData, errShape)
		}
		return classify(env.Value, h, depth+1, out)
	case env.Tables != nil && bytes.HasPrefix(bytes.TrimSpace(env.Tables), []byte("[")):
		return fromQueryTables(env.Tables, h, out)
	case env.FrameType != "":
		return fromKustoFrame(raw, &env, h, out)
	case env.Properties != nil:
		it, err = fromEventHub(raw, &env, h)
	case env.TimeGenerated != nil:
		it, err = fromRowJSON(raw, h, FormatLogAnalytics)
	case env.ActivityDateTime != nil || h.audit:
		it, err = fromGraphAudit(raw, h, FormatGraphAudit)
	case env.CreationTime != nil && env.Workload != nil:
		it, err = fromUAL(raw, h)
	case env.CreatedDateTime != nil:
		f := FormatGraph
		if h.portal {
			f = FormatPortal
		}
		if k, ok := ParseKind(string(env.Category)); ok {
			// A flat record that names its log (Elastic's
			// "Category":"ServicePrincipalSignInLogs" beside
			// "CreatedDateTime"): the log says the kind.
			h.kind = k
		}
		it, err = fromGraphSignIn(raw, nil, h, f)
	case env.Time != "" && env.Category != "":
		it, err = fromEventHub(raw, &env, h)
	default:
		return out, errShape
	}
	if err != nil {
		return out, err
	}
	return append(out, it), nil
}

func classifyAll(elems []json.RawMessage, h hint, depth int, out []Item) ([]Item, error) {
	for i, e := range elems {
		var err error
		out, err = classify(e, h, depth+1, out)
		if err != nil {
			if errors.Is(err, errShape) && len(elems) > 1 {
				err = fmt.Errorf("element %d: %w", i, err)
			}
			out = append(out, Item{Bad: &BadRecord{Reason: err.Error()}})
		}
	}
	return out, nil
}

// compactRaw returns raw without insignificant whitespace when it has line
// breaks (pretty-printed sources); single-line records are kept as read.
func compactRaw(raw []byte) json.RawMessage {
	if bytes.IndexByte(raw, '\n') < 0 {
		return append(json.RawMessage(nil), raw...)
	}
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return append(json.RawMessage(nil), raw...)
	}
	return b.Bytes()
}

// hashID names a record that has no id of its own by a hash of its
// original bytes.
func hashID(raw []byte) string {
	s := sha256.Sum256(raw)
	return "sha256:" + hex.EncodeToString(s[:16])
}

func fromEventHub(raw []byte, env *envelope, h hint) (Item, error) {
	cat := string(env.Category)
	props := unnest(env.Properties)
	if strings.EqualFold(cat, "AuditLogs") {
		// A record with no properties (Elastic's time-format samples carry
		// only time and category) is still an event at that time; it is
		// named by its own bytes, as an empty properties object would
		// give every such record one id.
		bare := len(props) == 0 || string(props) == "null"
		if bare {
			props = json.RawMessage("{}")
		}
		it, err := fromGraphAudit(props, h, FormatEventHub)
		if err != nil {
			return it, err
		}
		a := it.Audit
		if a.TenantID == "" {
			a.TenantID = string(env.TenantID)
		}
		if a.Time.IsZero() {
			// An unreadable time is reported, not stored as year 1.
			if a.Time, err = h.parseTime(string(env.Time)); err != nil {
				return Item{}, fmt.Errorf("audit time: %w", err)
			}
		}
		if bare {
			a.ID = hashID(raw)
		}
		a.Raw = compactRaw(raw)
		return it, nil
	}
	if k, ok := ParseKind(cat); ok {
		h.kind = k
	} else if cat != "" {
		return Item{}, fmt.Errorf("category %q: not a sign-in or audit log", cat)
	}
	it, err := fromGraphSignIn(props, env, h, FormatEventHub)
	if err != nil {
		return it, err
	}
	it.SignIn.Raw = compactRaw(raw)
	if it.SignIn.ID == "" || strings.HasPrefix(it.SignIn.ID, "sha256:") {
		it.SignIn.ID = hashID(raw)
	}
	return it, nil
}

func fromGraphSignIn(raw []byte, env *envelope, h hint, f Format) (Item, error) {
	var g graphSignIn
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &g); err != nil {
			return Item{}, fmt.Errorf("invalid sign-in: %w", err)
		}
	}
	if env == nil && g.Status == nil && g.IPAddress == "" && g.SignInEventTypes == nil && g.CorrelationID == "" {
		return Item{}, errShape
	}
	r := &Record{
		ID: string(g.ID), Kind: h.kind, Format: f,
		AppID: string(g.AppID), AppName: string(g.AppDisplayName),
		SPID: string(g.ServicePrincipalID), SPName: string(g.ServicePrincipalName),
		ResourceID: string(g.ResourceID), ResourceName: string(g.ResourceDisplayName),
		UserID: string(g.UserID), UserPrincipal: string(g.UserPrincipalName), UserName: string(g.UserDisplayName),
		IP: string(g.IPAddress), CredentialType: string(g.ClientCredentialType),
		CredentialKeyID: string(g.CredKeyID), CredentialThumbprint: string(g.CredThumbprint),
		FederatedCredentialID: string(g.FederatedCredID), CorrelationID: string(g.CorrelationID),
		RequestID: string(g.OriginalRequestID), CAStatus: string(g.CAStatus),
		TenantID: firstOf(string(g.TenantID)),
	}
	statusKnown := false
	if st := unnest(g.Status); len(st) > 0 && st[0] == '{' {
		var s graphStatus
		if json.Unmarshal(st, &s) == nil {
			r.Code, r.FailureReason, statusKnown = int(s.ErrorCode), string(s.FailureReason), true
		}
	} else if len(st) > 0 && st[0] == '"' {
		// ConvertTo-Json past its -Depth writes nested objects as their
		// type name: the result is lost.
		var s string
		if json.Unmarshal(st, &s) == nil && isTypeName(s) {
			return Item{}, errStatusTypeName(s)
		}
	}
	if r.Location = locationText(g.Location); isTypeName(r.Location) {
		r.Location = ""
	}
	var when string = string(g.CreatedDateTime)
	if env != nil {
		if !statusKnown && env.ResultType != "" {
			var n flexInt
			if err := n.UnmarshalJSON([]byte(env.ResultType)); err != nil {
				return Item{}, fmt.Errorf("resultType %q: not a number", string(env.ResultType))
			}
			r.Code = int(n)
		}
		if r.FailureReason == "" && r.Code != 0 {
			r.FailureReason = string(env.ResultDesc)
		}
		r.IP = firstOf(r.IP, string(env.CallerIP))
		r.CorrelationID = firstOf(r.CorrelationID, string(env.Correl))
		r.TenantID = firstOf(r.TenantID, string(env.TenantID))
		if r.Location == "" {
			r.Location = locationText(env.Location)
		}
		if when == "" {
			when = string(env.Time)
		}
	}
	r.TenantID = firstOf(r.TenantID, string(g.ResourceTenantID))
	r.RequestID = firstOf(r.RequestID, r.ID)
	if r.Kind == "" {
		r.Kind = graphKind(&g, h)
	}
	t, err := h.parseTime(when)
	if err != nil {
		return Item{}, fmt.Errorf("sign-in time: %w", err)
	}
	r.Time = t
	r.Outcome = OutcomeOf(r.Code)
	if r.ID == "" {
		r.ID = hashID(raw)
	}
	r.Raw = compactRaw(raw)
	return Item{SignIn: r}, nil
}

// graphKind infers the kind of a Graph signIn: beta's signInEventTypes,
// then the file's hint, then the fields present.
func graphKind(g *graphSignIn, h hint) Kind {
	for _, t := range g.SignInEventTypes {
		if k, ok := ParseKind(t); ok {
			return k
		}
	}
	if h.kind != "" {
		return h.kind
	}
	if strings.EqualFold(string(g.TokenIssuerType), "ADFederationServices") {
		return KindADFS
	}
	if g.UserID == "" && g.UserPrincipalName == "" && g.ServicePrincipalID != "" {
		if len(g.ManagedIdentity) > 0 && string(g.ManagedIdentity) != "null" {
			return KindManagedIdentity
		}
		return KindServicePrincipal
	}
	if g.IsInteractive.set && !g.IsInteractive.v {
		return KindNonInteractive
	}
	return KindInteractive
}

func locationText(raw json.RawMessage) string {
	raw = unnest(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	if raw[0] == '"' {
		var s string
		_ = json.Unmarshal(raw, &s)
		return s
	}
	var l graphLocation
	if json.Unmarshal(raw, &l) != nil {
		return ""
	}
	return joinNonEmpty(", ", string(l.City), string(l.State), firstOf(string(l.Country), string(l.Country2)))
}

func joinNonEmpty(sep string, parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, sep)
}

func firstOf(vals ...string) string {
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// queryTable is a table of the Log Analytics query API's response
// ({"tables":[{"name","columns":[{"name","type"}],"rows":[[…]]}]}), which
// is also what `az monitor log-analytics query` reads.
//
// Azure Data Explorer's v1 response spells it {"Tables":[{"TableName",
// "Columns":[{"ColumnName","ColumnType"}],"Rows"}]} (field names match
// case-insensitively), and its v2 response is an array of frames of which
// the "DataTable" frames of kind "PrimaryResult" hold the rows.
type queryTable struct {
	Columns []struct {
		Name       string `json:"name"`
		ColumnName string `json:"ColumnName"`
	} `json:"columns"`
	Rows      [][]json.RawMessage `json:"rows"`
	TableKind flexString          `json:"TableKind"`
}

// name returns column j's name.
func (t *queryTable) name(j int) string {
	return firstOf(t.Columns[j].Name, t.Columns[j].ColumnName)
}

// isLog reports whether a table holds log rows: a v2 table of kind
// PrimaryResult (or of no kind) with a time column. The other tables of a
// response (ADX v1's @ExtendedProperties, QueryStatus and table of
// contents; v2's QueryProperties and QueryCompletionInformation) are
// metadata, not records.
func (t *queryTable) isLog() bool {
	if t.TableKind != "" && !strings.EqualFold(string(t.TableKind), "PrimaryResult") {
		return false
	}
	for j := range t.Columns {
		switch foldColumn(t.name(j)) {
		case "timegenerated", "createddatetime", "activitydatetime", "time":
			return true
		}
	}
	return false
}

// rowItem reads one row of t: a sign-in or audit event, or a bad record.
func (t *queryTable) rowItem(cells []json.RawMessage, h hint) Item {
	obj := make(map[string]json.RawMessage, len(cells))
	for j, c := range cells {
		if j < len(t.Columns) {
			obj[t.name(j)] = c
		}
	}
	b, _ := json.Marshal(obj)
	it, err := fromRowJSON(b, h, FormatLogAnalytics)
	if err != nil {
		return Item{Bad: &BadRecord{Reason: err.Error()}}
	}
	return it
}

func fromQueryTables(raw json.RawMessage, h hint, out []Item) ([]Item, error) {
	var tables []queryTable
	if err := json.Unmarshal(raw, &tables); err != nil {
		return out, fmt.Errorf("invalid query response: %w", err)
	}
	logs := 0
	for _, t := range tables {
		if !t.isLog() {
			continue
		}
		logs++
		for i, cells := range t.Rows {
			it := t.rowItem(cells, h)
			if it.Bad != nil {
				it.Bad.Reason = fmt.Sprintf("row %d: %s", i, it.Bad.Reason)
			}
			out = append(out, it)
		}
	}
	if logs == 0 && len(tables) > 0 {
		return out, fmt.Errorf("query response: no table with a time column: %w", errShape)
	}
	return out, nil
}

// fromKustoFrame reads one frame of an Azure Data Explorer v2 response:
// the rows of a PrimaryResult DataTable; other frames hold no records.
func fromKustoFrame(raw json.RawMessage, env *envelope, h hint, out []Item) ([]Item, error) {
	if !strings.EqualFold(string(env.FrameType), "DataTable") || (env.TableKind != "" && !strings.EqualFold(string(env.TableKind), "PrimaryResult")) {
		return out, nil
	}
	return fromQueryTables(append(append(json.RawMessage("["), raw...), ']'), h, out)
}
