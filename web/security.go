package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net"
	"net/http"
	"strings"
)

// contentSecurityPolicy allows only our own embedded assets: no inline
// script, no third-party origin, no framing.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

const (
	csrfCookie = "aadsts_csrf"
	csrfField  = "csrf_token"
	csrfHeader = "X-CSRF-Token"
	authCookie = "aadsts_auth"
)

func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("web: crypto/rand failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// securityHeaders sets the headers every response carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// csrf implements the double-submit pattern with a keyed MAC: the browser
// holds a random cookie; every unsafe request must carry MAC(key, cookie)
// in a form field or header. A page from another origin can neither read
// the cookie nor compute the MAC.
type csrf struct{ key []byte }

func newCSRF() *csrf { return &csrf{key: []byte(randomToken(32))} }

func (c *csrf) tokenFor(cookie string) string {
	m := hmac.New(sha256.New, c.key)
	m.Write([]byte(cookie))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// ensure returns the request's CSRF form token, setting the cookie first
// when the browser has none.
func (c *csrf) ensure(w http.ResponseWriter, r *http.Request) string {
	if ck, err := r.Cookie(csrfCookie); err == nil && len(ck.Value) >= 16 {
		return c.tokenFor(ck.Value)
	}
	v := randomToken(24)
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: v, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
	// Make the new cookie visible to this same request's later lookups.
	r.AddCookie(&http.Cookie{Name: csrfCookie, Value: v})
	return c.tokenFor(v)
}

func (c *csrf) valid(r *http.Request) bool {
	ck, err := r.Cookie(csrfCookie)
	if err != nil || ck.Value == "" {
		return false
	}
	got := r.Header.Get(csrfHeader)
	if got == "" {
		got = r.FormValue(csrfField)
	}
	want := c.tokenFor(ck.Value)
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// isLoopback reports whether addr (host:port) binds only to loopback.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// tokenGate requires the access token when the server listens beyond
// loopback. The token arrives once as ?token=… (then kept in an HttpOnly
// cookie) or as a Bearer header.
func tokenGate(token string, next http.Handler) http.Handler {
	if token == "" {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ok := func(v string) bool { return subtle.ConstantTimeCompare([]byte(v), []byte(token)) == 1 }
		if q := r.URL.Query().Get("token"); q != "" && ok(q) {
			http.SetCookie(w, &http.Cookie{Name: authCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
			u := *r.URL
			qs := u.Query()
			qs.Del("token")
			u.RawQuery = qs.Encode()
			http.Redirect(w, r, u.RequestURI(), http.StatusSeeOther)
			return
		}
		if ck, err := r.Cookie(authCookie); err == nil && ok(ck.Value) {
			next.ServeHTTP(w, r)
			return
		}
		if strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") && ok(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")) {
			next.ServeHTTP(w, r)
			return
		}
		http.Error(w, "aadsts: this server needs its access token (open the URL printed at start, with ?token=…)", http.StatusUnauthorized)
	})
}
