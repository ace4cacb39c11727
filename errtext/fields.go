package errtext

import (
	"regexp"
	"slices"
	"strings"
	"sync"
)

// kind says how a rule's value is captured and checked.
type kind int

const (
	kGUID     kind = iota // a trace/correlation/request ID: GUID-shaped, may be wrapped
	kTime                 // 2021-10-29 10:23:09Z, 2024-10-02T22:05:03.6755165Z
	kQuoted               // a value between quotes
	kWord                 // a run of non-space characters
	kURL                  // http(s) URL
	kNumber               // digits
	kDuration             // 90.00:00:00
	kToken                // snake_case token (suberror)
	kThumb                // hex SHA-1/SHA-256 or base64(url) thumbprint
	kReason               // "[Reason - <sentence>., ..."
	kScope                // "The scope <list> is not valid"
	kKeyEnd               // "End=<date>" up to the closing quote
	kName                 // a bare name or ID in a sentence, or a placeholder standing for one
)

// placeholder is a value a user or Entra put in place of the real one:
// "{EmailHidden}", "{EUII Hidden}" (Entra's own scrubbing), "<MyClientID>",
// "‹redacted›". Template slots ("{id}") match too and are dropped by clean.
const placeholder = `\{[^{}\r\n]{1,40}\}|<[^<>\r\n]{1,60}>|‹[^‹›\r\n]{1,60}›`

// bareWord is a run of characters that may make up a name or an ID.
const bareWord = "[^\\s'\"‘’“”<>,;()\\[\\]{}&`]+"

var valuePatterns = map[kind]string{
	kGUID:     `([0-9a-z][0-9a-z-]+(?:[ \t]*\r?\n[ \t]*[0-9a-z-]+)?)`,
	kTime:     `(\d{4}-\d\d-\d\d(?:t|\+|[ \t]*\r?\n?[ \t]*)\d\d:\d\d:\d\d(?:\.\d{1,9})?z?|\d\d/\d\d/\d{4} \d\d:\d\d:\d\d)`,
	kQuoted:   `[\s:(=](?:'|‘|’|"|“|”)([^'‘’"“”\r\n]+(?:\r?\n[ \t>]*[^'‘’"“”\r\n]+)?)(?:'|‘|’|"|“|”)`, // the quote opens after a space, ':', '(' or '='
	kWord:     `(` + bareWord + `)`,
	kURL:      "(https?://[^\\s'\"‘’“”<>,)\\]`]+)",
	kNumber:   `(\d+)\b`,
	kDuration: `(\d[\d.:]*\d)`,
	kToken:    `([a-z][a-z_]+)\b`,
	kThumb:    `['‘’]?([0-9a-f]{64}|[0-9a-f]{40}|[0-9a-z+/_-]{27,43}=?)\b`,
	kReason:   `([^\]\r\n]+?\.)(?:,|\])`,
	kScope:    `([^\r\n]+?)\s+is not valid`,
	kKeyEnd:   `([^'‘’\]\r\n]+)`,
	kName:     `(` + placeholder + `|` + bareWord + `)`,
}

// rule finds one field: prefix is an RE2 pattern (lower case, matched
// against the lower-cased text) that starts with a literal anchor; the
// value follows it.
type rule struct {
	field  string
	prefix string
	kind   kind
	prio   int // lower wins; among equals, the earliest match wins
	// value, when set, replaces the kind's value pattern; its last group
	// is the value.
	value string
	// valid, when set, rejects values that matched but are not whole
	// (a URL cut off before its path).
	valid func(string) bool

	re     *regexp.Regexp // compiled on the first text that holds the anchor
	reOnce sync.Once
	anchor string
}

// regexp returns the rule's compiled pattern. Most texts hold the anchors
// of a few rules only, so compiling on demand keeps a one-shot process
// (aadsts explain) from compiling every rule.
func (r *rule) regexp() *regexp.Regexp {
	r.reOnce.Do(func() {
		v := r.value
		if v == "" {
			v = valuePatterns[r.kind]
		}
		r.re = regexp.MustCompile(`^(?:` + r.prefix + `)` + v)
	})
	return r.re
}

const (
	pKey   = 0 // a JSON or dict key ("trace_id": "...")
	pLabel = 1 // a label or a phrase of the message
	pWeak  = 2 // a URL path, a header, a second-hand mention
)

// key matches a JSON, Python-dict, log or query key followed by its value.
func key(name string) string { return name + quote + "?\\s*[:=]\\s*" + quote + "?" }

// quote is any quote a key or a value may have: straight, curly (a chat
// tool or a word processor "smartened" the paste) or a backtick.
const quote = "[\"'`‘’“”]"

// inlineKey is key for bare-word values: the value is on the key's line.
func inlineKey(name string) string { return name + quote + "?[ \\t]*[:=][ \\t]*" + quote + "?" }

// wrappedURL is a URL that a hard wrap may have split once (the value of a
// quoted key, so its closing quote tells where it really ends).
const wrappedURL = "(https?://[^\\s'\"‘’“”<>`]+(?:[ \\t]*\\r?\\n[ \\t]*[^\\s'\"‘’“”<>`]+)?)"

// sentenceEnd ends a name written without quotes in a sentence: a full
// stop before a blank, the line's end, or the next sentence of the
// message ("... tenant named {id} This can happen").
const sentenceEnd = `(?:\.?[ \t]+this can happen|\.(?:[ \t]|\r|\n|$)|[ \t]*(?:\r|\n|$))`

// hasPath: a URL with a path after its host; "https://login.mi" (a value
// cut off) has none.
func hasPath(u string) bool {
	_, rest, _ := strings.Cut(u, "://")
	i := strings.IndexByte(rest, '/')
	return i > 0 && i+1 < len(rest)
}

// rules are compiled on first use, so a binary that never parses pays
// nothing at start-up.
var (
	rulesOnce sync.Once
	rules     []rule
)

func loadRules() []rule {
	rulesOnce.Do(func() { rules = compileRules(ruleTable) })
	return rules
}

var ruleTable = []rule{
	{field: "trace_id", prefix: key("trace_id"), kind: kGUID, prio: pKey},
	{field: "trace_id", prefix: `trace\s*id\s*[:=]?\s*`, kind: kGUID, prio: pLabel},
	{field: "correlation_id", prefix: key("correlation_id"), kind: kGUID, prio: pKey},
	{field: "correlation_id", prefix: `correlation\s*id\s*[:=]?\s*`, kind: kGUID, prio: pLabel},
	{field: "correlation_id", prefix: `msalcorrelationidkey\s*=\s*`, kind: kGUID, prio: pWeak},
	{field: "correlation_id", prefix: key("client-request-id"), kind: kGUID, prio: pWeak},
	{field: "correlation_id", prefix: key("correlationid"), kind: kGUID, prio: pLabel},
	{field: "trace_id", prefix: key("traceid"), kind: kGUID, prio: pLabel},
	{field: "trace_id", prefix: key("x-ms-request-id"), kind: kGUID, prio: pWeak},
	{field: "request_id", prefix: key("request_id"), kind: kGUID, prio: pKey},
	{field: "request_id", prefix: `request\s*id\s*[:=]\s*`, kind: kGUID, prio: pLabel},

	{field: "timestamp", prefix: `timestamp["']?\s*[:=]\s*["']?`, kind: kTime, prio: pLabel},
	{field: "timestamp", prefix: ` - \[`, kind: kTime, prio: pWeak},
	// The sign-in page and descriptions in other languages (ui_locales).
	{field: "trace_id", prefix: `ablaufverfolgungs-id\s*:\s*`, kind: kGUID, prio: pLabel},
	{field: "trace_id", prefix: `id de (?:suivi|trace)\s*:\s*`, kind: kGUID, prio: pLabel},
	{field: "trace_id", prefix: `id\. de seguimiento\s*:\s*`, kind: kGUID, prio: pLabel},
	{field: "trace_id", prefix: `id de rastreamento\s*:\s*`, kind: kGUID, prio: pLabel},
	{field: "trace_id", prefix: `spårnings-id\s*:\s*`, kind: kGUID, prio: pLabel},
	{field: "trace_id", prefix: `tracerings-id\s*:\s*`, kind: kGUID, prio: pLabel},
	{field: "correlation_id", prefix: `korrelations-id\s*:\s*`, kind: kGUID, prio: pLabel},
	{field: "correlation_id", prefix: `id de corrélation\s*:\s*`, kind: kGUID, prio: pLabel},
	{field: "correlation_id", prefix: `id\. de correlación\s*:\s*`, kind: kGUID, prio: pLabel},
	{field: "correlation_id", prefix: `id de correlação\s*:\s*`, kind: kGUID, prio: pLabel},
	{field: "correlation_id", prefix: `id correlazione\s*:\s*`, kind: kGUID, prio: pLabel},
	{field: "correlation_id", prefix: `correlatie-id\s*:\s*`, kind: kGUID, prio: pLabel},
	{field: "request_id", prefix: `anforderungs-id\s*:\s*`, kind: kGUID, prio: pLabel},
	{field: "request_id", prefix: `id de (?:la )?(?:demande|requête)\s*:\s*`, kind: kGUID, prio: pLabel},
	{field: "request_id", prefix: `id\. de solicitud\s*:\s*`, kind: kGUID, prio: pLabel},
	{field: "request_id", prefix: `id da solicitação\s*:\s*`, kind: kGUID, prio: pLabel},
	{field: "request_id", prefix: `id richiesta\s*:\s*`, kind: kGUID, prio: pLabel},
	{field: "request_id", prefix: `aanvraag-id\s*:\s*`, kind: kGUID, prio: pLabel},
	{field: "timestamp", prefix: `zeitstempel\s*:\s*`, kind: kTime, prio: pLabel},
	{field: "timestamp", prefix: `horodatage\s*:\s*`, kind: kTime, prio: pLabel},
	{field: "timestamp", prefix: `marca de tiempo\s*:\s*`, kind: kTime, prio: pLabel},
	{field: "timestamp", prefix: `carimbo de data/hora\s*:\s*`, kind: kTime, prio: pLabel},
	{field: "timestamp", prefix: `tidsstämpel\s*:\s*`, kind: kTime, prio: pLabel},
	{field: "timestamp", prefix: `tijdstempel\s*:\s*`, kind: kTime, prio: pLabel},

	// A quoted error_uri runs to its closing quote, also when a hard wrap
	// split it; unquoted ones stop at a blank and must have a path.
	{field: "error_uri", prefix: "error_uri" + quote + "?\\s*[:=]\\s*" + quote, value: wrappedURL + quote, kind: kURL, prio: pKey},
	{field: "error_uri", prefix: `error_uri=`, value: `(https?://[^\s&'"<>]+)`, kind: kURL, prio: pKey, valid: hasPath},
	{field: "error_uri", prefix: key("error_uri"), kind: kURL, prio: pKey, valid: hasPath},
	{field: "suberror", prefix: key("suberror"), kind: kToken, prio: pKey},
	{field: "suberror", prefix: key("sub_error"), kind: kToken, prio: pKey},
	{field: "authority", prefix: key("authority"), kind: kURL, prio: pLabel},

	{field: "app_id", prefix: `for app\s*(?:id\s*)?:?\s*`, kind: kQuoted, prio: pLabel},
	{field: "app_id", prefix: `to app\s*(?:id\s*)?:?\s*`, kind: kQuoted, prio: pLabel},
	{field: "app_id", prefix: `application\s*(?:with\s*(?:id|identifier)\s*)?:?\s*`, kind: kQuoted, prio: pLabel},
	{field: "app_id", prefix: `app\s*id\s*[:=]?\s*`, kind: kQuoted, prio: pLabel},
	// "the application Contoso Portal ('<id>')"
	{field: "app_id", prefix: `application\s+`, value: `[^'‘’(\r\n]+?\(\s*['‘’]([^'‘’\r\n]+)['‘’]\s*\)`, kind: kQuoted, prio: pLabel},
	{field: "app_id", prefix: `configured for the application:[ \t]*`, kind: kName, prio: pLabel},
	{field: "app_id", prefix: `configured for the application:\s*`, kind: kGUID, prio: pLabel}, // an ID may sit on the next line
	{field: "app_id", prefix: `client application[ \t]+`, value: `(` + placeholder + `|` + bareWord + `)[ \t]+is missing service principal`, kind: kName, prio: pLabel},
	{field: "app_id", prefix: `app id:\s*`, kind: kGUID, prio: pLabel},
	{field: "app_id", prefix: `app id[ \t]+`, kind: kGUID, prio: pLabel},
	{field: "app_id", prefix: key("appid"), kind: kGUID, prio: pWeak},
	{field: "app_id", prefix: key("app_id"), kind: kGUID, prio: pWeak},
	{field: "app_id", prefix: key("client_id"), kind: kGUID, prio: pWeak},
	{field: "app_id", prefix: key("clientid"), kind: kGUID, prio: pWeak},
	{field: "app_id", prefix: key("client-id"), kind: kGUID, prio: pWeak},
	{field: "app_id", prefix: `client\s*id\s*[:=]\s*`, kind: kGUID, prio: pWeak},

	{field: "tenant", prefix: `tenant\s*(?:identifier\s*)?`, kind: kQuoted, prio: pLabel},
	// "...in the tenant named Default Directory. This can happen...": a
	// display name of a few words, up to the end of the sentence or line.
	{field: "tenant", prefix: `tenant named[ \t]+`, value: `(` + placeholder + `|[^\s'"]+(?:[ \t]+[^\s'"]+){0,6}?)` + sentenceEnd, kind: kName, prio: pLabel},
	// "The client application <id> is missing service principal in the tenant <id>."
	{field: "tenant", prefix: `missing service principal in the tenant[ \t]+`, kind: kName, prio: pLabel},
	{field: "tenant", prefix: `tenant[ \t]+`, value: `([a-z0-9][a-z0-9.-]*)[ \t]+not found`, kind: kWord, prio: pLabel},
	{field: "tenant", prefix: `in the directory\s*`, kind: kQuoted, prio: pLabel},
	// "not found in the directory contoso.com," : the name ends the clause.
	{field: "tenant", prefix: `in the directory[ \t]+`, value: `(` + placeholder + `|` + bareWord + `)(?:[,;]|\.[ \t]|\.?[ \t]*(?:\r|\n|$)|[ \t]+trace id)`, kind: kName, prio: pLabel},
	{field: "tenant", prefix: `does not exist in the\s+`, kind: kQuoted, prio: pLabel},
	{field: "tenant", prefix: `does not exist in the[ \t]+`, value: `(` + placeholder + `|[^\s'"]+)[ \t]+directory`, kind: kName, prio: pLabel},
	{field: "tenant", prefix: `doesn't exist in the\s+`, kind: kQuoted, prio: pLabel},
	{field: "tenant", prefix: `doesn't exist in the[ \t]+`, value: `(` + placeholder + `|[^\s'"]+)[ \t]+directory`, kind: kName, prio: pLabel},
	// The older wording: "the account must be added to the contoso.com directory".
	{field: "tenant", prefix: `added to the[ \t]+`, value: `(` + placeholder + `|[^\s'"]+)[ \t]+directory\b`, kind: kName, prio: pLabel},
	{field: "tenant", prefix: `your organization\s*`, kind: kQuoted, prio: pLabel},
	{field: "tenant", prefix: inlineKey("tenant_id"), kind: kWord, prio: pWeak},
	{field: "tenant", prefix: inlineKey("tenant-id"), kind: kWord, prio: pWeak},
	{field: "tenant", prefix: inlineKey("tenantid"), kind: kWord, prio: pWeak},
	{field: "tenant", prefix: inlineKey("tenant"), kind: kWord, prio: pWeak},

	{field: "thumbprint", prefix: `thumbprint of key used by client:?\s*`, kind: kThumb, prio: pLabel},
	{field: "thumbprint", prefix: `certificate with identifier\s+`, kind: kThumb, prio: pLabel},
	{field: "thumbprint", prefix: key("thumbprint"), kind: kThumb, prio: pWeak},
	{field: "key_start", prefix: `found key\s*['‘’]start=`, value: `([^,'‘’\]\r\n]+(?:\r?\n[ \t]*[^,'‘’\]\r\n]+)?)`, kind: kKeyEnd, prio: pLabel},
	{field: "key_end", prefix: `found key\s*['‘’]start=[^,'‘’\]]+,\s*end=`, kind: kKeyEnd, prio: pLabel},
	{field: "reason", prefix: `\[reason\s*-\s*`, kind: kReason, prio: pLabel},

	{field: "scope", prefix: `the scope\s+`, kind: kScope, prio: pLabel},
	{field: "scope", prefix: `value for scope\s+`, kind: kScope, prio: pLabel},
	{field: "scope", prefix: `asked for scope\s*`, kind: kQuoted, prio: pLabel},
	{field: "scope", prefix: `\. scope\s+`, kind: kScope, prio: pLabel},
	{field: "scope", prefix: `parameter scope\s*`, kind: kQuoted, prio: pLabel},
	{field: "resource", prefix: `resource principal named[ \t]+`, kind: kName, prio: pLabel},
	{field: "resource", prefix: `authentication to access\s*`, kind: kQuoted, prio: pLabel},
	{field: "resource", prefix: `on the resource\s*`, kind: kQuoted, prio: pLabel},
	{field: "resource", prefix: `for resource\s*`, kind: kQuoted, prio: pLabel},
	{field: "resource", prefix: `access a service\s*`, kind: kQuoted, prio: pLabel},
	{field: "resource", prefix: `resource value from request:[ \t]*`, kind: kName, prio: pLabel},
	{field: "resource", prefix: `application named[ \t]+`, kind: kName, prio: pLabel},
	{field: "redirect_uri", prefix: `redirect uri\s*`, kind: kQuoted, prio: pLabel},
	{field: "redirect_uri", prefix: `reply address\s*`, kind: kQuoted, prio: pLabel},
	{field: "redirect_uri", prefix: `redirect_uri=`, kind: kWord, prio: pWeak},
	{field: "origin", prefix: `request origin:?\s*`, kind: kQuoted, prio: pLabel},
	{field: "origin", prefix: `origin:\s*`, kind: kURL, prio: pWeak},

	{field: "current_time", prefix: `current time:?\s*`, kind: kTime, prio: pLabel},
	{field: "assertion_valid_from", prefix: `assertion valid from\s*`, kind: kTime, prio: pLabel},
	{field: "assertion_expiry", prefix: `expiry time of assertion\s*`, kind: kTime, prio: pLabel},
	{field: "token_issued", prefix: `token was issued on\s*['‘’]?`, kind: kTime, prio: pLabel},
	{field: "inactive_for", prefix: `inactive for\s*`, kind: kDuration, prio: pLabel},
	{field: "max_lifetime", prefix: `maximum allowed lifetime for this request is\s*`, kind: kNumber, prio: pLabel},
	{field: "grant_issued", prefix: `grant was issued on\s*['‘’]?`, kind: kTime, prio: pLabel},
	{field: "tokens_valid_from", prefix: `tokensvalidfrom date[^'‘’\r\n]*?is\s*['‘’]?`, kind: kTime, prio: pLabel},

	{field: "issuer", prefix: `assertion issuer:?\s*`, kind: kQuoted, prio: pLabel},
	{field: "issuer", prefix: `metadata of identity provider\s+`, kind: kURL, prio: pLabel},
	{field: "subject", prefix: `assertion subject:?\s*`, kind: kQuoted, prio: pLabel},
	// azure/login's "Federated token details:" block
	{field: "issuer", prefix: `issuer - `, kind: kURL, prio: pWeak},
	{field: "subject", prefix: `subject claim - `, kind: kWord, prio: pWeak},
	{field: "audience", prefix: inlineKey("audience"), kind: kWord, prio: pWeak},
	{field: "audience", prefix: `assertion audience:?\s*`, kind: kQuoted, prio: pLabel},
	{field: "audience", prefix: `audience in the assertion was\s*`, kind: kQuoted, prio: pLabel},
	{field: "user", prefix: `user account\s*`, kind: kQuoted, prio: pLabel},
	{field: "user", prefix: `signed in user\s*`, kind: kQuoted, prio: pLabel},
	{field: "user", prefix: `the user account[ \t]+`, kind: kName, prio: pLabel},
	// "User account xxxxxx@outlook.com' from identity provider" (a quote lost)
	{field: "user", prefix: `user account\s+`, value: `([^\s'‘’"]+@[^\s'‘’"]+)['‘’]?\s+from`, kind: kWord, prio: pLabel},
	{field: "idp", prefix: `identity provider\s*`, kind: kQuoted, prio: pLabel},
}

func compileRules(rs []rule) []rule {
	for i := range rs {
		r := &rs[i]
		r.anchor, _ = regexp.MustCompile(r.prefix).LiteralPrefix()
		if len(r.anchor) < 3 {
			panic("errtext: rule for " + r.field + " has no literal anchor: " + r.prefix)
		}
	}
	return rs
}

// window bounds how far past its anchor a rule may read, and maxTries how
// many anchors a rule tries before giving up: together they keep a rule's
// cost linear with a small constant, whatever the input.
const (
	window   = 600
	maxTries = 256
)

type found struct {
	Field
	pos, prio int
}

// extractFields runs every rule and keeps, per field, the best match.
func extractFields(t text) []Field {
	best := map[string]found{}
	rules := loadRules()
	absent := make([]bool, len(rules)) // the rule's anchor is nowhere in the text
	for i := range rules {
		r := &rules[i]
		if cur, ok := best[r.field]; ok && cur.prio < r.prio {
			continue
		}
		v, pos, ok := r.first(t)
		if !ok {
			absent[i] = pos < 0
			continue
		}
		cur, seen := best[r.field]
		if !seen || r.prio < cur.prio || r.prio == cur.prio && pos < cur.pos {
			best[r.field] = found{Field{r.field, v}, pos, r.prio}
		}
	}
	// A text an editor or a console wrapped at word boundaries may have a
	// label and its value, or a value of several words, on two lines. The
	// rules whose values have a shape of their own (quoted, an ID, a time,
	// a number...) or a context on both sides ("in the X directory") get
	// a second reading with the line breaks inside paragraphs read as
	// spaces, for the fields still missing. Other bare-word rules are left
	// out: their value must stay on the label's line.
	// The wraps joined as a terminal's may have been an editor's: this
	// reading starts from the lines as they were.
	base := t
	if t.joined {
		base = prepareWraps(t.raw, false)
	}
	if strings.IndexByte(base.view, '\n') >= 0 {
		flat := reflow(base)
		for i := range rules {
			r := &rules[i]
			if _, ok := best[r.field]; ok || r.kind == kWord || r.kind == kName && r.value == "" {
				continue // a bare word needs a right-hand context to cross a line
			}
			if absent[i] && !t.joined && !strings.ContainsAny(r.anchor, " \t") {
				continue // line breaks read as spaces cannot make up this anchor
			}
			if v, pos, ok := r.first(flat); ok {
				best[r.field] = found{Field{r.field, v}, pos, pWeak + 1}
			}
		}
	}
	// URL paths name the tenant when nothing better does.
	if _, ok := best["tenant"]; !ok {
		if v, pos, ok := tenantFromURL(t); ok {
			best["tenant"] = found{Field{"tenant", v}, pos, pWeak}
		}
	}
	list := make([]found, 0, len(best))
	for _, f := range best {
		list = append(list, f)
	}
	slices.SortFunc(list, func(a, b found) int {
		if a.pos != b.pos {
			return a.pos - b.pos
		}
		return strings.Compare(a.Name, b.Name)
	})
	out := make([]Field, len(list))
	for i, f := range list {
		out[i] = f.Field
	}
	return out
}

// reflow returns t with each line break inside a paragraph turned into a
// space; a break next to a blank line stays. Offsets do not change.
func reflow(t text) text {
	view, orig := []byte(t.view), []byte(t.orig)
	for i := 0; i < len(view); i++ {
		if view[i] != '\n' {
			continue
		}
		j := i + 1
		for j < len(view) && (view[j] == ' ' || view[j] == '\t' || view[j] == '\r') {
			j++
		}
		k := i
		if k > 0 && view[k-1] == '\r' {
			k--
		}
		if j == len(view) || view[j] == '\n' || k == 0 || view[k-1] == '\n' {
			continue // the break ends a paragraph or the text
		}
		for p := k; p <= i; p++ {
			view[p], orig[p] = ' ', ' '
		}
	}
	v := string(view)
	return text{view: v, orig: string(orig), low: asciiLower(v), stamped: t.stamped, raw: t.raw}
}

// first returns the first valid value the rule finds, and where. When it
// finds none, pos is -1 if the rule's anchor is nowhere in the text.
func (r *rule) first(t text) (string, int, bool) {
	low := t.low
	for from, tries := 0, 0; from < len(low) && tries < maxTries; tries++ {
		i := strings.Index(low[from:], r.anchor)
		if i < 0 {
			if tries == 0 {
				return "", -1, false
			}
			return "", 0, false
		}
		i += from
		from = i + 1
		if i > 0 && (isWordByte(low[i-1]) || low[i-1] == '-') && isWordByte(low[i]) {
			continue
		}
		end := min(i+window, len(low))
		m := r.regexp().FindStringSubmatchIndex(low[i:end])
		if m == nil {
			continue
		}
		a, b := i+m[len(m)-2], i+m[len(m)-1]
		if r.kind == kTime && b < len(low) && isWordByte(low[b]) && !sentenceAfterZ(t.orig, b) {
			continue // a time run into a word is garbled, not a time
		}
		if v, ok := clean(r.kind, t.orig[a:b]); ok && (r.valid == nil || r.valid(v)) {
			return v, a, true
		}
	}
	return "", 0, false
}

// sentenceAfterZ reports whether the time ending just before b closes with
// its 'Z' and a new sentence starts right after it, the line break between
// them lost ("Timestamp: 2024-05-02 16:41:43ZInteractive authentication is
// needed", as az and the GitHub azure/login action print it).
func sentenceAfterZ(orig string, b int) bool {
	return b > 0 && b+1 < len(orig) && (orig[b-1] == 'Z' || orig[b-1] == 'z') &&
		orig[b] >= 'A' && orig[b] <= 'Z' && orig[b+1] >= 'a' && orig[b+1] <= 'z'
}

// clean checks and tidies a captured value; ok is false when the capture is
// not a real value (an empty ID, a "{placeholder}", a bare word).
func clean(k kind, v string) (string, bool) {
	v = strings.TrimSpace(v)
	switch k {
	case kGUID:
		return cleanGUID(v)
	case kTime:
		return strings.Join(strings.Fields(v), " "), true
	case kWord:
		v = strings.TrimRight(v, ".:")
	case kURL:
		v = strings.TrimRight(strings.Join(strings.Fields(v), ""), ".:")
	case kName:
		if isTemplate(v) {
			return "", false
		}
		if !isPlaceholder(v) {
			v = strings.TrimRight(v, ".:")
		}
	case kQuoted:
		v = unwrap(v)
		if isTemplate(v) {
			return "", false
		}
		// markdown emphasis around a value: '**https://...**'
		for _, e := range []string{"**", "__", "`"} {
			if len(v) > 2*len(e) && strings.HasPrefix(v, e) && strings.HasSuffix(v, e) {
				v = v[len(e) : len(v)-len(e)]
			}
		}
	case kKeyEnd:
		v = strings.Join(strings.Fields(v), " ") // a date and its time wrapped apart
	case kReason, kScope:
		if strings.HasPrefix(v, "{") && strings.HasSuffix(v, "}") {
			return "", false
		}
	}
	if strings.Trim(v, ".…") == "" {
		return "", false // an elision ("'....'") stands for nothing
	}
	// Trimming a closing full stop can leave the blank before it
	// ("tenant named { ." gave "{ ").
	v = strings.TrimSpace(v)
	return v, v != ""
}

// isPlaceholder: a value standing in for a hidden one ("{EmailHidden}",
// "<MyClientID>", "‹redacted›").
func isPlaceholder(v string) bool {
	return len(v) > 2 && (v[0] == '{' && v[len(v)-1] == '}' || v[0] == '<' && v[len(v)-1] == '>' ||
		strings.HasPrefix(v, "‹") && strings.HasSuffix(v, "›"))
}

// isTemplate: a "{name}" slot of a message template or a doc page ("{id}",
// "{tenantId}"), not a value. Entra's own scrubbing ("{EmailHidden}",
// "{EUII Hidden}") and masks ("{***}") are values: they are what the text
// says in place of the hidden one.
func isTemplate(v string) bool {
	if len(v) < 3 || v[0] != '{' || v[len(v)-1] != '}' {
		return false
	}
	name := v[1 : len(v)-1]
	return isWordRun(strings.ReplaceAll(name, "-", "")) && !strings.Contains(asciiLower(name), "hidden")
}

// unwrap rejoins a value a terminal or an editor broke over two lines:
// words get one space between them, an ID, a URL or an address cut at the
// margin gets none.
func unwrap(v string) string {
	first, rest, ok := strings.Cut(v, "\n")
	if !ok {
		return v
	}
	first = strings.TrimRight(first, " \t\r")
	rest = strings.TrimLeft(rest, " \t>")
	token := !strings.ContainsAny(first, " \t") && !strings.ContainsAny(rest, " \t") &&
		strings.ContainsAny(first+rest, "-/.:_@0123456789")
	if token {
		return first + rest
	}
	return first + " " + rest
}

// cleanGUID accepts GUID-shaped IDs, also ones users mistyped (a letter
// outside hex, a segment a digit too long), and rejoins an ID a terminal
// wrapped onto the next line.
func cleanGUID(v string) (string, bool) {
	first, rest, wrapped := strings.Cut(v, "\n")
	first = strings.TrimSpace(first)
	if isStrictGUID(first) {
		return first, true
	}
	if wrapped {
		joined := first + strings.TrimSpace(rest)
		if isGUIDish(joined) {
			return joined, true
		}
	}
	return first, isGUIDish(first)
}

func isStrictGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch i {
		case 8, 13, 18, 23:
			if s[i] != '-' {
				return false
			}
		default:
			if _, ok := hexVal(s[i]); !ok {
				return false
			}
		}
	}
	return true
}

// isGUIDish: five alphanumeric groups of roughly GUID lengths.
func isGUIDish(s string) bool {
	parts := strings.Split(s, "-")
	if len(parts) != 5 {
		return false
	}
	// The last group may be cut short (IDs truncated by hand or by a log).
	lims := [5][2]int{{7, 9}, {3, 6}, {3, 6}, {3, 6}, {4, 14}}
	for i, p := range parts {
		if len(p) < lims[i][0] || len(p) > lims[i][1] {
			return false
		}
		for j := 0; j < len(p); j++ {
			if !isWordByte(p[j]) || p[j] == '_' {
				return false
			}
		}
	}
	return true
}
