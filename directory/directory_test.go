package directory

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

const sharedApps = "../../shared/data/apps"

func TestLoadExample(t *testing.T) {
	d, err := LoadFile("../examples/directory.json")
	if err != nil {
		t.Fatal(err)
	}
	tn, ok := d.FindTenant("CONTOSO.onmicrosoft.com")
	if !ok {
		t.Fatal("tenant not found by domain")
	}
	if _, ok := d.FindTenant("11111111-2222-3333-4444-555555555555"); !ok {
		t.Fatal("tenant not found by id")
	}
	app, ok := tn.FindApplication("aaaaaaaa-0000-4000-8000-000000000001")
	if !ok || len(app.PasswordCredentials) != 1 || app.PasswordCredentials[0].SecretText == "" {
		t.Fatalf("secret app: %+v", app)
	}
	cert, _ := tn.FindApplication("aaaaaaaa-0000-4000-8000-000000000011")
	if cert == nil || len(cert.KeyCredentials[0].Key) == 0 {
		t.Fatal("certificate app has no key")
	}
	gh, _ := tn.FindApplication("aaaaaaaa-0000-4000-8000-000000000021")
	if gh == nil || gh.FederatedIdentityCredentials[0].Issuer != "https://token.actions.githubusercontent.com" {
		t.Fatal("GitHub FIC missing")
	}
	if sp, ok := tn.ServicePrincipalFor("api://contoso-jobs"); !ok || sp.AppRoles[0].Value != "Jobs.Run" {
		t.Fatal("resource API by identifier URI")
	}
	if len(tn.Users) != 2 || tn.Users[0].PasswordProfile == nil {
		t.Fatal("users")
	}
}

func TestMicrosoftGraphImplicit(t *testing.T) {
	tn := &Tenant{ID: "11111111-2222-3333-4444-555555555555"}
	for _, q := range []string{"https://graph.microsoft.com", "https://graph.microsoft.com/", MicrosoftGraphAppID} {
		sp, ok := tn.ServicePrincipalFor(q)
		if !ok {
			t.Fatalf("%s: not found", q)
		}
		if _, ok := sp.AppRoleByValue("Application.Read.All"); !ok {
			t.Fatal("no Application.Read.All role")
		}
		if _, ok := sp.ScopeByValue("User.Read"); !ok {
			t.Fatal("no User.Read scope")
		}
	}
	if _, ok := tn.ServicePrincipalFor("api://nothing"); ok {
		t.Fatal("found a service principal that does not exist")
	}
	if _, ok := tn.FindServicePrincipal(MicrosoftGraphAppID); !ok {
		t.Fatal("FindServicePrincipal misses Graph")
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	in := `{"tenants":[{"id":"not-a-guid","applications":[
	  {"appId":"aaaaaaaa-0000-4000-8000-000000000001","colour":"red",
	   "passwordCredentials":[{"keyId":"12121212-3434-4565-8787-909090909090","endDateTime":"next tuesday"}]},
	  {"appId":"aaaaaaaa-0000-4000-8000-000000000002","keyCredentials":[{"keyId":"k","startDateTime":3}]}]}]}`
	_, err := Load("dir.json", []byte(in))
	var pe *ProblemsError
	if !errors.As(err, &pe) {
		t.Fatalf("want *ProblemsError, got %v", err)
	}
	want := []string{
		"tenants[0].applications[0].colour: unknown field",
		"tenants[0].applications[0].passwordCredentials[0].endDateTime: not an RFC 3339 time",
		"tenants[0].applications[1].keyCredentials[0].startDateTime: not a time",
	}
	msg := err.Error()
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("error lacks %q:\n%s", w, msg)
		}
	}
	if !strings.Contains(msg, "dir.json") {
		t.Error("error does not name the file")
	}
}

func TestValidate(t *testing.T) {
	in := `{"tenants":[{"id":"11111111-2222-3333-4444-555555555555","applications":[
	  {"appId":"x"},{"appId":"aaaaaaaa-0000-4000-8000-000000000001","keyCredentials":[{"keyId":"12121212-3434-4565-8787-909090909090","type":"AsymmetricX509Cert","key":"AAAA"}]},
	  {"appId":"aaaaaaaa-0000-4000-8000-000000000001"}]}]}`
	_, err := Load("dir.json", []byte(in))
	for _, w := range []string{"applications[0].appId: not a GUID", "keyCredentials[0].key: not a DER certificate", "applications[2].appId: duplicate"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("want %q in %v", w, err)
		}
	}
}

func TestReadSharedApps(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(sharedApps, "*.json"))
	if len(files) == 0 {
		t.Skip("no shared samples at " + sharedApps)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			d, err := Read(filepath.Base(f), data)
			if err != nil {
				t.Fatal(err)
			}
			tn := d.Tenants[0]
			if len(tn.Applications)+len(tn.ServicePrincipals) == 0 && len(d.FirstParty) == 0 {
				t.Fatalf("nothing read; notes %v", d.Notes)
			}
		})
	}
}

func TestReadShapes(t *testing.T) {
	tests := []struct {
		name                       string
		file                       string
		apps, sps, keys, passwords int
		check                      func(t *testing.T, d *Directory)
	}{
		{name: "graph list with secrets", file: sharedApps + "/azure-cli_msgraph-v1.0_applications-list_2-passwordCredentials.response.json", apps: 1, passwords: 2,
			check: func(t *testing.T, d *Directory) {
				p := d.Tenants[0].Applications[0].PasswordCredentials[0]
				if p.Hint != "jis" || !p.End.Equal(time.Date(2023, 5, 7, 6, 52, 46, 0, time.UTC)) {
					t.Fatalf("%v end %v", p, p.End)
				}
			}},
		{name: "legacy aad graph", file: sharedApps + "/azure-cli_aadgraph1.6_application_with-keyCredential.response.json", apps: 1, keys: 1,
			check: func(t *testing.T, d *Directory) {
				a := d.Tenants[0].Applications[0]
				if a.ID != "81806e6d-8e9e-4399-b8be-4961ae224789" || a.KeyCredentials[0].End.Year() != 2023 || len(a.API.OAuth2PermissionScopes) != 1 {
					t.Fatalf("%+v", a)
				}
			}},
		{name: "legacy request with cert value", file: sharedApps + "/azure-cli_aadgraph1.6_POST-applications_with-keyCredential.request.json", apps: 1, keys: 1,
			check: func(t *testing.T, d *Directory) {
				if len(d.Tenants[0].Applications[0].KeyCredentials[0].Key) < 100 {
					t.Fatal("certificate not decoded from value")
				}
			}},
		{name: "sp list", file: sharedApps + "/azure-cli_msgraph-v1.0_servicePrincipals-list_1-passwordCredential.response.json", sps: 1},
		{name: "addPassword response", file: sharedApps + "/azure-cli_msgraph-v1.0_addPassword.response.json", apps: 1, passwords: 1,
			check: func(t *testing.T, d *Directory) {
				if !d.Tenants[0].Applications[0].Synthetic {
					t.Fatal("holder not synthetic")
				}
			}},
		{name: "az credential list --cert", file: "testdata/az-credential-list-cert.json", apps: 1, keys: 1},
		{name: "az credential list", file: "testdata/az-credential-list.json", apps: 1, passwords: 1},
		{name: "graph powershell", file: "testdata/powershell-mgapplication.json", apps: 1, keys: 1, passwords: 1,
			check: func(t *testing.T, d *Directory) {
				a := d.Tenants[0].Applications[0]
				if a.AppID != "aaaaaaaa-0000-4000-8000-000000000001" || a.PasswordCredentials[0].End.Year() != 2026 {
					t.Fatalf("%+v", a)
				}
				if a.KeyCredentials[0].CustomKeyIdentifier != "AAEC" || a.KeyCredentials[0].End.Year() != 2024 {
					t.Fatalf("key %+v", a.KeyCredentials[0])
				}
			}},
		{name: "AzureAD PowerShell (legacy, Windows PowerShell dates)", file: "testdata/azuread-powershell.json", apps: 1, keys: 1, passwords: 1,
			check: func(t *testing.T, d *Directory) {
				a := d.Tenants[0].Applications[0]
				if a.ID != "bbbbbbbb-0000-4000-8000-000000000002" || a.PasswordCredentials[0].End.Format("2006-01-02") != "2025-11-26" ||
					a.KeyCredentials[0].CustomKeyIdentifier != "Chss" || len(a.API.OAuth2PermissionScopes) != 1 || a.API.OAuth2PermissionScopes[0].Value != "user_impersonation" {
					t.Fatalf("%+v", a)
				}
			}},
		{name: "two pages concatenated", file: "testdata/pages.json", apps: 2, passwords: 1},
		{name: "directory file", file: "../examples/directory.json", apps: 5, sps: 5, keys: 1, passwords: 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data, err := os.ReadFile(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			d, err := Read(tc.file, data)
			if err != nil {
				t.Fatal(err)
			}
			var apps, sps, keys, pw int
			for _, tn := range d.Tenants {
				apps += len(tn.Applications)
				sps += len(tn.ServicePrincipals)
				for _, a := range tn.Applications {
					keys += len(a.KeyCredentials)
					pw += len(a.PasswordCredentials)
				}
			}
			if apps != tc.apps || sps != tc.sps || keys != tc.keys || pw != tc.passwords {
				t.Fatalf("apps %d sps %d keys %d passwords %d, want %d %d %d %d", apps, sps, keys, pw, tc.apps, tc.sps, tc.keys, tc.passwords)
			}
			if tc.check != nil {
				tc.check(t, d)
			}
		})
	}
}

func TestReadUTF16(t *testing.T) {
	src := `[{"keyId":"12121212-3434-4565-8787-909090909090","endDateTime":"2026-09-01T00:00:00Z","hint":"Xy7"}]`
	b := []byte{0xFF, 0xFE}
	for _, r := range src {
		b = append(b, byte(r), 0)
	}
	d, err := Read("ps.json", b)
	if err != nil || len(d.Tenants[0].Applications[0].PasswordCredentials) != 1 {
		t.Fatalf("%v %+v", err, d)
	}
}

func TestReadErrors(t *testing.T) {
	for name, in := range map[string]string{
		"not json":   `{"value": [`,
		"empty":      ``,
		"bad time":   `[{"appId":"a","passwordCredentials":[{"keyId":"k","endDateTime":"soon"}]}]`,
		"no objects": `{"hello":"world"}`,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := Read("x.json", []byte(in)); err == nil {
				t.Fatal("no error")
			}
		})
	}
}

func TestFirstPartyCatalog(t *testing.T) {
	data, err := os.ReadFile(sharedApps + "/roadtools_firstpartyscopes.json")
	if err != nil {
		t.Skip(err)
	}
	d, err := Read("fp.json", data)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.FirstParty) < 500 || len(d.Tenants[0].Applications) != 0 {
		t.Fatalf("first party %d apps %d", len(d.FirstParty), len(d.Tenants[0].Applications))
	}
}

func TestMarshalGraphNeverWritesSecrets(t *testing.T) {
	d, err := LoadFile("../examples/directory.json")
	if err != nil {
		t.Fatal(err)
	}
	b, err := MarshalGraph(d.Tenants[0])
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if strings.Contains(s, "NOT-REAL") {
		t.Fatal("secret or password marshalled")
	}
	if !strings.Contains(s, `"secretText":null`) {
		t.Fatal("secretText not null")
	}
	var back map[string]any
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	app := d.Tenants[0].Applications[1].WithoutKeys()
	b, _ = MarshalGraph(app)
	if !strings.Contains(string(b), `"key":null`) || len(d.Tenants[0].Applications[1].KeyCredentials[0].Key) == 0 {
		t.Fatal("WithoutKeys")
	}
	// A round trip through Read keeps times and ids.
	d2, err := Read("round.json", b)
	if err != nil || !d2.Tenants[0].Applications[0].KeyCredentials[0].End.Equal(app.KeyCredentials[0].End) {
		t.Fatalf("round trip: %v", err)
	}
}

func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(sharedApps, "azure-cli_*.json"))
	more, _ := filepath.Glob("testdata/*.json")
	shapes, _ := filepath.Glob("../audit/testdata/shapes/*.json")
	for _, p := range append(append(files, more...), shapes...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Read("fuzz.json", data)
		if err == nil && d == nil {
			t.Fatal("nil directory without error")
		}
	})
}

func TestReadPageContextGivesKind(t *testing.T) {
	in := `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#servicePrincipals(appId,displayName,passwordCredentials)","value":[{"appId":"a","displayName":"x","passwordCredentials":[]}]}`
	d, err := Read("sp.json", []byte(in))
	if err != nil || len(d.Tenants[0].ServicePrincipals) != 1 || len(d.Tenants[0].Applications) != 0 {
		t.Fatalf("%v %+v", err, d)
	}
}

// The fast path must read exactly what the lenient reader reads.
func TestFastPathMatchesLenient(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(sharedApps, "azure-cli_*.json"))
	more, _ := filepath.Glob("testdata/*.json")
	fastHits := 0
	for _, f := range append(files, more...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		fast, ok := readFast(f, toUTF8(data))
		if !ok {
			continue
		}
		fastHits++
		slow, err := readLenient(f, data)
		if err != nil {
			t.Fatalf("%s: fast path read what the lenient reader rejects: %v", f, err)
		}
		if !reflect.DeepEqual(fast, slow) {
			fb, _ := json.Marshal(fast)
			sb, _ := json.Marshal(slow)
			t.Errorf("%s: fast and lenient readers differ:\nfast %s\nslow %s", f, fb, sb)
		}
	}
	if fastHits < 3 {
		t.Fatalf("fast path used for only %d samples", fastHits)
	}
}

func TestReadToleratesTrailingCommas(t *testing.T) {
	in := `{"value":[{"appId":"a","displayName":"x, y",},],}`
	d, err := Read("doc.json", []byte(in))
	if err != nil || len(d.Tenants[0].Applications) != 1 || d.Tenants[0].Applications[0].DisplayName != "x, y" || len(d.Notes) != 1 {
		t.Fatalf("%v %+v", err, d)
	}
}

func FuzzLoad(f *testing.F) {
	if b, err := os.ReadFile("../examples/directory.json"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`{"tenants":[{"id":"x","applications":[{"appId":1}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Load("fuzz.json", data)
		if err == nil && len(d.Tenants) == 0 {
			t.Fatal("a directory without tenants loaded")
		}
	})
}

func TestSplitArray(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		ok   bool
	}{
		{`[]`, nil, true},
		{`[ {"a":"}]{["} , {"b":[{"c":"\"}"}]} ]`, []string{`{"a":"}]{["}`, `{"b":[{"c":"\"}"}]}`}, true},
		{`[{"a":1},]`, nil, false},
		{`[{"a":1} {"b":2}]`, nil, false},
		{`[1,2]`, nil, false},
		{`[[{"a":1}]]`, nil, false},
		{`[{"a":"unterminated}]`, nil, false},
	}
	for _, tc := range tests {
		got, ok := splitArray([]byte(tc.in))
		if ok != tc.ok {
			t.Errorf("%s: ok %v", tc.in, ok)
			continue
		}
		if !ok {
			continue
		}
		if len(got) != len(tc.want) {
			t.Errorf("%s: %q", tc.in, got)
			continue
		}
		for i := range got {
			if string(got[i]) != tc.want[i] {
				t.Errorf("%s: element %d %q want %q", tc.in, i, got[i], tc.want[i])
			}
		}
	}
}

// FuzzFastPath checks the fast path never disagrees with the lenient
// reader.
func FuzzFastPath(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(sharedApps, "azure-cli_*list*.json"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`[{"appId":"a","passwordCredentials":[{"keyId":"k","endDateTime":"2026-01-01T00:00:00Z"}]},{"appId":"b","servicePrincipalNames":[]}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fast, ok := readFast("f.json", toUTF8(data))
		if !ok || hasFoldedDuplicateKeys(data) {
			// Keys repeated in another case ("id" and "Id") are applied in
			// document order by one reader and in sorted order by the
			// other; such input is not worth agreeing on.
			return
		}
		slow, err := readLenient("f.json", data)
		if err != nil {
			t.Fatalf("fast path accepted what the lenient reader rejects: %v", err)
		}
		fb, _ := json.Marshal(fast)
		sb, _ := json.Marshal(slow)
		if string(fb) != string(sb) {
			t.Fatalf("readers differ:\nfast %s\nslow %s", fb, sb)
		}
	})
}

// hasFoldedDuplicateKeys reports whether some object of data repeats a key
// up to case.
func hasFoldedDuplicateKeys(data []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(toUTF8(data)))
	type frame struct {
		obj    bool
		keys   map[string]bool
		expect bool // the next string token is a key
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{':
				if top != nil && top.obj {
					top.expect = true
				}
				stack = append(stack, &frame{obj: true, keys: map[string]bool{}, expect: true})
				continue
			case '[':
				if top != nil && top.obj {
					top.expect = true
				}
				stack = append(stack, &frame{})
				continue
			default:
				stack = stack[:len(stack)-1]
				if len(stack) > 0 && stack[len(stack)-1].obj {
					stack[len(stack)-1].expect = true
				}
				continue
			}
		case string:
			if top != nil && top.obj && top.expect {
				k := strings.ToLower(v)
				if top.keys[k] {
					return true
				}
				top.keys[k] = true
				top.expect = false
				continue
			}
		}
		if top != nil && top.obj {
			top.expect = true
		}
	}
}
