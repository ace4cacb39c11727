package explain_test

import (
	"fmt"
	"os"

	"github.com/aadsts/aadsts/catalog"
	"github.com/aadsts/aadsts/explain"
)

func ExampleExplain() {
	text := "AADSTS700027: Client assertion contains an invalid signature. [Reason - The key was not found., Thumbprint of key used by client: '977B10FB9D1C087E3105564B1D31B09D247BEBCD']"
	parsed := explain.ParseInput(text)
	// Facts from an offline diagnosis (the rules package) weigh the causes.
	rep := explain.Explain(parsed, catalog.Default(), []string{"assertion.kid-registered=fail"})
	e := rep.Errors[0]
	fmt.Println(e.Code, e.Known, e.ErrorURI)
	fmt.Println(len(e.Causes) > 0 && e.Causes[0].Score >= e.Causes[len(e.Causes)-1].Score)
	// Output:
	// 700027 true https://login.microsoftonline.com/error?code=700027
	// true
}

func ExampleWriteJSON() {
	rep := explain.Explain(explain.ParseInput("connection reset by peer"), catalog.Default(), nil)
	explain.WriteJSON(os.Stdout, rep)
	// Output:
	// {
	//   "codes": [],
	//   "primary_code": null,
	//   "oauth_error": null,
	//   "fields": {},
	//   "normalised": {},
	//   "form": "other",
	//   "errors": []
	// }
}
