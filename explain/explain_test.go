package explain

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/aadsts/aadsts/catalog"
	"github.com/aadsts/aadsts/errtext"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// fixtureCatalog is a frozen slice of the catalog, so the golden files do
// not change each time a guide is edited.
func fixtureCatalog(t *testing.T) *catalog.Catalog {
	t.Helper()
	cat, err := catalog.Load(os.DirFS("testdata/catalog"))
	if err != nil {
		t.Fatalf("load testdata/catalog: %v", err)
	}
	return cat
}

func readInput(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata/inputs", name+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestGolden(t *testing.T) {
	cat := fixtureCatalog(t)
	inputs, _ := filepath.Glob("testdata/inputs/*.txt")
	if len(inputs) < 5 {
		t.Fatalf("want at least 5 inputs, have %d", len(inputs))
	}
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".txt")
		t.Run(name, func(t *testing.T) {
			rep := Explain(ParseInput(readInput(t, name)), cat, nil)
			var txt, md bytes.Buffer
			if err := WriteText(&txt, rep, TextOptions{}); err != nil {
				t.Fatal(err)
			}
			if err := WriteMarkdown(&md, rep); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, filepath.Join("testdata/golden", name+".txt"), txt.Bytes())
			checkGolden(t, filepath.Join("testdata/golden", name+".md"), md.Bytes())
		})
	}
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./explain -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the rendering (run go test ./explain -update and review the diff)\n--- got ---\n%s", path, got)
	}
}

func TestRanking(t *testing.T) {
	cat := fixtureCatalog(t)
	text := readInput(t, "700027-keycloak-log")
	tests := []struct {
		name  string
		facts []string
		first string
	}{
		{"message says key not found", nil, "cert-not-registered"},
		{"offline check: signature fails, key registered", []string{"assertion.kid-registered=pass", "assertion.signature=fail"}, "signature-mismatch"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := Explain(ParseInput(text), cat, tt.facts)
			e := rep.Errors[0]
			if e.Code != 700027 || !e.Known || len(e.Causes) < 2 {
				t.Fatalf("report %+v", e)
			}
			if e.Causes[0].ID != tt.first {
				t.Errorf("first cause %s (score %d), want %s", e.Causes[0].ID, e.Causes[0].Score, tt.first)
			}
			for i := 1; i < len(e.Causes); i++ {
				if e.Causes[i].Score > e.Causes[i-1].Score {
					t.Errorf("causes not sorted by score: %d after %d", e.Causes[i].Score, e.Causes[i-1].Score)
				}
			}
			if len(e.Causes[0].Evidence) == 0 {
				t.Error("first cause has no evidence")
			}
		})
	}
}

func TestPlaceholders(t *testing.T) {
	cat := fixtureCatalog(t)
	commands := func(rep Report) string {
		var b strings.Builder
		for _, c := range rep.Errors[0].Causes {
			for _, s := range c.Fixes {
				for _, cmd := range s.Commands {
					b.WriteString(cmd.Run + "\n")
				}
			}
		}
		return b.String()
	}
	real := commands(Explain(ParseInput(readInput(t, "7000215-token-json")), cat, nil))
	if !strings.Contains(real, "396c2760-2fa5-4948-b9d5-9839a7440836") || strings.Contains(real, "<app-id>") {
		t.Errorf("app id not filled in:\n%s", real)
	}
	redacted := commands(Explain(errtext.Parse("AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '***'."), cat, nil))
	if strings.Contains(redacted, "***") || !strings.Contains(redacted, "<app-id>") {
		t.Errorf("a redacted app id must leave the placeholder:\n%s", redacted)
	}
}

func TestJSONContract(t *testing.T) {
	cat := fixtureCatalog(t)
	tests := []struct {
		name    string
		text    string
		codes   []int
		primary any
		oauth   any
		fields  []string
	}{
		{"two codes", readInput(t, "70002-50012-two-codes"), []int{70002, 50012}, 50012.0, "invalid_client", []string{"trace_id", "correlation_id", "timestamp"}},
		{"no code", "the request failed with a timeout", []int{}, nil, nil, nil},
		{"unknown code", readInput(t, "9999999-unknown"), []int{9999999}, 9999999.0, nil, []string{"trace_id", "correlation_id", "timestamp"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteJSON(&b, Explain(ParseInput(tt.text), cat, nil)); err != nil {
				t.Fatal(err)
			}
			var got struct {
				Codes   []int          `json:"codes"`
				Primary any            `json:"primary_code"`
				OAuth   any            `json:"oauth_error"`
				Fields  map[string]any `json:"fields"`
				Errors  []map[string]any
			}
			if err := json.Unmarshal(b.Bytes(), &got); err != nil {
				t.Fatalf("%v\n%s", err, b.String())
			}
			if !slices.Equal(got.Codes, tt.codes) || got.Primary != tt.primary || got.OAuth != tt.oauth {
				t.Errorf("codes %v primary %v oauth %v\n%s", got.Codes, got.Primary, got.OAuth, b.String())
			}
			for _, f := range tt.fields {
				if _, ok := got.Fields[f]; !ok {
					t.Errorf("field %s missing", f)
				}
			}
			if len(got.Errors) != len(tt.codes) {
				t.Fatalf("%d errors for %d codes", len(got.Errors), len(tt.codes))
			}
			for _, e := range got.Errors {
				for _, k := range []string{"code", "known", "error_uri", "causes"} {
					if _, ok := e[k]; !ok {
						t.Errorf("error entry lacks %q: %v", k, e)
					}
				}
			}
			// the primary code comes first
			if len(got.Errors) > 0 && tt.primary != nil && got.Errors[0]["code"] != tt.primary {
				t.Errorf("first error %v, want the primary %v", got.Errors[0]["code"], tt.primary)
			}
		})
	}
}

func TestParseInputBareCodes(t *testing.T) {
	for _, in := range []string{"700027", "AADSTS700027", " aadsts700027\n"} {
		if r := ParseInput(in); r.Primary != 700027 {
			t.Errorf("ParseInput(%q) primary %d", in, r.Primary)
		}
	}
	if r := ParseInput("50012 70002"); !slices.Equal(r.Codes, []int{50012, 70002}) {
		t.Errorf("codes %v", r.Codes)
	}
	if r := ParseInput("error 404 at 12:00"); len(r.Codes) != 0 {
		t.Errorf("codes %v from a text without AADSTS codes", r.Codes)
	}
}

func TestRealCatalogExplainsEveryCode(t *testing.T) {
	cat := catalog.Default()
	var text strings.Builder
	for _, e := range cat.All() {
		text.WriteString("AADSTS" + strconv.Itoa(e.Code) + ": x.\n")
	}
	rep := Explain(errtext.Parse(text.String()), cat, nil)
	if len(rep.Errors) != cat.Len() {
		t.Fatalf("%d codes explained, catalog has %d", len(rep.Errors), cat.Len())
	}
	for _, e := range rep.Errors {
		if !e.Known || e.Meaning == "" || e.Name == "" {
			t.Errorf("AADSTS%d not explained: %+v", e.Code, e)
		}
	}
	var b bytes.Buffer
	if err := WriteText(&b, rep, TextOptions{Color: true}); err != nil || b.Len() == 0 {
		t.Fatalf("render: %v", err)
	}
}

func TestCatalogForMatchesDefault(t *testing.T) {
	codes := []int{700027, 50012, 9999999}
	small, full := CatalogFor(codes), catalog.Default()
	if small.Len() != full.Len() {
		t.Fatalf("CatalogFor has %d codes, Default %d", small.Len(), full.Len())
	}
	for _, c := range codes {
		a, okA := small.Lookup(c)
		b, okB := full.Lookup(c)
		if okA != okB || okA && ((a.Guide == nil) != (b.Guide == nil) || a.Meaning != b.Meaning) {
			t.Errorf("AADSTS%d differs between CatalogFor and Default", c)
		}
	}
	if e, _ := small.Lookup(7000215); e.Guide != nil {
		t.Error("CatalogFor loaded a guide it was not asked for")
	}
	text := "AADSTS700027: Client assertion contains an invalid signature. [Reason - The key was not found.]"
	var a, b bytes.Buffer
	WriteJSON(&a, Explain(ParseInput(text), small, nil))
	WriteJSON(&b, Explain(ParseInput(text), full, nil))
	if a.String() != b.String() {
		t.Error("reports differ between CatalogFor and Default")
	}
}

func TestTextFacts(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"local time offset", "AADSTS700024: Client assertion is not within its valid time range. Current time: 2024-10-02T22:05:03.6755165Z, assertion valid from 1970-01-01T00:00:00.0000000Z, expiry time of assertion 2024-10-02T21:30:53.0000000Z.",
			[]string{"text.nbf-missing=warn", "text.assertion-expired=fail"}},
		{"whole hours", "AADSTS700024: Client assertion is not within its valid time range. Current time: 2025-08-29T05:47:32.1501147Z, assertion valid from 2025-08-29T00:40:05.0000000Z, expiry time of assertion 2025-08-29T00:50:05.0000000Z.",
			[]string{"text.assertion-expired=fail", "text.expiry-gap-whole-hours=warn"}},
		{"not yet valid", "AADSTS700024: Client assertion is not within its valid time range. Current time: 2025-06-03T15:00:41.7986616Z, assertion valid from 2025-06-03T15:42:09.0000000Z, expiry time of assertion 2025-06-03T15:52:09.0000000Z.",
			[]string{"text.assertion-not-yet-valid=fail"}},
		{"key expired", "AADSTS700027: Client assertion contains an invalid signature. [Reason - The key used is expired., Thumbprint of key used by client: '977B10FB9D1C087E3105564B1D31B09D247BEBCD', Found key 'Start=02/07/2020 17:00:39, End=02/06/2021 17:00:39'].\nTrace ID: 62d60ed5-56c3-45a0-b960-93d4ec917d00\nTimestamp: 2021-10-29 10:23:09Z",
			[]string{"text.key-expired=fail"}},
		{"sign-in frequency", "AADSTS70043: The refresh token has expired or is invalid due to sign-in frequency checks by conditional access. The token was issued on 2023-06-02T14:27:05.8405153Z and the maximum allowed lifetime for this request is 86400. Timestamp: 2023-07-06 13:35:42Z",
			[]string{"text.token-older-than-max-lifetime=fail"}},
		{"nothing to say", "AADSTS7000215: Invalid client secret provided.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, f := range TextFacts(errtext.Parse(tt.text)) {
				got = append(got, f.Fact)
				if f.Note == "" {
					t.Errorf("%s has no note", f.Fact)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("facts %v, want %v", got, tt.want)
			}
		})
	}
}

func TestTokensAreRedacted(t *testing.T) {
	jwt := "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJhcGk6Ly94IiwiaXNzIjoiaHR0cHM6Ly9zdHMifQ.c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJl"
	rep := Explain(ParseInput("AADSTS50013: Assertion failed signature validation. assertion="+jwt), fixtureCatalog(t), nil)
	var b bytes.Buffer
	WriteText(&b, rep, TextOptions{})
	WriteMarkdown(&b, rep)
	WriteJSON(&b, rep)
	if strings.Contains(b.String(), jwt[20:]) {
		t.Fatalf("a whole token reached the report:\n%s", b.String())
	}
	if !strings.Contains(b.String(), "token redacted") {
		t.Errorf("no redaction marker:\n%s", b.String())
	}
}
