package signins

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// row is one flat export row (Log Analytics or portal, JSON or CSV): column
// names folded by foldColumn, values as text (JSON text for dynamic
// columns). The first of duplicated columns wins.
type row map[string]string

// foldColumn folds a column name: Log Analytics' " [UTC]" suffix, trailing
// and doubled spaces, case, dashes and underscores do not matter.
func foldColumn(s string) string {
	s = strings.TrimPrefix(s, "\ufeff")
	s = strings.TrimSuffix(strings.TrimSpace(s), "[UTC]")
	return foldName(s)
}

func (r row) get(names ...string) string {
	for _, n := range names {
		if v := strings.TrimSpace(r[n]); v != "" {
			return v
		}
	}
	return ""
}

func fromRowJSON(raw []byte, h hint, f Format) (Item, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return Item{}, fmt.Errorf("invalid row: %w", err)
	}
	r := row{}
	for k, v := range m {
		fk := foldColumn(k)
		if _, dup := r[fk]; dup {
			continue
		}
		var s string
		if len(v) > 0 && v[0] == '"' {
			_ = json.Unmarshal(v, &s)
		} else if string(v) != "null" {
			s = string(v)
		}
		r[fk] = s
	}
	return fromRow(r, compactRaw(raw), h, f)
}

// fromRow maps a flat row onto a record. Log Analytics' ResourceId is the
// ARM path and its resource app id is ResourceIdentity; the portal's
// "Resource ID" is the app id. Log Analytics' TenantId is the workspace's:
// AADTenantId is the directory.
func fromRow(r row, raw json.RawMessage, h hint, f Format) (Item, error) {
	table := r.get("type", "category")
	if strings.EqualFold(table, "AuditLogs") {
		return fromAuditRow(r, raw, h, f)
	}
	rec := &Record{Format: f, Raw: raw}
	if k, ok := ParseKind(table); ok {
		rec.Kind = k
	} else {
		rec.Kind = rowKind(r, h)
	}
	when := r.get("createddatetime", "date(utc)", "date", "timegenerated", "time")
	t, err := h.parseTime(when)
	if err != nil {
		return Item{}, fmt.Errorf("sign-in time: %w", err)
	}
	rec.Time = t
	rec.ID = r.get("id", "requestid")
	rec.RequestID = r.get("originalrequestid", "requestid", "id")
	rec.TenantID = r.get("aadtenantid", "resourcetenantid", "tenantid", "hometenantid")
	rec.AppID = r.get("appid", "applicationid")
	rec.AppName = r.get("appdisplayname", "application")
	rec.SPID = r.get("serviceprincipalid")
	rec.SPName = r.get("serviceprincipalname")
	rec.ResourceID = r.get("resourceidentity")
	if rid := r.get("resourceid"); rec.ResourceID == "" && !strings.HasPrefix(rid, "/") {
		rec.ResourceID = rid
	}
	rec.ResourceName = r.get("resourcedisplayname", "resource")
	rec.UserID = r.get("userid")
	rec.UserPrincipal = r.get("userprincipalname", "username")
	rec.UserName = r.get("userdisplayname", "user", "identity")
	rec.IP = r.get("ipaddress", "calleripaddress")
	rec.Location = locationText(json.RawMessage(r.get("locationdetails")))
	if rec.Location == "" {
		rec.Location = r.get("location")
	}
	rec.CredentialType = r.get("clientcredentialtype")
	rec.CredentialKeyID = r.get("serviceprincipalcredentialkeyid", "credentialkeyid")
	rec.CredentialThumbprint = r.get("serviceprincipalcredentialthumbprint", "credentialthumbprint")
	rec.FederatedCredentialID = r.get("federatedcredentialid", "federatedtokenid")
	rec.CorrelationID = r.get("correlationid")
	rec.CAStatus = r.get("conditionalaccessstatus", "conditionalaccess")

	status := r.get("status")
	codeCol := r.get("resulttype", "signinerrorcode", "errorcode", "status.errorcode", "statuserrorcode")
	switch {
	case strings.HasPrefix(status, "{"):
		var s graphStatus
		if json.Unmarshal([]byte(status), &s) == nil {
			rec.Code, rec.FailureReason = int(s.ErrorCode), string(s.FailureReason)
		}
		status = ""
	case strings.HasPrefix(status, "class "):
		// The AzureAD module's objects print as "class SignInStatus {
		// ErrorCode: 50126 FailureReason: … }" (one field a line).
		code, reason, err := classText(status)
		if err != nil && codeCol == "" {
			return Item{}, err
		}
		rec.Code, rec.FailureReason = code, reason
		status = ""
	case isTypeName(status):
		if codeCol == "" {
			return Item{}, errStatusTypeName(status)
		}
		status = ""
	}
	if isTypeName(rec.Location) || strings.HasPrefix(rec.Location, "class ") {
		rec.Location = ""
	}
	if c := codeCol; c != "" {
		n, err := strconv.Atoi(c)
		if err != nil {
			return Item{}, fmt.Errorf("error code %q: not a number", c)
		}
		rec.Code = n
	}
	rec.FailureReason = firstOf(rec.FailureReason, r.get("resultdescription", "failurereason", "status.failurereason", "statusfailurereason"))
	if rec.Code == 0 {
		rec.FailureReason = ""
	}
	rec.Outcome = OutcomeOf(rec.Code)
	if o, ok := ParseOutcome(status); ok && rec.Code != 0 {
		// The portal's own verdict (Failure, Interrupted) wins for codes we
		// do not list.
		rec.Outcome = o
	}
	if rec.ID == "" {
		rec.ID = hashID(raw)
	}
	return Item{SignIn: rec}, nil
}

func rowKind(r row, h hint) Kind {
	if h.kind != "" {
		return h.kind
	}
	switch {
	case r["managedidentitytype"] != "" && r["username"] == "":
		return KindManagedIdentity
	case r.get("credentialkeyid", "credentialthumbprint", "serviceprincipalcredentialkeyid") != "" ||
		(r.get("serviceprincipalid") != "" && r.get("userid", "username", "userprincipalname") == ""):
		return KindServicePrincipal
	case strings.EqualFold(r.get("isinteractive"), "false"):
		return KindNonInteractive
	}
	return KindInteractive
}

// fromAuditRow reads a Log Analytics AuditLogs row by rebuilding the
// directoryAudit it flattens.
func fromAuditRow(r row, raw json.RawMessage, h hint, f Format) (Item, error) {
	g := map[string]any{
		"id":                  r.get("id"),
		"category":            r.get("category"),
		"correlationId":       r.get("correlationid"),
		"result":              r.get("result"),
		"activityDisplayName": r.get("activitydisplayname", "operationname"),
		"activityDateTime":    r.get("activitydatetime", "timegenerated"),
		"tenantId":            r.get("aadtenantid", "tenantid"),
	}
	if g["category"] == "AuditLogs" {
		g["category"] = ""
	}
	for col, key := range map[string]string{"targetresources": "targetResources", "initiatedby": "initiatedBy", "additionaldetails": "additionalDetails"} {
		if v := r.get(col); v != "" && json.Valid([]byte(v)) {
			g[key] = json.RawMessage(v)
		}
	}
	b, err := json.Marshal(g)
	if err != nil {
		return Item{}, err
	}
	it, err := fromGraphAudit(b, h, f)
	if err != nil {
		return it, err
	}
	if r.get("id") == "" {
		it.Audit.ID = hashID(raw)
	}
	it.Audit.Raw = raw
	return it, nil
}

// isTypeName reports whether a value is a .NET type name, which is what
// PowerShell writes for a nested object that Export-Csv (or ConvertTo-Json
// past its -Depth) cannot expand:
// "Microsoft.Graph.PowerShell.Models.MicrosoftGraphSignInStatus".
func isTypeName(s string) bool {
	s = strings.TrimSuffix(strings.TrimSpace(s), "[]")
	if !strings.HasPrefix(s, "Microsoft.") && !strings.HasPrefix(s, "System.") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '.' || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return strings.Count(s, ".") >= 2
}

// errStatusTypeName explains a sign-in whose status PowerShell wrote as a
// type name: its error code and outcome are lost, so it is not stored.
func errStatusTypeName(v string) error {
	return fmt.Errorf("status is the type name %q, not the sign-in's result: Export-Csv (or ConvertTo-Json without -Depth) "+
		"does not expand nested objects, so the error code is lost; export with ConvertTo-Json -Depth 10, or flatten with "+
		"Select-Object *, @{n='ErrorCode';e={$_.Status.ErrorCode}}, @{n='FailureReason';e={$_.Status.FailureReason}}", strings.TrimSpace(v))
}

// classText reads the ErrorCode and FailureReason of an AzureAD module
// object's text form ("class SignInStatus {\n  ErrorCode: 0\n  FailureReason: …\n}").
func classText(s string) (int, string, error) {
	code, reason, seen := 0, "", false
	for l := range strings.SplitSeq(s, "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(l), ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch k {
		case "ErrorCode":
			n, err := strconv.Atoi(v)
			if err != nil {
				return 0, "", fmt.Errorf("status ErrorCode %q: not a number", v)
			}
			code, seen = n, true
		case "FailureReason":
			reason = v
		}
	}
	if !seen {
		return 0, "", fmt.Errorf("status %q has no ErrorCode", firstLine(s))
	}
	return code, reason, nil
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(l)
}
