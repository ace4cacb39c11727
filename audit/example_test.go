package audit_test

import (
	"context"
	"fmt"
	"time"

	"github.com/aadsts/aadsts/audit"
	"github.com/aadsts/aadsts/directory"
)

func ExampleRun() {
	input := []byte(`[{"appId":"aaaaaaaa-0000-4000-8000-000000000001","displayName":"nightly-export",
	  "passwordCredentials":[{"keyId":"12121212-3434-4565-8787-909090909090","displayName":"ci",
	    "startDateTime":"2026-06-01T00:00:00Z","endDateTime":"2026-11-27T00:00:00Z"}]}]`)
	d, err := directory.Read("apps.json", input)
	if err != nil {
		panic(err)
	}
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	findings, err := audit.Run(context.Background(), d, audit.DefaultOptions(now))
	if err != nil {
		panic(err)
	}
	for _, f := range findings {
		fmt.Println(f.Severity, f.Rule, f.KeyID)
	}
	// Output:
	// critical credential-expiring 12121212-3434-4565-8787-909090909090
}
