package graphapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/aadsts/aadsts/graphapi"
)

func ExampleClient_Each() {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("$skiptoken") == "" {
			fmt.Fprintf(w, `{"value":[{"appId":"a"}],"@odata.nextLink":"https://%s/v1.0/applications?$skiptoken=1"}`, r.Host)
			return
		}
		fmt.Fprint(w, `{"value":[{"appId":"b"}]}`)
	}))
	defer srv.Close()
	c, err := graphapi.New(srv.URL+"/v1.0", graphapi.StaticToken("token"), srv.Client())
	if err != nil {
		panic(err)
	}
	err = c.Each(context.Background(), "/applications", func(item json.RawMessage) error {
		fmt.Println(string(item))
		return nil
	})
	fmt.Println(err)
	// Output:
	// {"appId":"a"}
	// {"appId":"b"}
	// <nil>
}
