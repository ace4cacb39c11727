package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aadsts/aadsts/signins"
)

const (
	maxRecentFailures = 50
	maxChartBuckets   = 180
	changeWindow      = 24 * time.Hour
)

// breakdowns are the groupings the Sign-ins page offers, in menu order.
var breakdowns = []signins.By{signins.ByCode, signins.ByApp, signins.ByCredential, signins.BySP, signins.ByResource, signins.ByIP}

type signinsView struct {
	Store      string
	Total      int
	Failures   int
	By         signins.By
	Bys        []signins.By
	Code       int
	App        string
	Kind       signins.Kind
	Kinds      []signins.Kind
	FilterDesc string
	Chart      template.HTML
	ChartUnit  string
	Groups     []signins.Group
	Recent     []signins.Record
	Changes    []signins.Change
	Imported   *importSummary
	Now        time.Time
}

// importSummary is what the page says after an import (read back from the
// redirect's query, so a reload does not import again).
type importSummary struct {
	File                         string
	Added, Duplicates, Bad, Read int
}

func (s *Server) signinsPage(w http.ResponseWriter, r *http.Request) {
	st := s.opts.Parts.SignIns
	q := r.URL.Query()
	v := signinsView{Store: s.opts.Parts.StoreName, Bys: breakdowns, By: signins.ByCode, Kinds: signins.Kinds(), Now: s.opts.Now()}
	if st == nil {
		s.render(w, r, "signins.html", pageData{Title: "Sign-ins", Nav: "signins", Data: v})
		return
	}
	if b := q.Get("by"); b != "" {
		by, err := signins.ParseBy(b)
		if err != nil || by == signins.ByDay || by == signins.ByHour {
			s.fail(w, r, http.StatusBadRequest, "Unknown breakdown "+strconv.Quote(b)+": choose code, app, credential, sp, resource or ip.", nil)
			return
		}
		v.By = by
	}
	var f signins.Filter
	if c := q.Get("code"); c != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(strings.ToUpper(c), "AADSTS"))
		if err != nil || n < 0 {
			s.fail(w, r, http.StatusBadRequest, "Not an AADSTS code: "+strconv.Quote(c)+".", nil)
			return
		}
		f.Codes, v.Code = []int{n}, n
	}
	if a := strings.TrimSpace(q.Get("app")); a != "" {
		f.Apps, v.App = []string{a}, a
	}
	if k := q.Get("kind"); k != "" {
		kind, ok := signins.ParseKind(k)
		if !ok {
			s.fail(w, r, http.StatusBadRequest, "Unknown sign-in log "+strconv.Quote(k)+".", nil)
			return
		}
		f.Kinds, v.Kind = []signins.Kind{kind}, kind
	}
	v.FilterDesc = describeFilter(v.Code, v.App, v.Kind)
	v.Imported = importedFrom(q)
	ctx := r.Context()
	var err error
	if v.Total, err = st.Count(ctx, f); err != nil {
		s.fail(w, r, http.StatusInternalServerError, "The sign-in store could not be read.", err)
		return
	}
	ff := f
	ff.Outcomes = []signins.Outcome{signins.OutcomeFailure}
	if v.Failures, err = st.Count(ctx, ff); err != nil {
		s.fail(w, r, http.StatusInternalServerError, "The sign-in store could not be read.", err)
		return
	}
	if v.Groups, err = st.Report(ctx, signins.Query{Filter: f, By: v.By}); err != nil {
		s.fail(w, r, http.StatusInternalServerError, "The sign-in report failed.", err)
		return
	}
	sort.SliceStable(v.Groups, func(i, j int) bool { return v.Groups[i].Failures > v.Groups[j].Failures })
	buckets, last, unit, err := s.timeBuckets(r, f)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "The sign-in timeline failed.", err)
		return
	}
	v.ChartUnit = unit
	v.Chart = stackedBars("Sign-ins per "+unit+": failures, interrupts and successes", buckets)
	if !last.IsZero() {
		ff.Since, ff.Newest = last.Add(-7*24*time.Hour), true
		if v.Recent, err = st.SignIns(ctx, ff, maxRecentFailures); err != nil {
			s.fail(w, r, http.StatusInternalServerError, "The sign-in store could not be read.", err)
			return
		}
	}
	if v.Changes, err = signins.Changes(ctx, st, time.Time{}, time.Time{}, changeWindow); err != nil {
		s.fail(w, r, http.StatusInternalServerError, "The what-changed analysis failed.", err)
		return
	}
	s.render(w, r, "signins.html", pageData{Title: "Sign-ins", Nav: "signins", Data: v})
}

// period is a chart bucket size: how to find a bucket's start and the next.
type period struct {
	unit   string
	layout string
	trunc  func(time.Time) time.Time
	next   func(time.Time) time.Time
	min    int // fewest buckets drawn, so one busy bucket is not a wall
}

var (
	hourly = period{"hour", "Jan 2 15:04", func(t time.Time) time.Time { return t.Truncate(time.Hour) },
		func(t time.Time) time.Time { return t.Add(time.Hour) }, 24}
	daily = period{"day", "Jan 2", func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) },
		func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }, 14}
	weekly = period{"week", "Jan 2 2006", func(t time.Time) time.Time {
		d := daily.trunc(t)
		return d.AddDate(0, 0, -int((d.Weekday()+6)%7)) // Monday
	}, func(t time.Time) time.Time { return t.AddDate(0, 0, 7) }, 8}
	monthly = period{"month", "Jan 2006", func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC) },
		func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }, 6}
)

// timeBuckets charts the sign-ins matching f: per hour when they span three
// days or less (from the hourly report), else per day, week or month (summed
// from the daily report), with the gaps filled so the x axis is honest. It
// returns the buckets, the start of the last one and the unit.
func (s *Server) timeBuckets(r *http.Request, f signins.Filter) ([]Bucket, time.Time, string, error) {
	st := s.opts.Parts.SignIns
	groups, err := st.Report(r.Context(), signins.Query{Filter: f, By: signins.ByDay})
	if err != nil {
		return nil, time.Time{}, "", err
	}
	first, last := groupSpan(groups)
	if last.IsZero() {
		return nil, time.Time{}, daily.unit, nil
	}
	var p period
	switch span := last.Sub(first); {
	case span <= 3*24*time.Hour:
		p = hourly
		if groups, err = st.Report(r.Context(), signins.Query{Filter: f, By: signins.ByHour}); err != nil {
			return nil, time.Time{}, "", err
		}
	case span <= maxChartBuckets*24*time.Hour:
		p = daily
	case span <= maxChartBuckets*7*24*time.Hour:
		p = weekly
	default:
		p = monthly
	}
	sums := map[time.Time]*Bucket{}
	first, last = time.Time{}, time.Time{}
	for _, g := range groups {
		t, ok := groupTime(g.Key)
		if !ok {
			continue
		}
		t = p.trunc(t)
		b := sums[t]
		if b == nil {
			b = &Bucket{}
			sums[t] = b
		}
		b.Failures += g.Failures
		b.Interrupts += g.Interrupts
		b.OK += g.Count - g.Failures - g.Interrupts
		if first.IsZero() || t.Before(first) {
			first = t
		}
		if t.After(last) {
			last = t
		}
	}
	// Start early enough for p.min buckets, late enough for at most
	// maxChartBuckets.
	start := last
	for n := 1; n < maxChartBuckets; n++ {
		prev := p.trunc(start.Add(-time.Nanosecond))
		if prev.Before(first) && n >= p.min {
			break
		}
		start = prev
	}
	var out []Bucket
	for t := start; !t.After(last); t = p.next(t) {
		b := Bucket{Label: t.Format(p.layout)}
		if sb := sums[t]; sb != nil {
			b.Failures, b.Interrupts, b.OK = sb.Failures, sb.Interrupts, sb.OK
		}
		out = append(out, b)
	}
	return out, last, p.unit, nil
}

func groupTime(key string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339, key)
	if err != nil {
		if t, err = time.Parse("2006-01-02", key); err != nil {
			return time.Time{}, false
		}
	}
	return t.UTC(), true
}

func groupSpan(groups []signins.Group) (first, last time.Time) {
	for _, g := range groups {
		t, ok := groupTime(g.Key)
		if !ok {
			continue
		}
		if first.IsZero() || t.Before(first) {
			first = t
		}
		if t.After(last) {
			last = t
		}
	}
	return first, last
}

func importedFrom(q url.Values) *importSummary {
	if q.Get("imported") == "" {
		return nil
	}
	n := func(k string) int { v, _ := strconv.Atoi(q.Get(k)); return v }
	return &importSummary{File: q.Get("file"), Added: n("imported"), Duplicates: n("duplicates"), Bad: n("bad"), Read: n("read")}
}

// signinsImport stores an uploaded export in the sign-in store: the one
// place the UI keeps what the user gave it, because they asked to.
func (s *Server) signinsImport(w http.ResponseWriter, r *http.Request) {
	st := s.opts.Parts.SignIns
	if st == nil {
		s.fail(w, r, http.StatusNotFound, "No sign-in store is open: start aadsts serve with --db.", nil)
		return
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, "Choose a sign-in export to import (JSON, NDJSON or CSV, gzip or not).", nil)
		return
	}
	defer f.Close()
	res, err := signins.Import(r.Context(), st, f, hdr.Filename, signins.ImportOptions{})
	if err != nil {
		if errors.Is(err, signins.ErrUnknownFormat) {
			s.fail(w, r, http.StatusUnprocessableEntity, hdr.Filename+" is not a sign-in or audit log export this tool knows (Graph, diagnostic settings, Log Analytics or portal, JSON or CSV).", nil)
			return
		}
		s.fail(w, r, http.StatusUnprocessableEntity, "Could not import "+hdr.Filename+".", err)
		return
	}
	q := url.Values{}
	q.Set("imported", strconv.Itoa(res.SignInsAdded+res.AuditsAdded))
	q.Set("duplicates", strconv.Itoa(res.Duplicates))
	q.Set("bad", strconv.Itoa(res.BadCount))
	q.Set("read", strconv.Itoa(res.Read))
	q.Set("file", hdr.Filename)
	http.Redirect(w, r, "/signins?"+q.Encode(), http.StatusSeeOther)
}

type signinView struct {
	ID      string
	Records []signins.Record
	Raw     []string
}

// signinRecord drills down to one sign-in: every normalized field and the
// record as it was imported.
func (s *Server) signinRecord(w http.ResponseWriter, r *http.Request) {
	st := s.opts.Parts.SignIns
	if st == nil {
		s.fail(w, r, http.StatusNotFound, "No sign-in store is open.", nil)
		return
	}
	id := r.PathValue("id")
	recs, err := st.SignIn(r.Context(), id)
	if errors.Is(err, signins.ErrNotFound) || (err == nil && len(recs) == 0) {
		s.fail(w, r, http.StatusNotFound, "No sign-in with id "+strconv.Quote(id)+" is in the store.", nil)
		return
	}
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "The sign-in store could not be read.", err)
		return
	}
	v := signinView{ID: id, Records: recs}
	for _, rec := range recs {
		var b bytes.Buffer
		if len(rec.Raw) == 0 || json.Indent(&b, rec.Raw, "", "  ") != nil {
			v.Raw = append(v.Raw, string(rec.Raw))
			continue
		}
		v.Raw = append(v.Raw, b.String())
	}
	s.render(w, r, "signin.html", pageData{Title: "Sign-in " + id, Nav: "signins", Data: v})
}

func describeFilter(code int, app string, kind signins.Kind) string {
	var parts []string
	if kind != "" {
		parts = append(parts, string(kind)+" sign-ins")
	}
	if code != 0 {
		parts = append(parts, fmt.Sprintf("AADSTS%d", code))
	}
	if app != "" {
		parts = append(parts, "app "+app)
	}
	return strings.Join(parts, ", ")
}
