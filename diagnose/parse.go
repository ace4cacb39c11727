package diagnose

import (
	"bufio"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// ParsedRequest is a token request read from text.
type ParsedRequest struct {
	Method      string
	URL         string
	ContentType string
	Form        url.Values
	Query       url.Values
	// BasicUser and BasicPassword come from -u or an Authorization: Basic
	// header. BasicPassword is a secret: never report it.
	BasicUser, BasicPassword string
	// Problems are things about the text worth naming.
	Problems []string
}

// ErrNoRequest means the text is none of the request forms understood.
var ErrNoRequest = errors.New("not a curl command, an HTTP request or a form body")

const maxRequest = 1 << 20

// ParseRequest reads a token request from a curl command line, a raw HTTP
// request (request line, headers, blank line, body) or a bare form body.
func ParseRequest(text string) (ParsedRequest, error) {
	var p ParsedRequest
	if len(text) > maxRequest {
		return p, fmt.Errorf("%w: more than %d bytes", ErrNoRequest, maxRequest)
	}
	t := strings.TrimSpace(strings.TrimPrefix(text, "\ufeff"))
	switch {
	case t == "":
		return p, fmt.Errorf("%w: empty", ErrNoRequest)
	case strings.HasPrefix(t, "curl ") || strings.HasPrefix(t, "curl.exe ") || strings.HasPrefix(t, "$ curl "):
		return parseCurl(strings.TrimPrefix(t, "$ "))
	case isRequestLine(firstLine(t)):
		return parseHTTP(t)
	case strings.Contains(t, "=") && !strings.ContainsAny(firstLine(t), " \t") || strings.Contains(t, "grant_type="):
		return parseForm(t)
	}
	return p, ErrNoRequest
}

func firstLine(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return s[:i]
	}
	return s
}

func isRequestLine(l string) bool {
	f := strings.Fields(l)
	if len(f) < 2 {
		return false
	}
	switch f[0] {
	case "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS":
		return strings.HasPrefix(f[1], "/") || strings.HasPrefix(f[1], "http")
	}
	return false
}

func parseForm(body string) (ParsedRequest, error) {
	p := ParsedRequest{Method: "POST", ContentType: "application/x-www-form-urlencoded"}
	body = strings.Join(strings.Fields(body), "")
	form, err := url.ParseQuery(body)
	if err != nil {
		p.Problems = append(p.Problems, "the form body has invalid percent-encoding: "+err.Error())
	}
	p.Form = form
	p.Query = url.Values{}
	return p, nil
}

func parseHTTP(t string) (ParsedRequest, error) {
	p := ParsedRequest{Query: url.Values{}}
	sc := bufio.NewScanner(strings.NewReader(t))
	sc.Buffer(make([]byte, 64*1024), maxRequest)
	sc.Scan()
	f := strings.Fields(sc.Text())
	p.Method = f[0]
	target := f[1]
	host := ""
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if line == "" {
			break
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "host":
			host = v
		case "content-type":
			p.ContentType = v
		case "authorization":
			p.basic(v)
		}
	}
	var body strings.Builder
	for sc.Scan() {
		body.WriteString(strings.TrimRight(sc.Text(), "\r"))
	}
	if err := sc.Err(); err != nil {
		return p, fmt.Errorf("%w: %v", ErrNoRequest, err)
	}
	if strings.HasPrefix(target, "/") {
		target = "https://" + firstNonEmpty(host, "login.microsoftonline.com") + target
		if host == "" {
			p.Problems = append(p.Problems, "no Host header: assumed login.microsoftonline.com")
		}
	}
	p.setURL(target)
	if p.ContentType == "" && body.Len() > 0 {
		p.Problems = append(p.Problems, "no Content-Type header; Entra needs application/x-www-form-urlencoded")
	}
	p.Form, _ = url.ParseQuery(body.String())
	if p.Form == nil {
		p.Form = url.Values{}
	}
	return p, nil
}

func (p *ParsedRequest) setURL(raw string) {
	u, err := url.Parse(raw)
	if err != nil {
		p.URL = raw
		p.Problems = append(p.Problems, "the URL does not parse: "+err.Error())
		return
	}
	p.Query = u.Query()
	u.RawQuery = ""
	p.URL = u.String()
}

// basic reads an Authorization: Basic header (client_secret_basic): both
// parts are URL-encoded before base64 (RFC 6749 §2.3.1).
func (p *ParsedRequest) basic(v string) {
	scheme, cred, ok := strings.Cut(v, " ")
	if !ok || !strings.EqualFold(scheme, "basic") {
		return
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(cred))
	if err != nil {
		p.Problems = append(p.Problems, "the Authorization: Basic value is not base64")
		return
	}
	user, pass, _ := strings.Cut(string(raw), ":")
	if u, err := url.QueryUnescape(user); err == nil {
		user = u
	}
	if s, err := url.QueryUnescape(pass); err == nil {
		pass = s
	}
	p.BasicUser, p.BasicPassword = user, pass
}
