package directory

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Problem is one thing wrong with an input, at a JSON path such as
// "tenants[0].applications[2].passwordCredentials[0].endDateTime".
type Problem struct {
	Path    string
	Message string
}

func (p Problem) String() string {
	if p.Path == "" {
		return p.Message
	}
	return p.Path + ": " + p.Message
}

// ProblemsError lists every problem found in one input. LoadFile and Read
// return it (wrapped with the input's name); use errors.As to get the list.
type ProblemsError struct {
	Problems []Problem
}

func (e *ProblemsError) Error() string {
	parts := make([]string, 0, len(e.Problems))
	for _, p := range e.Problems {
		parts = append(parts, p.String())
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return fmt.Sprintf("%d problems:\n  %s", len(parts), strings.Join(parts, "\n  "))
}

// decoder fills Go values from a generic JSON tree (decoded with
// UseNumber). Strict mode rejects unknown fields and accepts only RFC 3339
// times; lenient mode matches keys case-insensitively, honours `alias`
// tags (legacy AAD Graph names), accepts PowerShell dates and byte arrays,
// and ignores unknown fields.
type decoder struct {
	strict   bool
	problems []Problem
	// notes are lenient-mode sentences about values skipped, such as the
	// type names ConvertTo-Json writes for objects nested deeper than its
	// -Depth.
	notes []string
}

// truncated reports v as a type name where an object or array was expected
// (PowerShell's ConvertTo-Json beyond -Depth) and notes it; only in
// lenient mode.
func (d *decoder) truncated(path string, v any) bool {
	s, ok := v.(string)
	if d.strict || !ok {
		return false
	}
	d.notes = append(d.notes, fmt.Sprintf("%s: holds the text %q instead of a value (ConvertTo-Json needs a larger -Depth), skipped", path, short(s)))
	return true
}

func (d *decoder) fail(path, format string, args ...any) {
	d.problems = append(d.problems, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
}

var timeType = reflect.TypeOf(time.Time{})

func (d *decoder) value(path string, v any, rv reflect.Value) {
	if v == nil {
		rv.SetZero()
		return
	}
	t := rv.Type()
	switch {
	case t == timeType:
		if m, isObj := v.(map[string]any); isObj && !d.strict {
			// Windows PowerShell writes some dates as {"value": "/Date(ms)/",
			// "DisplayHint": 2, "DateTime": "..."}.
			for k, e := range m {
				if strings.EqualFold(k, "value") {
					v = e
				}
			}
		}
		s, ok := v.(string)
		if !ok {
			d.fail(path, "not a time (want an RFC 3339 string)")
			return
		}
		tm, err := parseTime(s, d.strict)
		if err != nil {
			d.fail(path, "not an RFC 3339 time: %q", short(s))
			return
		}
		rv.Set(reflect.ValueOf(tm))
		return
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		b, ok := d.bytes(path, v)
		if ok {
			rv.SetBytes(b)
		}
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		p := reflect.New(t.Elem())
		d.value(path, v, p.Elem())
		rv.Set(p)
	case reflect.String:
		switch x := v.(type) {
		case string:
			rv.SetString(x)
		case map[string]any:
			// Graph beta wraps some strings: claimsMatchingExpression is
			// {"value": "...", "languageVersion": 1}.
			if !d.strict {
				for k, e := range x {
					if sv, isStr := e.(string); isStr && strings.EqualFold(k, "value") {
						rv.SetString(sv)
						return
					}
				}
			}
			d.fail(path, "not a string")
		case []any:
			// customKeyIdentifier as a PowerShell byte array.
			if !d.strict {
				if b, ok := d.bytes(path, x); ok {
					rv.SetString(base64.StdEncoding.EncodeToString(b))
				}
				return
			}
			d.fail(path, "not a string")
		case json.Number:
			if d.strict {
				d.fail(path, "not a string")
				return
			}
			rv.SetString(x.String())
		default:
			d.fail(path, "not a string")
		}
	case reflect.Bool:
		b, ok := v.(bool)
		if !ok {
			d.fail(path, "not a boolean")
			return
		}
		rv.SetBool(b)
	case reflect.Int:
		n, ok := v.(json.Number)
		if !ok {
			d.fail(path, "not a number")
			return
		}
		i, err := strconv.Atoi(n.String())
		if err != nil {
			d.fail(path, "not an integer: %s", n)
			return
		}
		rv.SetInt(int64(i))
	case reflect.Slice:
		arr, ok := v.([]any)
		if !ok {
			if s, isStr := v.(string); isStr && !d.strict && t.Elem().Kind() == reflect.String {
				rv.Set(reflect.ValueOf([]string{s}))
				return
			}
			if d.truncated(path, v) {
				return
			}
			d.fail(path, "not an array")
			return
		}
		out := reflect.MakeSlice(t, len(arr), len(arr))
		for i, e := range arr {
			d.value(path+"["+strconv.Itoa(i)+"]", e, out.Index(i))
		}
		rv.Set(out)
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			if d.truncated(path, v) {
				return
			}
			d.fail(path, "not an object")
			return
		}
		d.object(path, m, rv)
	default:
		d.fail(path, "unsupported type %s", t)
	}
}

func (d *decoder) object(path string, m map[string]any, rv reflect.Value) {
	fs := fieldsOf(rv.Type())
	// Sorted iteration keeps problem order stable.
	for _, k := range sortedKeys(m) {
		idx, ok := fs.exact[k]
		if !ok && !d.strict {
			idx, ok = fs.loose[strings.ToLower(k)]
		}
		if !ok {
			if d.strict && !ignorable(k) {
				d.fail(join(path, k), "unknown field")
			}
			continue
		}
		d.value(join(path, k), m[k], rv.Field(idx))
	}
}

func (d *decoder) bytes(path string, v any) ([]byte, bool) {
	switch x := v.(type) {
	case string:
		s := strings.Map(func(r rune) rune {
			if r == '\n' || r == '\r' || r == ' ' || r == '\t' {
				return -1
			}
			return r
		}, x)
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
			if b, err := enc.DecodeString(s); err == nil {
				return b, true
			}
		}
		if d.truncated(path, v) { // "System.Byte[]" beyond ConvertTo-Json's -Depth
			return nil, false
		}
		d.fail(path, "not base64")
	case []any:
		if d.strict {
			d.fail(path, "not a base64 string")
			return nil, false
		}
		b := make([]byte, len(x))
		for i, e := range x {
			n, ok := e.(json.Number)
			iv, err := strconv.Atoi(string(n))
			if !ok || err != nil || iv < 0 || iv > 255 {
				d.fail(path, "byte array holds a non-byte at [%d]", i)
				return nil, false
			}
			b[i] = byte(iv)
		}
		return b, true
	default:
		d.fail(path, "not a base64 string")
	}
	return nil, false
}

type fieldSet struct {
	exact map[string]int
	loose map[string]int
}

var fieldCache sync.Map // reflect.Type -> *fieldSet

func fieldsOf(t reflect.Type) *fieldSet {
	if fs, ok := fieldCache.Load(t); ok {
		return fs.(*fieldSet)
	}
	fs := &fieldSet{exact: map[string]int{}, loose: map[string]int{}}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		fs.exact[name] = i
		fs.loose[strings.ToLower(name)] = i
		if a := f.Tag.Get("alias"); a != "" {
			for _, al := range strings.Split(a, ",") {
				fs.loose[strings.ToLower(al)] = i
			}
		}
	}
	fieldCache.Store(t, fs)
	return fs
}

// ignorable names Graph properties a strict reader accepts without using:
// OData annotations and read-only bookkeeping Graph adds to every object,
// so that objects copied from Graph or az CLI output load as they are.
func ignorable(k string) bool {
	if strings.HasPrefix(k, "@odata.") || strings.HasPrefix(k, "odata.") || strings.Contains(k, "@odata.") {
		return true
	}
	switch k {
	case "deletedDateTime", "createdDateTime", "applicationTemplateId", "disabledByMicrosoftStatus",
		"description", "groupMembershipClaims", "isDeviceOnlyAuthSupported", "notes", "publisherDomain",
		"serviceManagementReference", "tokenEncryptionKeyId", "defaultRedirectUri", "certification",
		"optionalClaims", "addIns", "info", "parentalControlSettings", "verifiedPublisher",
		"appDescription", "homepage", "loginUrl", "logoutUrl", "notificationEmailAddresses",
		"preferredSingleSignOnMode", "preferredTokenSigningKeyThumbprint", "replyUrls",
		"samlSingleSignOnSettings", "resourceSpecificApplicationPermissions", "uniqueName",
		"redirectUriSettings", "servicePrincipalLockConfiguration", "requestSignatureVerification",
		"nativeAuthenticationApisEnabled", "oauth2RequirePostResponse", "appManagementPolicies":
		return true
	}
	return false
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

// parseTime reads an RFC 3339 time. Lenient mode also reads a time without
// a zone (taken as UTC) and Windows PowerShell's "/Date(ms)/".
func parseTime(s string, strict bool) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err == nil || strict {
		return t.UTC(), err
	}
	if ms, ok := strings.CutPrefix(s, "/Date("); ok {
		ms, _, _ = strings.Cut(ms, ")")
		// "/Date(1683442366000+0200)/" carries an offset after the ms.
		if i := strings.IndexAny(ms[1:], "+-"); i >= 0 {
			ms = ms[:i+1]
		}
		n, perr := strconv.ParseInt(ms, 10, 64)
		if perr == nil {
			return time.UnixMilli(n).UTC(), nil
		}
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05.999999999Z0700", "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05", "2006-01-02",
		// PowerShell's en-US display forms (Export-Csv, a DateTime's "DateTime" note).
		"1/2/2006 3:04:05 PM", "Monday, January 2, 2006 3:04:05 PM"} {
		if t, err2 := time.Parse(layout, s); err2 == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, err
}

// short keeps error messages small; values here are never secrets (times).
func short(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
