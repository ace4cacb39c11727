package signins_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/aadsts/aadsts/signins"
	"github.com/aadsts/aadsts/signins/sqlstore"
)

func ExampleImport() {
	ctx := context.Background()
	st, err := sqlstore.OpenMemory(ctx)
	if err != nil {
		panic(err)
	}
	defer st.Close()
	log := `{"time":"2026-03-05T08:12:44Z","category":"ServicePrincipalSignInLogs","properties":{"id":"1","appId":"app","status":{"errorCode":7000222}}}
{"time":"2026-03-05T08:13:44Z","category":"ServicePrincipalSignInLogs","properties":{"id":"2","appId":"app","status":{"errorCode":0}}}
not json`
	res, err := signins.Import(ctx, st, strings.NewReader(log), "sp.log", signins.ImportOptions{})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.SignInsAdded, "added;", res.BadCount, "bad:", res.Bad[0].File, "line", res.Bad[0].Line)
	groups, _ := st.Report(ctx, signins.Query{By: signins.ByCode})
	for _, g := range groups {
		fmt.Println(g.Code, g.Count, g.Failures)
	}
	// Output:
	// 2 added; 1 bad: sp.log line 3
	// 0 1 0
	// 7000222 1 1
}
