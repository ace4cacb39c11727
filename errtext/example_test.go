package errtext_test

import (
	"fmt"

	"github.com/aadsts/aadsts/errtext"
)

func ExampleParse() {
	r := errtext.Parse(`Failed: Get Token request returned http error: 401 and server response: {"error":"invalid_client","error_description":"AADSTS70002: Error validating credentials. AADSTS50012: Client assertion audience claim does not match Realm issuer.\r\nTrace ID: b3a77dbe-af3b-4545-8c2c-a76ab79c15ff\r\nCorrelation ID: 5018bf95-777c-448c-96ea-19e2532cbb48\r\nTimestamp: 2017-03-08 23:18:59Z","error_codes":[70002,50012]}`)
	fmt.Println(r.Codes, r.Primary, r.OAuthError, r.Form)
	fmt.Println(r.Messages[50012])
	for _, f := range r.Fields {
		fmt.Printf("%s=%s\n", f.Name, f.Value)
	}
	ts, _ := r.Normal("timestamp")
	fmt.Println(ts)
	// Output:
	// [70002 50012] 50012 invalid_client token-json
	// Client assertion audience claim does not match Realm issuer.
	// trace_id=b3a77dbe-af3b-4545-8c2c-a76ab79c15ff
	// correlation_id=5018bf95-777c-448c-96ea-19e2532cbb48
	// timestamp=2017-03-08 23:18:59Z
	// 2017-03-08T23:18:59Z
}
