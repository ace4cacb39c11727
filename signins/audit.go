package signins

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/aadsts/aadsts/catalog"
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

func fromGraphAudit(raw []byte, h hint, f Format) (Item, error) {
	var g graphAudit
	if err := json.Unmarshal(raw, &g); err != nil {
		return Item{}, fmt.Errorf("invalid directory audit: %w", err)
	}
	a := &AuditEvent{
		ID: string(g.ID), Activity: strings.TrimSpace(string(g.Activity)), Category: string(g.Category),
		Result: string(g.Result), CorrelationID: string(g.CorrelationID), TenantID: string(g.TenantID), Format: f,
	}
	if g.ActivityDateTime != "" {
		t, err := h.parseTime(string(g.ActivityDateTime))
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

func fromUAL(raw []byte, h hint) (Item, error) {
	var u ualRecord
	if err := json.Unmarshal(raw, &u); err != nil {
		return Item{}, fmt.Errorf("invalid unified audit record: %w", err)
	}
	if isUALSignIn(string(u.RecordType), string(u.Operation)) {
		return fromUALSignIn(raw, h)
	}
	t, err := h.parseTime(string(u.CreationTime))
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

// ualSignIn is the part of an Office 365 Management Activity record of
// type AzureActiveDirectoryStsLogon (RecordType 15: UserLoggedIn,
// UserLoginFailed) that a sign-in needs. ErrorNumber is the AADSTS code
// and LogonError its name; records written before 2021 or so carry only
// LogonError.
type ualSignIn struct {
	ID             flexString `json:"Id"`
	CreationTime   flexString `json:"CreationTime"`
	Operation      flexString `json:"Operation"`
	Organization   flexString `json:"OrganizationId"`
	UserID         flexString `json:"UserId"`
	UserKey        flexString `json:"UserKey"`
	ApplicationID  flexString `json:"ApplicationId"`
	ObjectID       flexString `json:"ObjectId"`
	ActorIP        flexString `json:"ActorIpAddress"`
	ClientIP       flexString `json:"ClientIP"`
	IntraSystemID  flexString `json:"IntraSystemId"`
	ErrorNumber    flexString `json:"ErrorNumber"`
	LogonError     flexString `json:"LogonError"`
	ResultStatus   flexString `json:"ResultStatus"`
	UserType       flexString `json:"UserType"`
	RecordTypeName flexString `json:"RecordType"`
	Actor          []struct {
		ID   flexString `json:"ID"`
		Type flexString `json:"Type"`
	} `json:"Actor"`
}

// isUALSignIn reports whether a UAL record is a sign-in: RecordType 15
// (AzureActiveDirectoryStsLogon, by number or by name) or one of its two
// operations. Other AzureActiveDirectory records (directory changes,
// RecordType 8, and the old AccountLogon records, RecordType 9, whose
// LoginStatus is not an AADSTS code) stay audit events.
func isUALSignIn(recordType, operation string) bool {
	switch strings.TrimSpace(recordType) {
	case "15", "AzureActiveDirectoryStsLogon":
		return true
	}
	switch strings.TrimSpace(operation) {
	case "UserLoggedIn", "UserLoginFailed":
		return true
	}
	return false
}

// fromUALSignIn reads a UAL StsLogon record as an interactive sign-in.
func fromUALSignIn(raw []byte, h hint) (Item, error) {
	var u ualSignIn
	if err := json.Unmarshal(raw, &u); err != nil {
		return Item{}, fmt.Errorf("invalid unified audit record: %w", err)
	}
	t, err := h.parseTime(string(u.CreationTime))
	if err != nil {
		return Item{}, fmt.Errorf("CreationTime: %w", err)
	}
	r := &Record{
		ID: string(u.ID), Time: t, Kind: KindInteractive, Format: FormatUnifiedAudit,
		TenantID: string(u.Organization), AppID: string(u.ApplicationID),
		UserPrincipal: string(u.UserID), IP: firstOf(string(u.ActorIP), string(u.ClientIP)),
		RequestID: string(u.IntraSystemID),
	}
	if looksLikeGUID(string(u.ObjectID)) {
		r.ResourceID = string(u.ObjectID)
	}
	// UserKey is the user's object id in current records and a PUID
	// ("1003…@domain") in older ones; the Actor of type 0 is the object id.
	r.UserID = ualUserObjectID(&u)
	code, err := ualCode(&u)
	if err != nil {
		return Item{}, err
	}
	r.Code = code
	if code != 0 {
		r.FailureReason = strings.TrimSpace(string(u.LogonError))
	}
	r.Outcome = OutcomeOf(code)
	if r.ID == "" {
		r.ID = hashID(raw)
	}
	r.RequestID = firstOf(r.RequestID, r.ID)
	r.Raw = compactRaw(raw)
	return Item{SignIn: r}, nil
}

func ualUserObjectID(u *ualSignIn) string {
	if looksLikeGUID(string(u.UserKey)) {
		return string(u.UserKey)
	}
	for _, a := range u.Actor {
		if strings.TrimSpace(string(a.Type)) == "0" && looksLikeGUID(string(a.ID)) {
			return string(a.ID)
		}
	}
	return ""
}

// ualCode is the record's AADSTS code: ErrorNumber; else, for a failed
// sign-in, the code the catalog gives LogonError's name; else 0 for a
// UserLoggedIn. A failure whose code cannot be known is an error, so that
// it is reported rather than stored as a success.
func ualCode(u *ualSignIn) (int, error) {
	if s := strings.TrimSpace(string(u.ErrorNumber)); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return 0, fmt.Errorf("ErrorNumber %q: not a number", s)
		}
		return n, nil
	}
	op := strings.TrimSpace(string(u.Operation))
	if op != "UserLoginFailed" {
		return 0, nil
	}
	name := strings.TrimSpace(string(u.LogonError))
	if n, ok := codeByName(name); ok {
		return n, nil
	}
	return 0, fmt.Errorf("UserLoginFailed without ErrorNumber, and LogonError %q names no AADSTS code we know", name)
}

var (
	codeNamesOnce sync.Once
	codeNames     map[string]int
)

// codeByName returns the AADSTS code Microsoft names name
// ("InvalidUserNameOrPassword" → 50126), from the catalog.
func codeByName(name string) (int, bool) {
	if name == "" {
		return 0, false
	}
	codeNamesOnce.Do(func() {
		codeNames = map[string]int{}
		for _, e := range catalog.Default().All() {
			if e.NameByMicrosoft && e.Name != "" {
				codeNames[strings.ToLower(e.Name)] = e.Code
			}
		}
	})
	n, ok := codeNames[strings.ToLower(name)]
	return n, ok
}
