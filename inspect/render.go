package inspect

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// TextOptions steers WriteText. The caller decides about colour (a
// terminal, NO_COLOR unset); the renderer never looks at the terminal.
type TextOptions struct {
	Color bool
}

const (
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiGreen  = "\x1b[32m"
	ansiReset  = "\x1b[0m"
)

// paint wraps s in an ANSI colour when colour is on.
func (o TextOptions) paint(color, s string) string {
	if !o.Color {
		return s
	}
	return color + s + ansiReset
}

// status colours a validity phrase by its status.
func (o TextOptions) status(status, phrase string) string {
	switch status {
	case "valid":
		return o.paint(ansiGreen, phrase)
	case "expired", "not-yet-valid":
		return o.paint(ansiRed, phrase)
	}
	return phrase
}

// WriteText renders reports for a person. Nothing secret is in a Report,
// so nothing secret can be written.
func WriteText(w io.Writer, reports []*Report, opts TextOptions) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	problem := func(indent string, p Problem) {
		fmt.Fprintf(tw, "%s%s %s: %s\n", indent, opts.paint(ansiYellow, "!"), p.ID, p.Detail)
	}
	for i, r := range reports {
		if i > 0 {
			fmt.Fprintln(tw)
		}
		fmt.Fprintf(tw, "%s: %s\n", r.Input, r.Summary)
		for _, p := range r.Problems {
			problem("  ", p)
		}
		if r.Token != nil {
			writeToken(tw, r.Token, opts)
		}
		for _, c := range r.Certificates {
			writeCert(tw, "  ", c, opts)
		}
		for _, k := range r.Keys {
			writeKey(tw, k)
		}
		for _, k := range r.JWKS {
			fmt.Fprintf(tw, "\n  key %s\t%s use=%s alg=%s\n", k.Kid, k.KeyType, k.Use, k.Alg)
			if k.Issuer != "" {
				fmt.Fprintf(tw, "    issuer\t%s\n", k.Issuer)
			}
			for _, p := range k.Problems {
				problem("    ", p)
			}
			if k.Certificate != nil {
				writeCert(tw, "    ", *k.Certificate, opts)
			}
		}
		if d := r.Discovery; d != nil {
			fmt.Fprintf(tw, "  issuer\t%s\n  token_endpoint\t%s\n  authorization_endpoint\t%s\n  jwks_uri\t%s\n", d.Issuer, d.TokenEndpoint, d.AuthorizationEndpoint, d.JWKSURI)
			notes(tw, d.Notes)
		}
		for _, o := range r.Objects {
			writeObject(tw, o, opts)
		}
		if t := r.Thumbprint; t != nil && t.Withheld {
			fmt.Fprintf(tw, "  forms\tnot shown (may be a client secret), fingerprint %s\n", t.Fingerprint)
		} else if t != nil {
			fmt.Fprintf(tw, "  hex\t%s\n  base64\t%s\n  base64url (x5t form)\t%s\n", t.Hex, t.Base64, t.Base64URL)
		}
	}
	return tw.Flush()
}

func notes(w io.Writer, ns []string) {
	for _, n := range ns {
		fmt.Fprintf(w, "  - %s\n", n)
	}
}

func ts(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05Z") }

func writeToken(w io.Writer, t *Token, opts TextOptions) {
	fmt.Fprintf(w, "  token\t%s\n", t.Redacted)
	if t.Status != "" {
		fmt.Fprintf(w, "  status\t%s\n", opts.status(t.Status, t.Validity))
	}
	fmt.Fprintf(w, "  signature\t%s\n  header:\n", t.Signature)
	for _, f := range t.Header {
		writeField(w, f)
	}
	if len(t.Claims) > 0 {
		fmt.Fprintln(w, "  claims:")
	}
	for _, f := range t.Claims {
		writeField(w, f)
	}
	notes(w, t.Notes)
}

// value renders a JSON value compactly: integers without exponents, arrays
// as [a, b].
func value(v any) string {
	switch x := v.(type) {
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = value(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		b, _ := json.Marshal(x)
		return string(b)
	}
	return fmt.Sprint(v)
}

func writeField(w io.Writer, f Field) {
	v := value(f.Value)
	if f.Time != nil {
		v = fmt.Sprintf("%s (%s, %s)", v, ts(*f.Time), f.When)
	}
	if len(v) > 72 {
		v = v[:69] + "..."
	}
	if f.Meaning != "" {
		fmt.Fprintf(w, "    %s\t%s\t%s\n", f.Name, v, f.Meaning)
	} else {
		fmt.Fprintf(w, "    %s\t%s\t\n", f.Name, v)
	}
}

func writeCert(w io.Writer, in string, c Certificate, opts TextOptions) {
	fmt.Fprintf(w, "%scertificate\t%s\n", in, c.Subject)
	fmt.Fprintf(w, "%s  issuer\t%s\n", in, c.Issuer)
	fmt.Fprintf(w, "%s  serial\t%s\n", in, c.Serial)
	fmt.Fprintf(w, "%s  validity\t%s to %s: %s\n", in, ts(c.NotBefore), ts(c.NotAfter), opts.status(c.Status, c.Validity))
	fmt.Fprintf(w, "%s  key\t%s", in, c.KeyType)
	if c.HasPrivateKey {
		fmt.Fprint(w, " (its private key was given)")
	}
	fmt.Fprintln(w)
	tp := c.Thumbprints
	fmt.Fprintf(w, "%s  SHA-1 hex (portal)\t%s\n", in, tp.SHA1Hex)
	fmt.Fprintf(w, "%s  SHA-1 base64 (Graph customKeyIdentifier)\t%s\n", in, tp.SHA1Base64)
	fmt.Fprintf(w, "%s  x5t\t%s\n", in, tp.X5t)
	fmt.Fprintf(w, "%s  x5t#S256\t%s\n", in, tp.X5tS256)
	fmt.Fprintf(w, "%s  SHA-256 hex\t%s\n", in, tp.SHA256Hex)
}

func writeKey(w io.Writer, k Key) {
	kind := "public key"
	if k.Private {
		kind = "private key"
	}
	fmt.Fprintf(w, "  %s\t%s (not shown)\n", kind, k.Type)
	switch {
	case k.MatchesCertificate != "":
		fmt.Fprintf(w, "    belongs to\t%s\n", k.MatchesCertificate)
	case k.Checked > 0:
		fmt.Fprintf(w, "    belongs to\tnone of the %d certificate(s) given\n", k.Checked)
	default:
		fmt.Fprintln(w, "    belongs to\t(no certificate given: pass the certificate too to check)")
	}
}

func writeObject(w io.Writer, o GraphObject, opts TextOptions) {
	line := "  " + o.Type
	if o.DisplayName != "" {
		line += fmt.Sprintf(" %q", o.DisplayName)
	}
	if o.AppID != "" {
		line += " appId=" + o.AppID
	}
	if o.ID != "" {
		line += " id=" + o.ID
	}
	fmt.Fprintln(w, line)
	for _, k := range o.KeyCredentials {
		fmt.Fprintf(w, "    keyCredential %s\t%s %s %s\n", k.KeyID, k.Type, k.Usage, k.DisplayName)
		if k.Validity != "" {
			fmt.Fprintf(w, "      window\t%s to %s: %s\n", ts(k.Start), ts(k.End), opts.status(k.Status, k.Validity))
		}
		if k.CustomKeyIdentifier != "" {
			fmt.Fprintf(w, "      customKeyIdentifier\t%s (SHA-1 %s)\n", k.CustomKeyIdentifier, orWord(k.CustomKeyIdentifierSHA1, "?"))
		}
		if k.Certificate != nil {
			writeCert(w, "      ", *k.Certificate, opts)
		}
		if k.IdentifierMatches != nil {
			fmt.Fprintf(w, "      customKeyIdentifier is the certificate's SHA-1\t%v\n", *k.IdentifierMatches)
		}
		for _, p := range k.Problems {
			fmt.Fprintf(w, "      %s %s: %s\n", opts.paint(ansiYellow, "!"), p.ID, p.Detail)
		}
	}
	for _, p := range o.PasswordCredentials {
		fmt.Fprintf(w, "    passwordCredential %s\thint=%q %s: %s\n", p.KeyID, p.Hint, p.DisplayName, opts.status(p.Status, p.Validity))
		if p.SecretTextPresent {
			fmt.Fprintf(w, "      %s the file holds this secret's value (not shown): keep the file as secret as the secret\n", opts.paint(ansiYellow, "!"))
		}
	}
}
