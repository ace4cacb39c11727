package catalog

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

const validCodes = "code\tname\tname_by\tcategory\thttp_status\toauth_error\tmeaning\tsource\n" +
	"700027\tClientAssertionInvalidSignature\taadsts\tclient-auth\t401\tinvalid_client\tThe certificate behind the assertion is not usable.\tobserved\n" +
	"700024\tClientAssertionNotInValidTimeRange\taadsts\tclient-auth\t401\tinvalid_client\tThe assertion is outside its valid time range.\tobserved\n"

const validGuide = `code: 700027
summary: >-
  The app signed its client assertion with a certificate Entra cannot use for this app.
flows: [client_credentials]
credentials: [certificate]
causes:
  - id: cert-not-registered
    title: The certificate is not on the app registration
    prior: 5
    explanation: >-
      Entra looked up the thumbprint from the assertion header and found no such key.
    signals:
      - kind: message
        match: 'key was not found'
        weight: 4
        note: The message says so.
      - kind: fact
        match: 'assertion.kid-registered=fail'
        weight: 6
        note: The offline check found no registered key.
    fixes:
      - text: Upload the certificate to the app registration.
        commands:
          - tool: az
            run: az ad app credential reset --id <app-id> --cert @cert.pem --append
  - id: key-expired
    title: The registered certificate is outside its validity window
    prior: 2
    explanation: >-
      The key is registered but its end date has passed, or its start date is in the future.
    signals:
      - kind: field
        match: key_end
        weight: 2
        note: The message printed the key's dates.
    fixes:
      - text: Register a new certificate.
        commands:
          - tool: openssl
            run: openssl x509 -in cert.pem -noout -dates
verify:
  - text: Request a token again.
related: [700024]
`

func TestLoadValid(t *testing.T) {
	c, err := Load(fstest.MapFS{
		"data/codes.tsv":     {Data: []byte(validCodes)},
		"guides/700027.yaml": {Data: []byte(validGuide)},
		"guides/README.md":   {Data: []byte("not a guide")},
	})
	if err != nil {
		t.Fatal(err)
	}
	e, ok := c.Lookup(700027)
	if !ok || e.Guide == nil {
		t.Fatalf("700027 missing or without guide: %+v", e)
	}
	sig := e.Guide.Causes[0].Signals[0]
	if sig.Regexp() == nil || !sig.Regexp().MatchString("Reason - The KEY was not found.") {
		t.Errorf("message signal regex not compiled case-insensitively")
	}
	if id, st, ok := e.Guide.Causes[0].Signals[1].Fact(); !ok || id != "assertion.kid-registered" || st != "fail" {
		t.Errorf("Fact() = %q %q %v", id, st, ok)
	}
	if got := e.Guide.VerifyFor(e.Guide.Causes[0]); len(got) != 1 {
		t.Errorf("VerifyFor fell back to %d steps, want the guide's 1", len(got))
	}
	if res := c.Search("thumbprint"); len(res) != 1 || res[0].Code != 700027 {
		t.Errorf("Search found %v in guide text, want 700027", res)
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	tests := []struct {
		name  string
		codes string
		guide string
		want  []string // substrings, each must appear in the error
	}{
		{
			name:  "bad codes rows",
			codes: validCodes + "700027\tDup\taadsts\tclient-auth\t\t\tA duplicate entry for the same code.\tref\n" + "123\tX\taadsts\tnot-a-category\t\t\tSome meaning long enough.\tref\n" + "124\tY\taadsts\tother\t\t\t\tref\n" + "125\tZ\taadsts\tother\t\t\tTODO write this meaning\tref\n" + "126\tshort\n",
			want:  []string{"data/codes.tsv:4: duplicate code 700027 (first on line 2)", ":5: code 123: category \"not-a-category\"", ":6: code 124: meaning is empty", ":7: code 125: meaning contains placeholder text \"todo\"", ":8: 2 columns"},
		},
		{
			name:  "unknown key",
			guide: strings.Replace(validGuide, "prior: 2", "prior: 2\n    weight: 3", 1),
			want:  []string{"guides/700027.yaml:", "field weight not found"},
		},
		{
			name:  "bad regex, fact, related, tool",
			guide: strings.NewReplacer("'key was not found'", "'key (was'", "assertion.kid-registered=fail", "assertion.kid-registered", "[700024]", "[700024, 999]", "tool: openssl", "tool: hammer").Replace(validGuide),
			want:  []string{"causes[0].signals[0].match: regex does not compile", "causes[0].signals[1].match: fact", "related[1]: code 999", "causes[1].fixes[0].commands[0].tool: \"hammer\""},
		},
		{
			name:  "placeholder and too few causes",
			guide: validGuide[:strings.Index(validGuide, "  - id: key-expired")] + "verify:\n  - text: Could not be generated.\n",
			want:  []string{"causes: a deep guide needs at least 2 causes", "verify[0].text: placeholder text"},
		},
		{
			name:  "fix without command, unknown flow",
			guide: strings.NewReplacer("[client_credentials]", "[client_credential]", "        commands:\n          - tool: openssl\n            run: openssl x509 -in cert.pem -noout -dates\n", "").Replace(validGuide),
			want:  []string{"flows[0]: \"client_credential\"", "causes[1].fixes: at least one fix step needs a command"},
		},
		{
			name:  "code not in catalog",
			guide: strings.Replace(validGuide, "code: 700027", "code: 1234", 1),
			want:  []string{"code: code 1234 is not in data/codes.tsv", "file name should be 1234.yaml"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			codes := tt.codes
			if codes == "" {
				codes = validCodes
			}
			fsys := fstest.MapFS{"data/codes.tsv": {Data: []byte(codes)}}
			if tt.guide != "" {
				fsys["guides/700027.yaml"] = &fstest.MapFile{Data: []byte(tt.guide)}
			}
			c, err := Load(fsys)
			if err == nil {
				t.Fatal("Load accepted invalid data")
			}
			if !errors.Is(err, ErrInvalidData) {
				t.Errorf("error %v does not match ErrInvalidData", err)
			}
			if c == nil || c.Len() == 0 {
				t.Error("Load returned no partial catalog")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

// TestEveryGuideComplete restates the deep-guide contract on the embedded
// guides, so a guide that Load would drop is also named here.
func TestEveryGuideComplete(t *testing.T) {
	c := Default()
	for _, e := range c.Guides() {
		g := e.Guide
		if g.Code != e.Code {
			t.Errorf("guide for %d says code %d", e.Code, g.Code)
		}
		if len(g.Causes) < 2 || len(g.Verify) < 1 || strings.TrimSpace(g.Summary) == "" {
			t.Errorf("guide %d: %d causes, %d verify steps", e.Code, len(g.Causes), len(g.Verify))
		}
		for _, cs := range g.Causes {
			hasCmd := slices.ContainsFunc(cs.Fixes, func(s Step) bool { return len(s.Commands) > 0 })
			if len(cs.Signals) == 0 || !hasCmd {
				t.Errorf("guide %d cause %s: %d signals, fix with command %v", e.Code, cs.ID, len(cs.Signals), hasCmd)
			}
			for _, s := range cs.Signals {
				if s.Kind == SignalMessage && s.Regexp() == nil {
					t.Errorf("guide %d cause %s: message signal %q not compiled", e.Code, cs.ID, s.Match)
				}
			}
		}
		for _, r := range g.Related {
			if _, ok := c.Lookup(r); !ok {
				t.Errorf("guide %d: related code %d unknown", e.Code, r)
			}
		}
	}
}
