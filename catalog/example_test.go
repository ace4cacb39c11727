package catalog_test

import (
	"fmt"

	"github.com/aadsts/aadsts/catalog"
)

func ExampleCatalog_Lookup() {
	e, ok := catalog.Default().Lookup(7000215)
	fmt.Println(ok, e.Name, e.Category, e.OAuthError, e.HTTPStatus)
	fmt.Println(e.URI())
	// Output:
	// true InvalidClientSecret client-auth invalid_client 401
	// https://login.microsoftonline.com/error?code=7000215
}

func ExampleCatalog_Search() {
	for _, e := range catalog.Default().Search("AADSTS700027")[:1] {
		fmt.Println(e.Code, e.Category)
	}
	// Output:
	// 700027 client-auth
}

func ExampleErrorURI() {
	fmt.Println(catalog.ErrorURI(50076))
	// Output: https://login.microsoftonline.com/error?code=50076
}
