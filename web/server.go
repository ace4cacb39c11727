package web

import (
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"time"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// MaxUpload is the largest request body the UI accepts (pasted text or an
// uploaded file).
const MaxUpload = 32 << 20

// Options configure a Server.
type Options struct {
	// Addr is where the server listens; anything but loopback needs Token.
	Addr string
	// Token, when set, is required on every request (see tokenGate).
	Token string
	// Now returns the current time; tests pin it.
	Now func() time.Time
	// MaxUpload caps every request body; 0 means the MaxUpload constant.
	MaxUpload int64
	// Logger receives internal errors with an ID; nil discards them.
	Logger *slog.Logger
	// Pages are the optional parts wired by the caller (sign-in store,
	// emulator); a nil part hides its page.
	Parts Parts
}

// Server is the web UI.
type Server struct {
	opts  Options
	csrf  *csrf
	pages map[string]*template.Template
	mux   *http.ServeMux
}

// New builds a Server and parses every template, so a template error is
// found at start, not on first use.
func New(opts Options) (*Server, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxUpload <= 0 {
		opts.MaxUpload = MaxUpload
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Addr != "" && !isLoopback(opts.Addr) && opts.Token == "" {
		return nil, errors.New("web: listening on a non-loopback address requires an access token")
	}
	s := &Server{opts: opts, csrf: newCSRF(), mux: http.NewServeMux()}
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	s.routes()
	return s, nil
}

// Handler returns the UI with its security middleware applied.
func (s *Server) Handler() http.Handler {
	var h http.Handler = s.mux
	h = s.csrfGuard(h)
	h = http.MaxBytesHandler(h, s.opts.MaxUpload)
	h = tokenGate(s.opts.Token, h)
	return securityHeaders(h)
}

func (s *Server) routes() {
	static, _ := fs.Sub(staticFS, "static")
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	s.routePages()
}

// fail writes an error page. Internal details go to the log under an ID;
// the browser sees only the message meant for it.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, public string, internal error) {
	id := randomToken(6)
	if internal != nil {
		s.opts.Logger.Error("web request failed", "id", id, "path", r.URL.Path, "err", internal)
	}
	w.WriteHeader(status)
	s.render(w, r, "error.html", pageData{Title: http.StatusText(status), Error: public, ErrorID: id})
}

// csrfGuard rejects every state-changing request that lacks a valid CSRF
// token, before any handler runs.
func (s *Server) csrfGuard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			next.ServeHTTP(w, r)
			return
		}
		if r.ContentLength > s.opts.MaxUpload {
			s.tooLarge(w, r)
			return
		}
		if r.Header.Get(csrfHeader) == "" {
			if err := parseForm(r); err != nil {
				var tooBig *http.MaxBytesError
				if errors.As(err, &tooBig) {
					s.tooLarge(w, r)
					return
				}
				s.fail(w, r, http.StatusBadRequest, "The form could not be read.", err)
				return
			}
		}
		if !s.csrf.valid(r) {
			w.WriteHeader(http.StatusForbidden)
			s.render(w, r, "error.html", pageData{Title: "Form expired", Error: "This form was not sent by an aadsts page (its CSRF token is missing or wrong). Reload the page and try again."})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// parseForm reads a form body, multipart or URL-encoded; uploads beyond
// the in-memory share go to temporary files that net/http removes when the
// request ends.
func parseForm(r *http.Request) error {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		return r.ParseMultipartForm(8 << 20)
	}
	return r.ParseForm()
}

func (s *Server) tooLarge(w http.ResponseWriter, r *http.Request) {
	limit := fmt.Sprintf("%d KiB", s.opts.MaxUpload>>10)
	if s.opts.MaxUpload%(1<<20) == 0 {
		limit = fmt.Sprintf("%d MiB", s.opts.MaxUpload>>20)
	}
	s.fail(w, r, http.StatusRequestEntityTooLarge, "The upload is larger than the "+limit+" limit.", nil)
}
