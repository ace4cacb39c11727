package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aadsts/aadsts/audit"
	"github.com/aadsts/aadsts/emulator"
	"github.com/aadsts/aadsts/signins"
)

// pageData is what every page template receives.
type pageData struct {
	Title   string
	Nav     string // the active navigation entry
	CSRF    string
	Error   string
	ErrorID string
	HasLogs bool
	HasEmu  bool
	Data    any
}

var pageNames = []string{"diagnose.html", "codes.html", "code.html", "signins.html", "signin.html", "audit.html", "emulator.html", "error.html"}

var funcs = template.FuncMap{
	"join": strings.Join,
	"reltime": func(now, t time.Time) string {
		if t.IsZero() {
			return ""
		}
		d := t.Sub(now)
		past := d < 0
		if past {
			d = -d
		}
		var s string
		switch {
		case d < time.Minute:
			s = "less than a minute"
		case d < time.Hour:
			s = fmt.Sprintf("%d min", int(d.Minutes()))
		case d < 48*time.Hour:
			s = fmt.Sprintf("%d h", int(d.Hours()))
		default:
			s = fmt.Sprintf("%d days", int(d.Hours()/24))
		}
		if past {
			return s + " ago"
		}
		return "in " + s
	},
	"lower":      strings.ToLower,
	"scrub":      scrub,
	"pathEscape": url.PathEscape,
	"duration":   func(d emulator.Duration) string { return time.Duration(d).String() },
	"date": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02 15:04")
	},
	"byLabel": func(b signins.By) string {
		switch b {
		case signins.ByCode:
			return "Code"
		case signins.ByApp:
			return "App"
		case signins.ByCredential:
			return "Credential"
		case signins.BySP:
			return "Service principal"
		case signins.ByResource:
			return "Resource"
		case signins.ByIP:
			return "IP address"
		}
		return string(b)
	},
	"sevRank": func(s audit.Severity) int { return int(s) },
	"add":     func(a, b int) int { return a + b },
	"dict": func(kv ...any) (map[string]any, error) {
		if len(kv)%2 != 0 {
			return nil, fmt.Errorf("dict: odd number of arguments")
		}
		m := make(map[string]any, len(kv)/2)
		for i := 0; i < len(kv); i += 2 {
			k, ok := kv[i].(string)
			if !ok {
				return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
			}
			m[k] = kv[i+1]
		}
		return m, nil
	},
}

func (s *Server) parseTemplates() error {
	s.pages = map[string]*template.Template{}
	for _, name := range pageNames {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html", "templates/"+name)
		if err != nil {
			return fmt.Errorf("web: parse template %s: %w", name, err)
		}
		s.pages[name] = t
	}
	return nil
}

// render executes a page into a buffer first, so a template error never
// leaves a half-written page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, page string, d pageData) {
	d.CSRF = s.csrf.ensure(w, r)
	d.HasLogs = s.opts.Parts.hasLogs()
	d.HasEmu = s.opts.Parts.hasEmulator()
	t, ok := s.pages[page]
	if !ok {
		http.Error(w, "unknown page", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", d); err != nil {
		id := randomToken(6)
		s.opts.Logger.Error("render page", "id", id, "page", page, "err", err)
		http.Error(w, "aadsts: the page could not be rendered (error "+id+")", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = buf.WriteTo(w)
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
