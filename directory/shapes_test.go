package directory

import (
	"strings"
	"testing"
	"time"
)

func TestParseTimeLenientForms(t *testing.T) {
	want := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	for _, s := range []string{
		"2024-05-01T00:00:00Z",
		"2024-05-01T00:00:00.0000000Z",
		"2024-05-01T00:00:00",
		"2024-05-01T00:00:00.0000000",
		"2024-05-01T02:00:00+02:00",
		"2024-05-01T00:00:00.000+0000",
		"/Date(1714521600000)/",
		"/Date(1714521600000+0200)/",
		"5/1/2024 12:00:00 AM",
		"Wednesday, May 1, 2024 12:00:00 AM",
	} {
		got, err := parseTime(s, false)
		if err != nil || !got.Equal(want) {
			t.Errorf("parseTime(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	if _, err := parseTime("2024-05-01T00:00:00", true); err == nil {
		t.Error("strict parseTime accepted a time without a zone")
	}
}

func TestReadEdgeShapes(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		apps      int
		passwords int
		keys      int
		note      string // a substring of one note; "" for none expected
	}{
		{"secret without keyId", `[{"displayName":"a","endDateTime":"2024-01-01T00:00:00Z","hint":"abc","secretText":null}]`, 1, 1, 0, ""},
		{"key without keyId", `[{"type":"Symmetric","usage":"Sign","endDateTime":null,"key":null}]`, 1, 0, 1, ""},
		{"ConvertTo-Json beyond -Depth", `[{"AppId":"x","Id":"y","PasswordCredentials":"Microsoft.Graph.PowerShell.Models.MicrosoftGraphPasswordCredential","Api":"Microsoft.Graph.PowerShell.Models.MicrosoftGraphApiApplication"}]`, 1, 0, 0, "larger -Depth"},
		{"byte array beyond -Depth", `[{"AppId":"x","KeyCredentials":[{"KeyId":"k","Type":"AsymmetricX509Cert","Usage":"Verify","Key":"System.Byte[]","EndDateTime":"2024-05-01T00:00:00Z"}]}]`, 1, 0, 1, "larger -Depth"},
		{"older Get-AzADAppCredential", `[{"StartDate":"1/1/2024 12:00:00 AM","EndDate":"5/1/2024 12:00:00 AM","KeyId":"k1","Type":"Password"},{"StartDate":"1/1/2024 12:00:00 AM","EndDate":"5/1/2024 12:00:00 AM","KeyId":"k2","Type":"AsymmetricX509Cert"}]`, 1, 1, 1, ""},
		{"DateTime as an object", `{"AppId":"x","PasswordCredentials":[{"KeyId":"k","EndDateTime":{"value":"\/Date(1714521600000)\/","DisplayHint":2,"DateTime":"Wednesday, May 1, 2024 12:00:00 AM"}}]}`, 1, 1, 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Read("in.json", []byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			apps := d.Tenants[0].Applications
			if len(apps) != tc.apps {
				t.Fatalf("%d applications, want %d (notes %q)", len(apps), tc.apps, d.Notes)
			}
			if n := len(apps[0].PasswordCredentials); n != tc.passwords {
				t.Errorf("%d secrets, want %d", n, tc.passwords)
			}
			if n := len(apps[0].KeyCredentials); n != tc.keys {
				t.Errorf("%d keys, want %d", n, tc.keys)
			}
			for _, p := range apps[0].PasswordCredentials {
				if p.End.IsZero() {
					t.Errorf("secret %q has no end date", p.KeyID)
				}
			}
			if tc.note != "" && !strings.Contains(strings.Join(d.Notes, "\n"), tc.note) {
				t.Errorf("notes %q lack %q", d.Notes, tc.note)
			}
		})
	}
}
