package alert_test

import (
	"fmt"
	"strings"

	"github.com/aadsts/aadsts/signins/alert"
)

func ExampleKQL() {
	f, err := alert.Load(strings.NewReader(`
rules:
  - name: expired-secrets
    match: {codes: [7000222], kinds: [serviceprincipal]}
    window: 1h
    threshold: 5
`), "rules.yaml")
	if err != nil {
		panic(err)
	}
	fmt.Println(alert.KQL(&f.Rules[0]).KQL)
	// Output:
	// // aadsts rule expired-secrets
	// AADServicePrincipalSignInLogs
	// | where TimeGenerated > ago(1h)
	// | where ResultType in ("7000222")
	// | where ((ResultType != "0" and ResultType !in ("16000", "16001", "50055", "50058", "50072", "50074", "50076", "50079", "50097", "50125", "50127", "50129", "50140", "50143", "50144", "50158", "50199", "51006", "81010", "81012", "81014")))
	// | summarize Count = count(), Apps = make_set(AppId, 20), Codes = make_set(ResultType, 20), FirstSeen = min(TimeGenerated), LastSeen = max(TimeGenerated)
	// | where Count >= 5
}
