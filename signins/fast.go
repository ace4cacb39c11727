package signins

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// The fast path: a single-pass reader for the most common input by far, a
// diagnostic-settings sign-in record on one line. It reads only the fields
// the normalized record needs and skips the rest without building
// anything. Whatever it does not expect (a number where a string should
// be, properties as a JSON string, containers, odd escapes) makes it give
// up, and the record goes through the general decoder, which has the last
// word. The fuzz tests compare the two.

type scan struct {
	b []byte
	i int
	// in shares the values that repeat from record to record; nil copies
	// every value.
	in *interner
}

// interner hands out one copy of each value it has seen (the app, service
// principal, resource, tenant and their names repeat from record to
// record), for one decoding goroutine: fewer allocations, and the records
// of a batch share those strings. It holds at most maxInterned values.
type interner struct{ m map[string]string }

const maxInterned = 4096

func newInterner() *interner { return &interner{m: make(map[string]string, 256)} }

func (in *interner) str(b []byte) string {
	if in == nil {
		return string(b)
	}
	if v, ok := in.m[string(b)]; ok {
		return v
	}
	v := string(b)
	if len(in.m) >= maxInterned {
		clear(in.m)
	}
	in.m[v] = v
	return v
}

func (s *scan) ws() {
	for s.i < len(s.b) && isSpace(s.b[s.i]) {
		s.i++
	}
}

func (s *scan) eat(c byte) bool {
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// raw reads a string without decoding it: the bytes between the quotes,
// whether they hold escapes, and false for a non-string or one that is not
// valid JSON (control characters, unknown escapes).
func (s *scan) raw() ([]byte, bool, bool) {
	s.ws()
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return nil, false, false
	}
	start, esc := s.i+1, false
	for j := start; j < len(s.b); j++ {
		// Eight bytes at a time while none of them is a quote, a
		// backslash or a control character.
		for b := s.b; j+8 <= len(b) && !special8(binary.LittleEndian.Uint64(b[j:j+8])); {
			j += 8
		}
		if j >= len(s.b) {
			break
		}
		switch c := s.b[j]; {
		case c == '"':
			s.i = j + 1
			return s.b[start:j], esc, true
		case c < 0x20:
			return nil, false, false
		case c == '\\':
			esc = true
			j++
			if j >= len(s.b) {
				return nil, false, false
			}
			switch s.b[j] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if j+4 >= len(s.b) {
					return nil, false, false
				}
				for _, h := range s.b[j+1 : j+5] {
					if !(h >= '0' && h <= '9' || h >= 'a' && h <= 'f' || h >= 'A' && h <= 'F') {
						return nil, false, false
					}
				}
				j += 4
			default:
				return nil, false, false
			}
		}
	}
	return nil, false, false
}

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// special8 reports whether any of the eight bytes of x is '"', '\\' or
// below 0x20. A byte b is zero exactly when (b-1) & ^b has its high bit
// set with no borrow from a lower byte; the first such byte is always
// found, which is all a yes or no needs.
func special8(x uint64) bool {
	q, bs := x^(ones*'"'), x^(ones*'\\')
	return ((q-ones)&^q|(bs-ones)&^bs|(x-ones*0x20)&^x)&highs != 0
}

// str reads a string value. Invalid UTF-8, which the general decoder
// would replace, makes it give up.
func (s *scan) str() (string, bool) { return s.strIn(nil) }

// strIn is str, the value's copy shared through in when not nil.
func (s *scan) strIn(in *interner) (string, bool) {
	start := s.i
	v, esc, ok := s.raw()
	if !ok {
		return "", false
	}
	if !esc {
		if !utf8.Valid(v) {
			return "", false
		}
		return in.str(v), true
	}
	var out string
	if err := json.Unmarshal(s.b[start:s.i], &out); err != nil || !utf8.ValidString(out) {
		return "", false
	}
	return out, true
}

// strOrNull reads a string or null.
func (s *scan) strOrNull() (string, bool) { return s.strOrNullIn(nil) }

// strOrNullIn is strOrNull sharing values through in.
func (s *scan) strOrNullIn(in *interner) (string, bool) {
	s.ws()
	if s.lit("null") {
		return "", true
	}
	return s.strIn(in)
}

func (s *scan) lit(w string) bool {
	if len(s.b)-s.i >= len(w) && string(s.b[s.i:s.i+len(w)]) == w {
		s.i += len(w)
		return true
	}
	return false
}

// skip skips any value, checking it is valid JSON on the way.
func (s *scan) skip() bool { return s.skipDepth(0) }

func (s *scan) skipDepth(depth int) bool {
	s.ws()
	if s.i >= len(s.b) || depth > 1000 {
		return false
	}
	switch c := s.b[s.i]; c {
	case '"':
		_, _, ok := s.raw()
		return ok
	case '{':
		s.i++
		if s.eat('}') {
			return true
		}
		for {
			if _, _, ok := s.raw(); !ok || !s.eat(':') || !s.skipDepth(depth+1) {
				return false
			}
			if s.eat(',') {
				continue
			}
			return s.eat('}')
		}
	case '[':
		s.i++
		if s.eat(']') {
			return true
		}
		for {
			if !s.skipDepth(depth + 1) {
				return false
			}
			if s.eat(',') {
				continue
			}
			return s.eat(']')
		}
	case 't':
		return s.lit("true")
	case 'f':
		return s.lit("false")
	case 'n':
		return s.lit("null")
	}
	return s.number()
}

// number skips a JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *scan) number() bool {
	b, i := s.b, s.i
	digits := func() int {
		n := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case digits() == 0:
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	s.i = i
	return true
}

// object calls field for each key of an object; field reads the value.
func (s *scan) object(field func(key []byte) bool) bool {
	if !s.eat('{') {
		return false
	}
	if s.eat('}') {
		return true
	}
	for {
		kb, esc, ok := s.raw()
		if !ok || esc || !s.eat(':') || !field(kb) {
			return false
		}
		if s.eat(',') {
			continue
		}
		return s.eat('}')
	}
}

func (s *scan) integer() (int, bool) {
	s.ws()
	start := s.i
	for s.i < len(s.b) && (s.b[s.i] == '-' || s.b[s.i] >= '0' && s.b[s.i] <= '9') {
		s.i++
	}
	v := s.b[start:s.i]
	if d := bytes.TrimPrefix(v, []byte("-")); len(d) > 1 && d[0] == '0' {
		return 0, false // a leading zero: not JSON
	}
	n, err := strconv.Atoi(string(v))
	return n, err == nil
}

// fastEventHub decodes a one-line diagnostic-settings sign-in record, or
// reports false to leave it to the general decoder.
func fastEventHub(line []byte, h hint, in *interner) (Item, bool) {
	s := &scan{b: line, in: in}
	var env struct{ time, category, tenant, resultType, resultDesc, callerIP, correl, location string }
	var g struct {
		id, created, appID, appName, spID, spName, resID, resName, userID, upn, userName, ip string
		credType, keyID, thumb, fic, correl, reqID, ca, tenant, resTenant, issuer            string
		code                                                                                 int
		reason, city, state, country                                                         string
		statusSeen, interactiveSet, interactive, msi                                         bool
		eventTypes                                                                           []string
	}
	sawProps := false
	// strField reads a value that repeats across records (shared through
	// s.in), uniqField one that names a record or a moment (copied).
	strField := func(dst *string) bool {
		v, ok := s.strOrNullIn(s.in)
		*dst = v
		return ok
	}
	uniqField := func(dst *string) bool {
		v, ok := s.strOrNull()
		*dst = v
		return ok
	}
	props := func(k []byte) bool {
		switch string(k) {
		case "id":
			return uniqField(&g.id)
		case "createdDateTime":
			return uniqField(&g.created)
		case "appId":
			return strField(&g.appID)
		case "appDisplayName":
			return strField(&g.appName)
		case "servicePrincipalId":
			return strField(&g.spID)
		case "servicePrincipalName":
			return strField(&g.spName)
		case "resourceId":
			return strField(&g.resID)
		case "resourceDisplayName":
			return strField(&g.resName)
		case "userId":
			return strField(&g.userID)
		case "userPrincipalName":
			return strField(&g.upn)
		case "userDisplayName":
			return strField(&g.userName)
		case "ipAddress":
			return strField(&g.ip)
		case "clientCredentialType":
			return strField(&g.credType)
		case "servicePrincipalCredentialKeyId":
			return strField(&g.keyID)
		case "servicePrincipalCredentialThumbprint":
			return strField(&g.thumb)
		case "federatedCredentialId":
			return strField(&g.fic)
		case "correlationId":
			return uniqField(&g.correl)
		case "originalRequestId":
			return uniqField(&g.reqID)
		case "conditionalAccessStatus":
			return strField(&g.ca)
		case "tenantId":
			return strField(&g.tenant)
		case "resourceTenantId":
			return strField(&g.resTenant)
		case "tokenIssuerType":
			return strField(&g.issuer)
		case "isInteractive":
			s.ws()
			switch {
			case s.lit("true"):
				g.interactiveSet, g.interactive = true, true
			case s.lit("false"):
				g.interactiveSet = true
			case s.lit("null"):
			default:
				return false
			}
			return true
		case "managedServiceIdentity":
			s.ws()
			if s.lit("null") {
				return true
			}
			g.msi = true
			return s.skip()
		case "signInEventTypes":
			s.ws()
			if s.lit("null") {
				return true
			}
			if !s.eat('[') {
				return false
			}
			if s.eat(']') {
				return true
			}
			for {
				v, ok := s.str()
				if !ok {
					return false
				}
				g.eventTypes = append(g.eventTypes, v)
				if s.eat(',') {
					continue
				}
				return s.eat(']')
			}
		case "status":
			g.statusSeen = true
			return s.object(func(k []byte) bool {
				switch string(k) {
				case "errorCode":
					n, ok := s.integer()
					g.code = n
					return ok
				case "failureReason":
					return strField(&g.reason)
				}
				return !folds(k, statusKeys) && s.skip()
			})
		case "location":
			s.ws()
			if s.lit("null") {
				return true
			}
			return s.object(func(k []byte) bool {
				switch string(k) {
				case "city":
					return strField(&g.city)
				case "state":
					return strField(&g.state)
				case "countryOrRegion":
					return strField(&g.country)
				case "country":
					return false // the portal's spelling: the general decoder
				}
				return !folds(k, locationKeys) && s.skip()
			})
		}
		return !folds(k, propKeys) && s.skip()
	}
	ok := s.object(func(k []byte) bool {
		switch string(k) {
		case "time":
			return uniqField(&env.time)
		case "category":
			return strField(&env.category)
		case "tenantId":
			return strField(&env.tenant)
		case "resultType":
			return strField(&env.resultType)
		case "resultDescription":
			return strField(&env.resultDesc)
		case "callerIpAddress":
			return strField(&env.callerIP)
		case "correlationId":
			return uniqField(&env.correl)
		case "location":
			return strField(&env.location)
		case "properties":
			sawProps = true
			return s.object(props)
		case "records", "value":
			return false
		}
		return !folds(k, topKeys) && s.skip()
	})
	if !ok || !sawProps {
		return Item{}, false
	}
	s.ws()
	if s.i != len(s.b) {
		return Item{}, false
	}
	kind, known := ParseKind(env.category)
	if !known || kind == "" {
		return Item{}, false
	}
	if !g.statusSeen {
		return Item{}, false // the code is in resultType: the general decoder
	}
	r := &Record{
		ID: g.id, Kind: kind, Format: FormatEventHub, AppID: g.appID, AppName: g.appName,
		SPID: g.spID, SPName: g.spName, ResourceID: g.resID, ResourceName: g.resName,
		UserID: g.userID, UserPrincipal: g.upn, UserName: g.userName, IP: firstOf(g.ip, env.callerIP),
		Code: g.code, FailureReason: g.reason, CredentialType: g.credType, CredentialKeyID: g.keyID,
		CredentialThumbprint: g.thumb, FederatedCredentialID: g.fic, CorrelationID: firstOf(g.correl, env.correl),
		RequestID: firstOf(g.reqID, g.id), CAStatus: g.ca, TenantID: firstOf(g.tenant, env.tenant, g.resTenant),
		Location: joinNonEmpty(", ", g.city, g.state, g.country),
	}
	if r.Location == "" {
		r.Location = env.location
	}
	if r.FailureReason == "" && r.Code != 0 {
		r.FailureReason = env.resultDesc
	}
	when := g.created
	if when == "" {
		when = env.time
	}
	t, err := h.parseTime(when)
	if err != nil {
		return Item{}, false
	}
	r.Time = t
	r.Outcome = OutcomeOf(r.Code)
	if r.ID == "" {
		r.ID = hashID(line)
	}
	r.Raw = line
	return Item{SignIn: r}, true
}

// The keys the general decoder reads at each level. encoding/json matches
// keys case-insensitively, so another spelling of one of them sends the
// record to the general decoder, and the two never disagree.
var (
	topKeys = []string{"time", "category", "tenantId", "resultType", "resultDescription", "callerIpAddress", "correlationId",
		"location", "properties", "records", "value", "@odata.context", "createdDateTime", "activityDateTime", "TimeGenerated",
		"CreationTime", "Workload"}
	propKeys = []string{"id", "createdDateTime", "appId", "appDisplayName", "servicePrincipalId", "servicePrincipalName",
		"resourceId", "resourceDisplayName", "userId", "userPrincipalName", "userDisplayName", "ipAddress", "clientCredentialType",
		"servicePrincipalCredentialKeyId", "servicePrincipalCredentialThumbprint", "federatedCredentialId", "correlationId",
		"originalRequestId", "conditionalAccessStatus", "tenantId", "resourceTenantId", "tokenIssuerType", "isInteractive",
		"managedServiceIdentity", "signInEventTypes", "status", "location"}
	statusKeys   = []string{"errorCode", "failureReason"}
	locationKeys = []string{"city", "state", "countryOrRegion", "country"}
)

// folds reports whether k is another spelling of one of keys.
func folds(k []byte, keys []string) bool {
	for _, known := range keys {
		if len(k) == len(known) && string(k) != known && bytes.EqualFold(k, []byte(known)) {
			return true
		}
	}
	// Unicode folding can change lengths (K and the Kelvin sign): keys
	// outside ASCII go to the general decoder.
	for _, c := range k {
		if c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}
