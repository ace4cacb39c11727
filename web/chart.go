package web

import (
	"fmt"
	"html"
	"html/template"
	"slices"
	"strings"
	"time"
)

// Bucket is one bar of a stacked chart: a time slot with its counts.
type Bucket struct {
	Label                    string
	Failures, Interrupts, OK int
}

// stackedBars renders buckets as an accessible server-side SVG: no script,
// no external library. Labels are escaped; the chart carries a title and a
// description for screen readers.
func stackedBars(title string, buckets []Bucket) template.HTML {
	const w, h, left, bottom, top = 720.0, 220.0, 44.0, 28.0, 10.0
	max := 0
	for _, b := range buckets {
		if t := b.Failures + b.Interrupts + b.OK; t > max {
			max = t
		}
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg viewBox="0 0 %.0f %.0f" role="img" aria-labelledby="chart-t chart-d" xmlns="http://www.w3.org/2000/svg">`, w, h)
	fmt.Fprintf(&sb, `<title id="chart-t">%s</title>`, html.EscapeString(title))
	total := [3]int{}
	for _, b := range buckets {
		total[0] += b.Failures
		total[1] += b.Interrupts
		total[2] += b.OK
	}
	fmt.Fprintf(&sb, `<desc id="chart-d">%d buckets: %d failures, %d interrupts, %d successes</desc>`, len(buckets), total[0], total[1], total[2])
	plotH := h - bottom - top
	fmt.Fprintf(&sb, `<line class="axis" x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f"/>`, left, h-bottom, w, h-bottom)
	if max == 0 || len(buckets) == 0 {
		sb.WriteString(`<text x="50%" y="50%" text-anchor="middle">no sign-ins in this range</text></svg>`)
		return template.HTML(sb.String())
	}
	fmt.Fprintf(&sb, `<text x="%.0f" y="%.0f" text-anchor="end">%d</text>`, left-6, top+8, max)
	fmt.Fprintf(&sb, `<text x="%.0f" y="%.0f" text-anchor="end">0</text>`, left-6, h-bottom)
	slot := (w - left) / float64(len(buckets))
	barW := min(slot*0.7, 48)
	if barW < 1 {
		barW = 1
	}
	every := len(buckets)/8 + 1
	for i, b := range buckets {
		x := left + float64(i)*slot + (slot-barW)/2
		y := h - bottom
		for _, part := range []struct {
			n     int
			class string
			what  string
		}{{b.OK, "bar-ok", "successes"}, {b.Interrupts, "bar-int", "interrupts"}, {b.Failures, "bar-fail", "failures"}} {
			if part.n == 0 {
				continue
			}
			ph := plotH * float64(part.n) / float64(max)
			y -= ph
			fmt.Fprintf(&sb, `<rect class="%s" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s: %d %s</title></rect>`,
				part.class, x, y, barW, ph, html.EscapeString(b.Label), part.n, part.what)
		}
		if i%every == 0 {
			// Alternate ticks hide on narrow screens (app.css), and the
			// ticks at the edges are anchored inward so they are not cut.
			class, anchor := "tick", "middle"
			if (i/every)%2 == 1 {
				class = "tick odd"
			}
			cx := x + barW/2
			switch {
			case cx > w-40:
				anchor, cx = "end", w
			case cx < left+30:
				anchor, cx = "start", left
			}
			fmt.Fprintf(&sb, `<text class="%s" x="%.1f" y="%.0f" text-anchor="%s">%s</text>`, class, cx, h-bottom+16, anchor, html.EscapeString(b.Label))
		}
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String())
}

// Expiry is one credential on the expiry timeline.
type Expiry struct {
	Label string
	End   time.Time
}

// maxTimelineRows caps the timeline; the soonest expiries are kept.
const maxTimelineRows = 60

// expiryTimeline renders when credentials expire as an SVG: one row per
// credential, a dot at its end date, a line for today. Expired rows use the
// failure colour, rows within 30 days the warning colour.
func expiryTimeline(title string, items []Expiry, now time.Time) template.HTML {
	items = slices.Clone(items)
	slices.SortStableFunc(items, func(a, b Expiry) int { return a.End.Compare(b.End) })
	if len(items) > maxTimelineRows {
		items = items[:maxTimelineRows]
	}
	const w, left, right, rowH, top = 760.0, 300.0, 20.0, 22.0, 24.0
	h := top + rowH*float64(max(len(items), 1)) + 24
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg viewBox="0 0 %.0f %.0f" role="img" aria-labelledby="tl-t tl-d" xmlns="http://www.w3.org/2000/svg">`, w, h)
	fmt.Fprintf(&sb, `<title id="tl-t">%s</title>`, html.EscapeString(title))
	expired, soon := 0, 0
	for _, it := range items {
		switch {
		case it.End.Before(now):
			expired++
		case it.End.Before(now.Add(30 * 24 * time.Hour)):
			soon++
		}
	}
	fmt.Fprintf(&sb, `<desc id="tl-d">%d credentials: %d expired, %d expire within 30 days</desc>`, len(items), expired, soon)
	if len(items) == 0 {
		sb.WriteString(`<text x="50%" y="50%" text-anchor="middle">no credentials with an end date</text></svg>`)
		return template.HTML(sb.String())
	}
	from, to := now.AddDate(0, 0, -30), now.AddDate(0, 0, 90)
	if e := items[0].End; e.Before(from) {
		from = e
	}
	if e := items[len(items)-1].End; e.After(to) {
		to = e
	}
	span := to.Sub(from).Seconds()
	x := func(t time.Time) float64 { return left + (w-left-right)*t.Sub(from).Seconds()/span }
	fmt.Fprintf(&sb, `<text x="%.1f" y="14" text-anchor="start">%s</text>`, left, from.Format("2006-01-02"))
	fmt.Fprintf(&sb, `<text x="%.1f" y="14" text-anchor="end">%s</text>`, w-right, to.Format("2006-01-02"))
	for k := 1; k < 4; k++ { // three ticks between the ends
		t := from.Add(time.Duration(float64(to.Sub(from)) * float64(k) / 4))
		fmt.Fprintf(&sb, `<text class="odd" x="%.1f" y="14" text-anchor="middle">%s</text>`, x(t), t.Format("2006-01"))
	}
	for i, it := range items {
		y := top + rowH*float64(i) + rowH/2
		class := "tl-ok"
		switch {
		case it.End.Before(now):
			class = "tl-bad"
		case it.End.Before(now.Add(30 * 24 * time.Hour)):
			class = "tl-warn"
		}
		fmt.Fprintf(&sb, `<line class="grid" x1="%.0f" y1="%.1f" x2="%.0f" y2="%.1f"/>`, left, y, w-right, y)
		fmt.Fprintf(&sb, `<text x="%.0f" y="%.1f" text-anchor="end" dominant-baseline="middle">%s</text>`, left-8, y, html.EscapeString(clip(it.Label, 44)))
		fmt.Fprintf(&sb, `<circle class="%s" cx="%.1f" cy="%.1f" r="6"><title>%s: ends %s</title></circle>`,
			class, x(it.End), y, html.EscapeString(it.Label), it.End.Format("2006-01-02"))
	}
	nx := x(now)
	fmt.Fprintf(&sb, `<line class="today" x1="%.1f" y1="%.0f" x2="%.1f" y2="%.1f"/>`, nx, top-4, nx, h-20)
	fmt.Fprintf(&sb, `<text x="%.1f" y="%.1f" text-anchor="middle">today</text>`, nx, h-6)
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String())
}

// clip shortens s to n runes with an ellipsis.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
