package signins

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// TestStreamLargeDocuments lowers the whole-document limit so that the
// streaming reader handles {"records":[…]}, Graph pages and arrays.
func TestStreamLargeDocuments(t *testing.T) {
	old := maxDoc
	maxDoc = 64
	defer func() { maxDoc = old }()
	var recs []string
	var rows []string
	for i := range 40 {
		recs = append(recs, fmt.Sprintf(`{"time":"2026-03-05T08:12:%02dZ","category":"ServicePrincipalSignInLogs","properties":{"id":"s%d","status":{"errorCode":0}}}`, i, i))
		rows = append(rows, fmt.Sprintf(`["2026-03-05T08:12:%02dZ","AADServicePrincipalSignInLogs","s%d","app","7000222"]`, i, i))
	}
	tests := map[string]string{
		"records": "{\n\"records\": [\n" + strings.Join(recs, ",\n") + "\n]}",
		"array":   "[\n" + strings.Join(recs, ",\n") + "\n]",
		"pages":   "{\n\"@odata.context\": \"x#auditLogs/signIns\",\n\"value\": [\n" + strings.Join(recs, ",\n") + "\n]}\n{\"value\":[]}",
		"broken":  "[\n" + strings.Join(recs[:10], ",\n") + ",\n{\"oops\"",
		"tables": `{"tables":[{"name":"PrimaryResult","columns":[{"name":"TimeGenerated","type":"datetime"},{"name":"Type","type":"string"},` +
			`{"name":"Id","type":"string"},{"name":"AppId","type":"string"},{"name":"ResultType","type":"string"}],"rows":[` + strings.Join(rows, ",\n") + `]}]}`,
		"adx v1": `{"Tables":[{"TableName":"Table_0","Columns":[{"ColumnName":"TimeGenerated","ColumnType":"datetime"},{"ColumnName":"Type","ColumnType":"string"},` +
			`{"ColumnName":"Id","ColumnType":"string"},{"ColumnName":"AppId","ColumnType":"string"},{"ColumnName":"ResultType","ColumnType":"string"}],"Rows":[` + strings.Join(rows, ",\n") + `]},` +
			`{"TableName":"Table_1","Columns":[{"ColumnName":"Value","ColumnType":"string"}],"Rows":[["{\"Visualization\":null}"]]}]}`,
		"unknown key": "{\n\"data\": [\n" + strings.Join(recs, ",\n") + "\n]}",
		"rows first":  "{\n\"tables\":[{\"rows\":[" + strings.Join(rows[:3], ",\n") + "],\n\"columns\":[{\"name\":\"TimeGenerated\"}]}]}",
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			good, bad := 0, 0
			err := Decode(context.Background(), strings.NewReader(in), "big.json", DecodeOptions{}, func(items []Item) error {
				for _, it := range items {
					if it.SignIn != nil {
						good++
					} else {
						bad++
					}
				}
				return nil
			})
			want, wantBad := 40, 0
			switch name {
			case "broken":
				want, wantBad = 10, 1
			case "rows first":
				want, wantBad = 0, 3
			case "unknown key":
				want, wantBad = 0, 1
			}
			if err != nil || good != want || bad != wantBad {
				t.Fatalf("good %d bad %d err %v; want %d, %d", good, bad, err, want, wantBad)
			}
		})
	}
}
