package explain

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/aadsts/aadsts/catalog"
	"github.com/aadsts/aadsts/errtext"
)

// jsonReport is the stable JSON shape of a report (issue 2's contract plus
// the fields documented in docs/explain.md).
type jsonReport struct {
	Codes       []int         `json:"codes"`
	PrimaryCode *int          `json:"primary_code"`
	OAuthError  *string       `json:"oauth_error"`
	Fields      orderedFields `json:"fields"`
	Normalised  orderedFields `json:"normalised"`
	Form        string        `json:"form"`
	Facts       []string      `json:"facts,omitempty"`
	TextFacts   []jsonFact    `json:"text_facts,omitempty"`
	Errors      []jsonError   `json:"errors"`
}

type jsonFact struct {
	Fact string `json:"fact"`
	Note string `json:"note"`
}

type jsonError struct {
	Code        int         `json:"code"`
	Primary     bool        `json:"primary"`
	Known       bool        `json:"known"`
	Name        string      `json:"name,omitempty"`
	Category    string      `json:"category,omitempty"`
	Meaning     string      `json:"meaning,omitempty"`
	OAuthError  string      `json:"catalog_oauth_error,omitempty"`
	HTTPStatus  int         `json:"http_status,omitempty"`
	ErrorURI    string      `json:"error_uri"`
	Message     string      `json:"message,omitempty"`
	Summary     string      `json:"summary,omitempty"`
	Flows       []string    `json:"flows,omitempty"`
	Credentials []string    `json:"credentials,omitempty"`
	Causes      []jsonCause `json:"causes"`
	Verify      []jsonStep  `json:"verify"`
	Related     []int       `json:"related,omitempty"`
	Pitfalls    []string    `json:"pitfalls,omitempty"`
}

type jsonCause struct {
	ID          string         `json:"id"`
	Title       string         `json:"title"`
	Score       int            `json:"score"`
	Prior       int            `json:"prior"`
	Explanation string         `json:"explanation"`
	Evidence    []jsonEvidence `json:"evidence"`
	Fixes       []jsonStep     `json:"fixes"`
	Verify      []jsonStep     `json:"verify,omitempty"`
}

type jsonEvidence struct {
	Kind   string `json:"kind"`
	Match  string `json:"match"`
	Weight int    `json:"weight"`
	Note   string `json:"note"`
}

type jsonStep struct {
	Text     string        `json:"text"`
	Commands []jsonCommand `json:"commands,omitempty"`
}

type jsonCommand struct {
	Tool string `json:"tool"`
	Run  string `json:"run"`
}

// orderedFields marshals as a JSON object keeping the text's order.
type orderedFields []errtext.Field

func (o orderedFields) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(f.Name)
		v, _ := json.Marshal(f.Value)
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// WriteJSON writes the report as indented JSON.
func WriteJSON(w io.Writer, r Report) error {
	jr := jsonReport{
		Codes:      r.Codes,
		Fields:     orderedFields(r.Fields),
		Normalised: orderedFields(r.Normalised),
		Form:       r.Form,
		Facts:      r.Facts,
		Errors:     []jsonError{},
	}
	for _, f := range r.TextFacts {
		jr.TextFacts = append(jr.TextFacts, jsonFact(f))
	}
	if jr.Codes == nil {
		jr.Codes = []int{}
	}
	if r.Primary != 0 {
		p := r.Primary
		jr.PrimaryCode = &p
	}
	if r.OAuthError != "" {
		o := r.OAuthError
		jr.OAuthError = &o
	}
	for _, e := range r.Errors {
		je := jsonError{
			Code: e.Code, Primary: e.Primary, Known: e.Known, Name: e.Name, Category: e.Category,
			Meaning: e.Meaning, OAuthError: e.OAuthError, HTTPStatus: e.HTTPStatus, ErrorURI: e.ErrorURI,
			Message: e.Message, Summary: e.Summary, Flows: e.Flows, Credentials: e.Credentials,
			Causes: []jsonCause{}, Verify: jsonSteps(e.Verify), Related: e.Related, Pitfalls: e.Pitfalls,
		}
		for _, c := range e.Causes {
			jc := jsonCause{ID: c.ID, Title: c.Title, Score: c.Score, Prior: c.Prior, Explanation: c.Explanation,
				Evidence: []jsonEvidence{}, Fixes: jsonSteps(c.Fixes)}
			if len(c.Verify) > 0 {
				jc.Verify = jsonSteps(c.Verify)
			}
			for _, ev := range c.Evidence {
				jc.Evidence = append(jc.Evidence, jsonEvidence(ev))
			}
			je.Causes = append(je.Causes, jc)
		}
		jr.Errors = append(jr.Errors, je)
	}
	return encode(w, jr)
}

func jsonSteps(in []Step) []jsonStep {
	out := make([]jsonStep, 0, len(in))
	for _, s := range in {
		js := jsonStep{Text: s.Text}
		for _, c := range s.Commands {
			js.Commands = append(js.Commands, jsonCommand(c))
		}
		out = append(out, js)
	}
	return out
}

func encode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// jsonEntry is one catalog entry in --list and --search output.
type jsonEntry struct {
	Code       int    `json:"code"`
	Name       string `json:"name"`
	Category   string `json:"category"`
	Meaning    string `json:"meaning"`
	OAuthError string `json:"oauth_error,omitempty"`
	HTTPStatus int    `json:"http_status,omitempty"`
	Guide      bool   `json:"guide"`
	ErrorURI   string `json:"error_uri"`
}

// WriteEntriesJSON writes catalog entries as a JSON array.
func WriteEntriesJSON(w io.Writer, entries []catalog.Entry) error {
	out := make([]jsonEntry, 0, len(entries))
	for _, e := range entries {
		out = append(out, jsonEntry{e.Code, e.Name, e.Category, e.Meaning, e.OAuthError, e.HTTPStatus, e.Guide != nil, catalog.ErrorURI(e.Code)})
	}
	return encode(w, out)
}
