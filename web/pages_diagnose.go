package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/aadsts/aadsts/catalog"
	"github.com/aadsts/aadsts/cred"
	"github.com/aadsts/aadsts/diagnose"
	"github.com/aadsts/aadsts/explain"
	"github.com/aadsts/aadsts/inspect"
)

// Upload limits per page. The whole request body is capped by MaxUpload.
const (
	maxDiagnoseFile = 4 << 20
	maxPasteChars   = 1 << 20
)

// diagnoseView is what the Diagnose page shows. It never holds the pasted
// text, the password or a whole token: only what the library reports made
// of them (redacted by those packages).
type diagnoseView struct {
	Examples  []example
	Submitted bool
	// Kind says which door the input came in by: "error", "request",
	// "inspect" or "" when nothing was recognised.
	Kind    string
	Explain *explain.Report
	Request *diagnose.Report
	Inspect []*inspect.Report
	Notice  string
}

// example is a made-up error a first-time user can try with one click.
type example struct{ Label, Text string }

var examples = []example{
	{"Wrong client secret (MSAL Python)", `{"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app 'aaaaaaaa-0000-4000-8000-000000000001'. Trace ID: 0d5f7a4e-6b3c-4d2e-9f1a-8b7c6d5e4f30 Correlation ID: 1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d Timestamp: 2026-11-20 09:12:44Z", "error_codes": [7000215]}`},
	{"Certificate not registered (Azure Identity)", `ClientAssertionCredential authentication failed: AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: 'BCBFBDE67E6B86150BE18AFBF915D1C189E58598', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id 'aaaaaaaa-0000-4000-8000-000000000011'.]`},
	{"Expired secret", `AADSTS7000222: The provided client secret keys for app 'aaaaaaaa-0000-4000-8000-000000000001' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`},
}

func (s *Server) diagnoseForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, "diagnose.html", pageData{Title: "Diagnose", Nav: "diagnose", Data: diagnoseView{Examples: examples}})
}

// diagnose reads whatever was pasted or uploaded and shows what the library
// packages make of it. Nothing of the input is kept.
func (s *Server) diagnose(w http.ResponseWriter, r *http.Request) {
	text := strings.TrimSpace(r.FormValue("text"))
	if len(text) > maxPasteChars {
		s.fail(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("The pasted text is larger than %d KiB.", maxPasteChars>>10), nil)
		return
	}
	name, data, err := formFile(r, "file", maxDiagnoseFile)
	if err != nil {
		s.fail(w, r, http.StatusRequestEntityTooLarge, err.Error(), nil)
		return
	}
	v := diagnoseView{Submitted: true}
	now := s.opts.Now()
	if data != nil {
		rep, err := inspect.Inspect(inspect.Input{Name: name, Data: data}, inspect.Options{Password: r.FormValue("password"), Now: now})
		if err != nil {
			v.Notice = inspectError(name, err)
		} else {
			v.Kind = "inspect"
			v.Inspect = append(v.Inspect, rep)
		}
	}
	if text != "" {
		s.diagnoseText(&v, text, r.FormValue("password"))
	}
	if v.Kind == "" && v.Notice == "" {
		v.Notice = "Paste an error message, a JWT, a certificate or key (PEM), a JWKS, an app registration's JSON or a token request (curl, raw HTTP or form body), or choose a file."
	}
	status := http.StatusOK
	if v.Kind == "" {
		status = http.StatusUnprocessableEntity
	}
	w.WriteHeader(status)
	s.render(w, r, "diagnose.html", pageData{Title: "Diagnose", Nav: "diagnose", Data: v})
}

var requestLine = regexp.MustCompile(`(?m)^\s*(POST|GET)\s+\S+\s+HTTP/\d`)

// looksLikeRequest tells a token request (curl, raw HTTP, a bare form body)
// from an error text: the error wins when the text names an AADSTS code.
func looksLikeRequest(text string) bool {
	if strings.HasPrefix(text, "curl ") || requestLine.MatchString(text) {
		return true
	}
	return strings.Contains(text, "grant_type=") && !strings.Contains(strings.ToUpper(text), "AADSTS")
}

func (s *Server) diagnoseText(v *diagnoseView, text, password string) {
	cat := catalog.Default()
	if looksLikeRequest(text) {
		rep, err := diagnose.Request(diagnose.RequestOptions{Env: diagnose.Env{Now: s.opts.Now(), ReadFile: noFiles}, Text: text})
		if err == nil {
			v.Kind = "request"
			v.Request = rep
			if rep.EntraCode != 0 {
				facts := make([]string, 0, len(rep.Checks))
				for _, c := range rep.Checks {
					facts = append(facts, c.ID+"="+c.Status)
				}
				ex := explain.Explain(explain.ParseInput("AADSTS"+strconv.Itoa(rep.EntraCode)), cat, facts)
				v.Explain = &ex
			}
			return
		}
	}
	parsed := explain.ParseInput(text)
	if len(parsed.Codes) > 0 {
		ex := explain.Explain(parsed, cat, nil)
		v.Kind, v.Explain = "error", &ex
		return
	}
	rep, err := inspect.Inspect(inspect.Input{Name: "pasted text", Data: []byte(text)}, inspect.Options{Password: password, Now: s.opts.Now()})
	unrecognized := errors.Is(err, cred.ErrUnrecognized) || errors.Is(err, cred.ErrEmpty) || (err == nil && rep.Kind == inspect.KindUnrecognized)
	switch {
	case err != nil && !unrecognized:
		v.Notice = inspectError("pasted text", err)
	case !unrecognized:
		v.Kind = "inspect"
		v.Inspect = append(v.Inspect, rep)
	case parsed.OAuthError != "":
		ex := explain.Explain(parsed, cat, nil)
		v.Kind, v.Explain = "error", &ex
	default:
		v.Notice = "No AADSTS code, token, certificate, key, JWKS, app registration or token request was found in the pasted text."
	}
}

// noFiles keeps a diagnosis from the web from reading the server's files.
func noFiles(name string) ([]byte, error) {
	return nil, fmt.Errorf("read %s: the web UI does not read files on the server", name)
}

// inspectError is the message the page shows for an input inspect could
// not read; the wrong-password case is named plainly.
func inspectError(name string, err error) string {
	if errors.Is(err, cred.ErrWrongPassword) {
		return name + ": wrong password for this PFX (or it needs one: fill in the PFX password)."
	}
	return "Could not read " + name + ": " + err.Error()
}

// formFile returns the uploaded file of field (nil data when none was
// chosen), refusing one larger than limit.
func formFile(r *http.Request, field string, limit int64) (string, []byte, error) {
	f, hdr, err := r.FormFile(field)
	if err != nil {
		return "", nil, nil
	}
	defer f.Close()
	if hdr.Size > limit {
		return "", nil, fmt.Errorf("%s is larger than the %d MiB limit of this page", hdr.Filename, limit>>20)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return "", nil, fmt.Errorf("read %s: %w", hdr.Filename, err)
	}
	if int64(len(data)) > limit {
		return "", nil, fmt.Errorf("%s is larger than the %d MiB limit of this page", hdr.Filename, limit>>20)
	}
	if len(data) == 0 {
		return "", nil, nil
	}
	name := hdr.Filename
	if name == "" {
		name = "uploaded file"
	}
	return name, data, nil
}
