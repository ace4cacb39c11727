package signins

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// credentialActivities are the audit activities that change an
// application's or service principal's credentials, folded by
// normalizeActivity.
var credentialActivities = map[string]bool{
	"update application - certificates and secrets management":       true,
	"create application - certificates and secrets management":       true,
	"add service principal credentials":                              true,
	"remove service principal credentials":                           true,
	"update service principal - certificates and secrets management": true,
}

// normalizeActivity trims an activity name, turns the EN DASH Entra writes
// ("Update application – Certificates and secrets management ") into an
// ASCII hyphen, drops a trailing period (the Unified Audit Log writes
// "Update application.") and lowercases it.
func normalizeActivity(s string) string {
	s = strings.ReplaceAll(s, "\u2013", "-")
	s = strings.ReplaceAll(s, "\u2014", "-")
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(s, ".")
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// credentialProperties are modified-property names that carry credentials.
var credentialProperties = map[string]bool{
	"keydescription": true, "federatedidentitycredentials": true,
	"keycredentials": true, "passwordcredentials": true,
}

// IsCredentialActivity reports whether an audit activity name (in any of
// its spellings) is one that changes credentials.
func IsCredentialActivity(activity string) bool {
	n := normalizeActivity(activity)
	return credentialActivities[n] || strings.Contains(n, "federated identity credential")
}

func fromGraphAudit(raw []byte, f Format) (Item, error) {
	var g graphAudit
	if err := json.Unmarshal(raw, &g); err != nil {
		return Item{}, fmt.Errorf("invalid directory audit: %w", err)
	}
	a := &AuditEvent{
		ID: string(g.ID), Activity: strings.TrimSpace(string(g.Activity)), Category: string(g.Category),
		Result: string(g.Result), CorrelationID: string(g.CorrelationID), TenantID: string(g.TenantID), Format: f,
	}
	if g.ActivityDateTime != "" {
		t, err := ParseTime(string(g.ActivityDateTime))
		if err != nil {
			return Item{}, fmt.Errorf("activityDateTime: %w", err)
		}
		a.Time = t
	}
	switch {
	case g.InitiatedBy.User != nil:
		a.InitiatedBy = firstOf(string(g.InitiatedBy.User.UPN), string(g.InitiatedBy.User.DN), string(g.InitiatedBy.User.ID))
	case g.InitiatedBy.App != nil:
		a.InitiatedBy = firstOf(string(g.InitiatedBy.App.DN), string(g.InitiatedBy.App.AppID), string(g.InitiatedBy.App.SPID))
	}
	targets := append(g.TargetResources, g.TargetResource...)
	credProp := false
	if len(targets) > 0 {
		t := targets[0]
		a.TargetID, a.TargetName, a.TargetType = string(t.ID), string(t.DisplayName), string(t.Type)
		for _, m := range t.Modified {
			name := foldName(string(m.DisplayName))
			if credentialProperties[name] {
				credProp = true
			}
			if name == "keydescription" {
				a.Keys = append(a.Keys, diffKeys(string(m.OldValue), string(m.NewValue))...)
			}
			if name == "targetid.serviceprincipalnames" && a.AppID == "" {
				a.AppID = appIDFromSPNames(string(m.NewValue))
			}
		}
	}
	for _, kv := range g.AdditionalDetail {
		if strings.EqualFold(string(kv.Key), "AppId") && string(kv.Value) != "" {
			a.AppID = string(kv.Value)
		}
	}
	a.CredentialChange = IsCredentialActivity(a.Activity) || credProp
	if a.ID == "" {
		a.ID = hashID(raw)
	}
	a.Raw = compactRaw(raw)
	return Item{Audit: a}, nil
}

func fromUAL(raw []byte) (Item, error) {
	var u ualRecord
	if err := json.Unmarshal(raw, &u); err != nil {
		return Item{}, fmt.Errorf("invalid unified audit record: %w", err)
	}
	t, err := ParseTime(string(u.CreationTime))
	if err != nil {
		return Item{}, fmt.Errorf("CreationTime: %w", err)
	}
	a := &AuditEvent{
		ID: string(u.ID), Time: t, Activity: strings.TrimSpace(string(u.Operation)), Result: string(u.ResultStatus),
		TenantID: string(u.Organization), InitiatedBy: string(u.UserID), Format: FormatUnifiedAudit,
	}
	credProp := false
	for _, m := range u.Modified {
		name := foldName(string(m.Name))
		if credentialProperties[name] {
			credProp = true
		}
		if name == "keydescription" {
			a.Keys = append(a.Keys, diffKeys(string(m.OldValue), string(m.NewValue))...)
		}
	}
	for _, e := range u.Extended {
		switch string(e.Name) {
		case "targetObjectId":
			a.TargetID = string(e.Value)
		case "targetName":
			a.TargetName = string(e.Value)
		case "extendedAuditEventCategory":
			a.TargetType = string(e.Value)
		case "correlationId":
			a.CorrelationID = string(e.Value)
		case "targetIncludedUpdatedProperties":
			for p := range strings.SplitSeq(strings.Trim(string(e.Value), "[]"), ",") {
				if credentialProperties[foldName(strings.Trim(strings.TrimSpace(p), `"`))] {
					credProp = true
				}
			}
		}
	}
	a.CredentialChange = IsCredentialActivity(a.Activity) || credProp
	if a.ID == "" {
		a.ID = hashID(raw)
	}
	a.Raw = compactRaw(raw)
	return Item{Audit: a}, nil
}

var keyDescRE = regexp.MustCompile(`\[?KeyIdentifier=([^,\]]*)\s*,\s*KeyType=([^,\]]*)\s*,\s*KeyUsage=([^,\]]*)\s*,\s*DisplayName=([^\]]*)\]?`)

// parseKeyDescription reads the KeyDescription value of an audit event: a
// string holding a JSON array of strings, each
// "[KeyIdentifier=…,KeyType=…,KeyUsage=…,DisplayName=…]".
func parseKeyDescription(v string) map[string]KeyChange {
	out := map[string]KeyChange{}
	var items []string
	if json.Unmarshal([]byte(strings.TrimSpace(v)), &items) != nil {
		items = []string{v}
	}
	for _, it := range items {
		for _, m := range keyDescRE.FindAllStringSubmatch(it, -1) {
			k := KeyChange{KeyID: strings.TrimSpace(m[1]), KeyType: strings.TrimSpace(m[2]), KeyUsage: strings.TrimSpace(m[3]), DisplayName: strings.TrimSpace(m[4])}
			if k.KeyID != "" {
				out[k.KeyID] = k
			}
		}
	}
	return out
}

// diffKeys returns the keys added (in new, not old) and removed.
func diffKeys(oldV, newV string) []KeyChange {
	o, n := parseKeyDescription(oldV), parseKeyDescription(newV)
	var out []KeyChange
	for id, k := range n {
		if _, ok := o[id]; !ok {
			k.Action = "added"
			out = append(out, k)
		}
	}
	for id, k := range o {
		if _, ok := n[id]; !ok {
			k.Action = "removed"
			out = append(out, k)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Action != out[j].Action {
			return out[i].Action < out[j].Action
		}
		return out[i].KeyID < out[j].KeyID
	})
	return out
}

// appIDFromSPNames picks the app id out of a servicePrincipalNames value
// ("\"<appId>;https://…\"").
func appIDFromSPNames(v string) string {
	var s string
	if json.Unmarshal([]byte(v), &s) != nil {
		s = v
	}
	first, _, _ := strings.Cut(strings.Trim(s, `"[] `), ";")
	first = strings.Trim(first, `" `)
	if looksLikeGUID(first) {
		return first
	}
	return ""
}

func looksLikeGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if c != '-' {
				return false
			}
			continue
		}
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}
