package alert

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aadsts/aadsts/signins"
)

// schemasJSON holds the Log Analytics column schemas of the tables the
// queries read, in Kusto's "(Column:type, ...)" form, from Azure Monitor's
// table reference (docs/logs.md says where each list comes from).
//
//go:embed schemas.json
var schemasJSON []byte

// Schemas returns table name -> "(Column:type, ...)".
func Schemas() map[string]string {
	var m map[string]string
	if err := json.Unmarshal(schemasJSON, &m); err != nil {
		panic("alert: embedded schemas.json: " + err.Error()) // caught by the package tests
	}
	return m
}

// tableOf maps a sign-in kind to its Log Analytics table. ADFS sign-ins
// (ADFSSignInLogs) have no table schema here and are left out of KQL.
var tableOf = map[signins.Kind]string{
	signins.KindInteractive:      "SigninLogs",
	signins.KindNonInteractive:   "AADNonInteractiveUserSignInLogs",
	signins.KindServicePrincipal: "AADServicePrincipalSignInLogs",
	signins.KindManagedIdentity:  "AADManagedIdentitySignInLogs",
}

// Query is a rule as KQL.
type Query struct {
	Rule   string   `json:"rule"`
	Tables []string `json:"tables"`
	KQL    string   `json:"kql"`
}

func kqlString(s string) string { return strconv.Quote(s) }

func kqlTimespan(d time.Duration) string {
	switch {
	case d%(24*time.Hour) == 0:
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return fmt.Sprintf("%ds", d/time.Second)
}

// KQL turns a rule into a query that returns one row when the rule fires.
func KQL(r *Rule) Query {
	if r.Match.Source == "audit" {
		return auditKQL(r)
	}
	var tables []string
	if len(r.Match.Kinds) == 0 {
		tables = []string{"SigninLogs", "AADNonInteractiveUserSignInLogs", "AADServicePrincipalSignInLogs", "AADManagedIdentitySignInLogs"}
	}
	for _, k := range r.Match.Kinds {
		kind, _ := signins.ParseKind(k)
		if t, ok := tableOf[kind]; ok && !containsStr(tables, t) {
			tables = append(tables, t)
		}
	}
	if len(tables) == 0 {
		tables = []string{"SigninLogs"}
	}
	sort.Strings(tables)
	src := tables[0]
	if len(tables) > 1 {
		src = "union " + strings.Join(tables, ", ")
	}
	var where []string
	if codes := r.Codes(); len(codes) > 0 {
		where = append(where, "ResultType in ("+quoteInts(codes)+")")
	}
	if len(r.Match.Apps) > 0 {
		var q []string
		for _, a := range r.Match.Apps {
			q = append(q, kqlString(a))
		}
		where = append(where, "AppId in~ ("+strings.Join(q, ", ")+")")
	}
	var outs []string
	for _, o := range r.Match.Outcomes {
		oc, _ := signins.ParseOutcome(o)
		switch oc {
		case signins.OutcomeSuccess:
			outs = append(outs, `ResultType == "0"`)
		case signins.OutcomeInterrupt:
			outs = append(outs, "ResultType in ("+quoteInts(signins.InterruptCodes())+")")
		case signins.OutcomeFailure:
			outs = append(outs, `(ResultType != "0" and ResultType !in (`+quoteInts(signins.InterruptCodes())+"))")
		}
	}
	if len(outs) > 0 {
		where = append(where, "("+strings.Join(outs, " or ")+")")
	}
	w := time.Duration(r.Window)
	var b strings.Builder
	fmt.Fprintf(&b, "// aadsts rule %s\n", r.Name)
	if r.Baseline == 0 {
		fmt.Fprintf(&b, "%s\n| where TimeGenerated > ago(%s)\n", src, kqlTimespan(w))
		for _, c := range where {
			fmt.Fprintf(&b, "| where %s\n", c)
		}
		fmt.Fprintf(&b, "| summarize Count = count(), Apps = make_set(AppId, 20), Codes = make_set(ResultType, 20), FirstSeen = min(TimeGenerated), LastSeen = max(TimeGenerated)\n")
		fmt.Fprintf(&b, "| where Count >= %d", r.Threshold)
		return Query{Rule: r.Name, Tables: tables, KQL: b.String()}
	}
	bl := time.Duration(r.Baseline)
	fmt.Fprintf(&b, "let window = %s;\nlet baseline = %s;\nlet matching = %s\n    | where TimeGenerated > ago(window + baseline)", kqlTimespan(w), kqlTimespan(bl), src)
	for _, c := range where {
		fmt.Fprintf(&b, "\n    | where %s", c)
	}
	b.WriteString(";\n")
	b.WriteString("let current = toscalar(matching | where TimeGenerated > ago(window) | count);\n")
	b.WriteString("let before = toscalar(matching | where TimeGenerated <= ago(window) | count);\n")
	b.WriteString("print Count = current, Baseline = todouble(before) * (window / baseline)\n")
	fmt.Fprintf(&b, "| where Count >= %d and Count > %s * Baseline", r.MinCount, strconv.FormatFloat(r.Factor, 'f', -1, 64))
	return Query{Rule: r.Name, Tables: tables, KQL: b.String()}
}

func auditKQL(r *Rule) Query {
	var b strings.Builder
	fmt.Fprintf(&b, "// aadsts rule %s\nAuditLogs\n| where TimeGenerated > ago(%s)\n", r.Name, kqlTimespan(time.Duration(r.Window)))
	b.WriteString(`| extend Activity = trim(@"\s+", replace_string(OperationName, "–", "-"))` + "\n")
	b.WriteString(`| where Activity in~ ("Update application - Certificates and secrets management", "Create application - Certificates and secrets management", "Add service principal credentials", "Remove service principal credentials") or OperationName has "federated identity credential" or tostring(TargetResources) has "KeyDescription"` + "\n")
	b.WriteString("| extend AppId = tostring(AdditionalDetails[array_length(AdditionalDetails) - 1].value), Target = tostring(TargetResources[0].displayName)\n")
	if len(r.Match.Apps) > 0 {
		var q []string
		for _, a := range r.Match.Apps {
			q = append(q, kqlString(a))
		}
		fmt.Fprintf(&b, "| where AppId in~ (%s) or Target in~ (%s)\n", strings.Join(q, ", "), strings.Join(q, ", "))
	}
	b.WriteString("| summarize Count = count(), Targets = make_set(Target, 20), FirstSeen = min(TimeGenerated), LastSeen = max(TimeGenerated)\n")
	fmt.Fprintf(&b, "| where Count >= %d", r.Threshold)
	return Query{Rule: r.Name, Tables: []string{"AuditLogs"}, KQL: b.String()}
}

func quoteInts(codes []int) string {
	s := append([]int(nil), codes...)
	sort.Ints(s)
	var q []string
	last := -2
	for _, c := range s {
		if c != last {
			q = append(q, `"`+strconv.Itoa(c)+`"`)
		}
		last = c
	}
	return strings.Join(q, ", ")
}

func containsStr(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// ARMTemplate returns an ARM template deploying every rule as an Azure
// Monitor scheduled query rule (Microsoft.Insights/scheduledQueryRules) on
// a Log Analytics workspace, firing when the rule's query returns a row.
func ARMTemplate(f *File) ([]byte, error) {
	var resources []any
	for i := range f.Rules {
		r := &f.Rules[i]
		q := KQL(r)
		w := time.Duration(r.Window)
		if r.Baseline != 0 {
			w += time.Duration(r.Baseline)
		}
		freq := time.Duration(r.Window)
		if freq > time.Hour {
			freq = time.Hour
		}
		if freq < 5*time.Minute {
			freq = 5 * time.Minute
		}
		window := max(w, freq)
		if window > 2*24*time.Hour {
			window = 2 * 24 * time.Hour
		}
		resources = append(resources, map[string]any{
			"type":       "Microsoft.Insights/scheduledQueryRules",
			"apiVersion": "2021-08-01",
			"name":       "[concat(parameters('namePrefix'), '" + armSafe(r.Name) + "')]",
			"location":   "[parameters('location')]",
			"properties": map[string]any{
				"displayName":         "aadsts " + r.Name,
				"description":         r.Description,
				"severity":            r.Severity,
				"enabled":             true,
				"evaluationFrequency": isoDuration(freq),
				"windowSize":          isoDuration(window),
				"scopes":              []string{"[parameters('workspaceId')]"},
				"criteria": map[string]any{"allOf": []any{map[string]any{
					"query":           q.KQL,
					"timeAggregation": "Count",
					"operator":        "GreaterThan",
					"threshold":       0,
					"failingPeriods":  map[string]any{"numberOfEvaluationPeriods": 1, "minFailingPeriodsToAlert": 1},
				}}},
				"autoMitigate": true,
				"actions":      map[string]any{"actionGroups": "[parameters('actionGroupIds')]"},
			},
		})
	}
	tpl := map[string]any{
		"$schema":        "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
		"contentVersion": "1.0.0.0",
		"parameters": map[string]any{
			"workspaceId":    map[string]any{"type": "string", "metadata": map[string]any{"description": "Resource id of the Log Analytics workspace that receives the Entra sign-in logs"}},
			"location":       map[string]any{"type": "string", "defaultValue": "[resourceGroup().location]"},
			"actionGroupIds": map[string]any{"type": "array", "defaultValue": []any{}},
			"namePrefix":     map[string]any{"type": "string", "defaultValue": "aadsts-"},
		},
		"resources": resources,
	}
	return json.MarshalIndent(tpl, "", "  ")
}

func armSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\'' || r == '[' || r == ']' || r == '/' || r == '\\' {
			return '-'
		}
		return r
	}, s)
}

func isoDuration(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return fmt.Sprintf("P%dD", d/(24*time.Hour))
	}
	if d%time.Hour == 0 {
		return fmt.Sprintf("PT%dH", d/time.Hour)
	}
	return fmt.Sprintf("PT%dM", d/time.Minute)
}
