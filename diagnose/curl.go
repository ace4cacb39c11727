package diagnose

import (
	"fmt"
	"net/url"
	"strings"
)

// parseCurl reads the curl options that shape a token request.
func parseCurl(cmd string) (ParsedRequest, error) {
	p := ParsedRequest{Query: url.Values{}}
	words, err := shellWords(cmd)
	if err != nil {
		return p, fmt.Errorf("%w: %v", ErrNoRequest, err)
	}
	var data []string
	var rawURL string
	get := false
	multipart := false
	for i := 1; i < len(words); i++ {
		w := words[i]
		next := func() string {
			if i+1 < len(words) {
				i++
				return words[i]
			}
			return ""
		}
		name, val, inline := strings.Cut(w, "=")
		if !strings.HasPrefix(w, "--") || !inline {
			name, val = w, ""
		}
		arg := func() string {
			if inline && strings.HasPrefix(w, "--") {
				return val
			}
			return next()
		}
		switch name {
		case "-X", "--request":
			p.Method = strings.ToUpper(arg())
		case "-d", "--data", "--data-raw", "--data-binary", "--data-ascii":
			d := arg()
			if strings.HasPrefix(d, "@") && name != "--data-raw" {
				p.Problems = append(p.Problems, fmt.Sprintf("%s %s reads the body from a file, which was not given: paste the body instead", name, d))
				continue
			}
			data = append(data, d)
		case "--data-urlencode":
			d := arg()
			if k, v, ok := strings.Cut(d, "="); ok {
				data = append(data, url.QueryEscape(k)+"="+url.QueryEscape(v))
			} else {
				data = append(data, url.QueryEscape(d))
			}
		case "-H", "--header":
			k, v, _ := strings.Cut(arg(), ":")
			v = strings.TrimSpace(v)
			switch strings.ToLower(strings.TrimSpace(k)) {
			case "content-type":
				p.ContentType = v
			case "authorization":
				p.basic(v)
			}
		case "-u", "--user":
			user, pass, _ := strings.Cut(arg(), ":")
			p.BasicUser, p.BasicPassword = user, pass
		case "-F", "--form":
			arg()
			multipart = true
		case "-G", "--get":
			get = true
		case "--url":
			rawURL = arg()
		case "-o", "--output", "-w", "--write-out", "-A", "--user-agent", "-e", "--referer", "--connect-timeout", "-m", "--max-time", "--cacert", "--cert", "--key", "-x", "--proxy":
			arg()
		default:
			if !strings.HasPrefix(w, "-") && rawURL == "" {
				rawURL = w
			}
		}
	}
	if rawURL == "" {
		return p, fmt.Errorf("%w: the curl command has no URL", ErrNoRequest)
	}
	p.setURL(rawURL)
	body := strings.Join(data, "&")
	switch {
	case get:
		q, _ := url.ParseQuery(body)
		for k, v := range q {
			p.Query[k] = append(p.Query[k], v...)
		}
		if p.Method == "" {
			p.Method = "GET"
		}
		p.Form = url.Values{}
	case multipart:
		if p.Method == "" {
			p.Method = "POST"
		}
		p.ContentType = "multipart/form-data"
		p.Form = url.Values{}
		p.Problems = append(p.Problems, "-F sends multipart/form-data; Entra reads only application/x-www-form-urlencoded (use -d or --data-urlencode)")
	default:
		if p.Method == "" {
			p.Method = "GET"
			if len(data) > 0 {
				p.Method = "POST"
			}
		}
		if p.ContentType == "" && len(data) > 0 {
			p.ContentType = "application/x-www-form-urlencoded"
		}
		var err error
		p.Form, err = url.ParseQuery(body)
		if err != nil {
			p.Problems = append(p.Problems, "the body has invalid percent-encoding: "+err.Error())
		}
	}
	return p, nil
}

// shellWords splits a POSIX shell command line: single and double quotes,
// backslash escapes, and backslash-newline (or PowerShell backtick-newline)
// continuations.
func shellWords(s string) ([]string, error) {
	s = strings.NewReplacer("\\\r\n", " ", "\\\n", " ", "`\r\n", " ", "`\n", " ").Replace(s)
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, fmt.Errorf("unterminated single quote")
			}
			cur.WriteString(s[i+1 : i+1+j])
			i += j + 1
			inWord = true
		case c == '"':
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("\"\\$`", s[i+1]) >= 0 {
					i++
				}
				cur.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, fmt.Errorf("unterminated double quote")
			}
			inWord = true
		case c == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
			inWord = true
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}
