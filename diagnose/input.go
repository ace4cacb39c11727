package diagnose

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/aadsts/aadsts/cred"
	"github.com/aadsts/aadsts/directory"
)

// ErrUsage marks a problem with the inputs (a missing flag, an unreadable
// file): callers exit with a usage status.
var ErrUsage = errors.New("usage")

func usagef(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrUsage}, args...)...)
}

// Env is what a diagnosis may read of the outside world.
type Env struct {
	// Now is the time to judge at (time.Now when zero).
	Now time.Time
	// ReadFile reads a named file (os.ReadFile when nil).
	ReadFile func(string) ([]byte, error)
}

func (e Env) now() time.Time {
	if e.Now.IsZero() {
		return time.Now().UTC()
	}
	return e.Now.UTC()
}

func (e Env) read(name string) ([]byte, error) {
	if e.ReadFile != nil {
		return e.ReadFile(name)
	}
	return os.ReadFile(name)
}

// readFile reads a file named by flag, wrapping errors as usage errors.
func (e Env) readFile(flag, name string) ([]byte, error) {
	b, err := e.read(name)
	if err != nil {
		return nil, usagef("%s %s: %v", flag, name, err)
	}
	return b, nil
}

// tokenOrFile returns value itself when it looks like a JWT, else the
// content of the file it names.
func (e Env) tokenOrFile(flag, value string) (string, error) {
	v := strings.TrimSpace(value)
	if v == "" {
		return "", usagef("%s is required", flag)
	}
	if looksLikeToken(v) {
		return value, nil
	}
	b, err := e.read(v)
	if err != nil {
		if looksLikePath(v) {
			// A read error repeats the value whole: name only its cause.
			why := "it cannot be read"
			var pe *fs.PathError
			switch {
			case errors.Is(err, fs.ErrNotExist):
				why = "no such file"
			case errors.As(err, &pe):
				why = pe.Err.Error()
			}
			return "", usagef("%s: %s is neither a JWT nor a readable file (%s)", flag, short(v), why)
		}
		return value, nil // not a file: let the decoder name what is wrong with it
	}
	// A file ends with a line break that is no part of the token.
	return strings.TrimRight(string(b), "\r\n"), nil
}

// textOrFile returns the content of the file value names, or value itself
// when no such file exists.
func (e Env) textOrFile(value string) string {
	v := strings.TrimSpace(value)
	if v == "" || len(v) > 1024 || strings.Contains(v, "\n") {
		return value
	}
	if b, err := e.read(v); err == nil {
		return string(b)
	}
	return value
}

func looksLikePath(s string) bool {
	if strings.ContainsAny(s, "/\\") {
		return true
	}
	for _, ext := range []string{".jwt", ".txt", ".json", ".token", ".b64"} {
		if strings.HasSuffix(strings.ToLower(s), ext) {
			return true
		}
	}
	return false
}

func looksLikeToken(s string) bool {
	for _, p := range []string{"Bearer ", "bearer ", `"`, "'"} {
		s = strings.TrimPrefix(s, p)
	}
	return strings.HasPrefix(s, "ey") && strings.Count(s, ".") >= 2 && !strings.ContainsAny(s, "/\\")
}

// short shows a flag value that may be a secret pasted in the wrong
// place (a pre-2021 secret has '/' and looks like a path): quoted when
// short, else in cred's redacted form.
func short(s string) string {
	if len(s) > 40 {
		return cred.Redact(s)
	}
	return strconv.Quote(s)
}

// readApps reads --app: Graph application JSON, az CLI output or a list.
func (e Env) readApps(name string) (*directory.Directory, error) {
	b, err := e.readFile("--app", name)
	if err != nil {
		return nil, err
	}
	d, err := directory.Read(name, b)
	if err != nil {
		return nil, usagef("--app: %v", err)
	}
	return d, nil
}

// pickApp chooses the application a diagnosis is about: the one with
// clientID, else the only application in the export.
func pickApp(d *directory.Directory, clientID string) (*directory.Application, *directory.Tenant) {
	if d == nil {
		return nil, nil
	}
	var only *directory.Application
	var onlyT *directory.Tenant
	n := 0
	for i := range d.Tenants {
		t := &d.Tenants[i]
		if clientID != "" {
			if a, ok := t.FindApplication(clientID); ok {
				return a, t
			}
		}
		for j := range t.Applications {
			n++
			only, onlyT = &t.Applications[j], t
		}
	}
	if n == 1 {
		// The only application of the export is the one meant, even when
		// the assertion names another client id (that is then the finding).
		return only, onlyT
	}
	return nil, nil
}

// tenantFor builds the tenant a --tenant value names (id or domain),
// merged with the export's tenant when it has one.
func tenantFor(value string, from *directory.Tenant) *directory.Tenant {
	if value == "" {
		if from != nil && from.ID != "" {
			return from
		}
		return nil
	}
	t := &directory.Tenant{}
	if from != nil {
		*t = *from
	}
	if cred.IsGUID(value) {
		t.ID = value
	} else {
		t.Domains = append(t.Domains, value)
	}
	return t
}
