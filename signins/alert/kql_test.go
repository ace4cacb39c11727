package alert

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const allRules = `
rules:
  - name: expired-secrets
    match: {codes: [7000222, 7000215], kinds: [serviceprincipal]}
    window: 1h
    threshold: 5
  - name: client-auth-rise
    match: {categories: [client-auth], apps: [aaaaaaaa-0000-4000-8000-000000000001]}
    window: 1h
    baseline: 7d
    factor: 3
    min_count: 10
  - name: all-failures-all-logs
    match: {}
    window: 15m
  - name: mi-and-users
    match: {kinds: [managedidentity, interactive, noninteractive], outcomes: [failure, interrupt]}
    window: 2h
    threshold: 100
  - name: success-drop
    match: {outcomes: [success], kinds: [serviceprincipal]}
    window: 30m
    baseline: 1d
  - name: credential-changes
    match: {source: audit, apps: [contoso-daemon]}
    window: 1d
`

type kqlDiag struct {
	Name        string `json:"name"`
	Diagnostics []struct {
		Severity string `json:"severity"`
		Message  string `json:"message"`
		Start    int    `json:"start"`
	} `json:"diagnostics"`
}

// checkKQL runs testing/node/kql-check.js, Microsoft's Kusto language
// service, over the queries.
func checkKQL(t *testing.T, queries []Query) []kqlDiag {
	t.Helper()
	node, err := exec.LookPath("node")
	dir, _ := filepath.Abs("../../testing/node")
	if _, serr := os.Stat(filepath.Join(dir, "node_modules", "@kusto", "language-service-next")); err != nil || serr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("node or @kusto/language-service-next missing under CI (node: %v, module: %v)", err, serr)
		}
		t.Skip("SKIPPING KQL validation: node or testing/node/node_modules/@kusto/language-service-next is missing; run scripts/setup")
	}
	type q struct {
		Name string `json:"name"`
		KQL  string `json:"kql"`
	}
	req := struct {
		Schemas map[string]string `json:"schemas"`
		Queries []q               `json:"queries"`
	}{Schemas: Schemas()}
	for _, x := range queries {
		req.Queries = append(req.Queries, q{x.Rule, x.KQL})
	}
	in, _ := json.Marshal(req)
	cmd := exec.Command(node, "kql-check.js")
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("kql-check.js: %v: %s", err, stderr.String())
	}
	var diags []kqlDiag
	if err := json.Unmarshal(out, &diags); err != nil {
		t.Fatalf("kql-check.js output: %v: %s", err, out)
	}
	return diags
}

// TestKQL checks every rule type's query with the Kusto language service,
// and, in the same run, proves the checker fails a wrong column, a column
// of another table, a syntax error and an unknown table, so that a clean
// result means something.
func TestKQL(t *testing.T) {
	f, err := Load(strings.NewReader(allRules), "rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var qs []Query
	for i := range f.Rules {
		qs = append(qs, KQL(&f.Rules[i]))
	}
	bad := []Query{
		{Rule: "bad:wrong-column", KQL: "AADServicePrincipalSignInLogs | where TimeGenerated > ago(1h) | where ErrorCode == \"7000222\""},
		{Rule: "bad:column-of-another-table", KQL: "AADManagedIdentitySignInLogs | where ServicePrincipalCredentialKeyId != \"\""},
		{Rule: "bad:syntax", KQL: "SigninLogs | wher ResultType != \"0\""},
		{Rule: "bad:unknown-table", KQL: "SignInLogs | count"},
	}
	diags := checkKQL(t, append(qs, bad...))
	if len(diags) != len(qs)+len(bad) {
		t.Fatalf("%d results for %d queries", len(diags), len(qs)+len(bad))
	}
	for i, d := range diags {
		if strings.HasPrefix(d.Name, "bad:") {
			if len(d.Diagnostics) == 0 {
				t.Errorf("%s: the checker found nothing wrong", d.Name)
			}
			continue
		}
		if len(d.Diagnostics) > 0 {
			t.Errorf("rule %s: %+v\nquery:\n%s", d.Name, d.Diagnostics, qs[i].KQL)
		}
	}
}

func TestARMTemplate(t *testing.T) {
	f, err := Load(strings.NewReader(allRules), "rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b, err := ARMTemplate(f)
	if err != nil {
		t.Fatal(err)
	}
	var tpl struct {
		Resources []struct {
			Type       string `json:"type"`
			Properties struct {
				WindowSize string `json:"windowSize"`
				Criteria   struct {
					AllOf []struct {
						Query string `json:"query"`
					} `json:"allOf"`
				} `json:"criteria"`
			} `json:"properties"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(b, &tpl); err != nil {
		t.Fatal(err)
	}
	if len(tpl.Resources) != len(f.Rules) {
		t.Fatalf("%d resources, want %d", len(tpl.Resources), len(f.Rules))
	}
	for i, r := range tpl.Resources {
		if r.Type != "Microsoft.Insights/scheduledQueryRules" || r.Properties.WindowSize == "" || r.Properties.Criteria.AllOf[0].Query != KQL(&f.Rules[i]).KQL {
			t.Errorf("resource %d: %+v", i, r)
		}
	}
}
