package diagnose_test

import (
	"fmt"
	"time"

	"github.com/aadsts/aadsts/diagnose"
)

// A curl command posting client credentials to /common: Entra answers
// AADSTS9001023 before it looks at the secret.
func ExampleRequest() {
	curl := `curl https://login.microsoftonline.com/common/oauth2/v2.0/token \
  -d grant_type=client_credentials -d client_id=11111111-1111-4111-8111-111111111111 \
  -d scope=https%3A%2F%2Fgraph.microsoft.com%2F.default --data-urlencode client_secret=not-shown`
	r, err := diagnose.Request(diagnose.RequestOptions{Env: diagnose.Env{Now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}, Text: curl})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.EntraCode, r.Error, r.HTTPStatus)
	for _, c := range r.Checks {
		fmt.Println(c.Status, c.ID)
	}
	// Output:
	// 9001023 invalid_request 400
	// pass request.body
	// pass request.params
	// fail request.tenant
}
