package web

import (
	"fmt"
	"html"
	"html/template"
	"strings"
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
	barW := slot * 0.7
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
			fmt.Fprintf(&sb, `<text x="%.1f" y="%.0f" text-anchor="middle">%s</text>`, x+barW/2, h-bottom+16, html.EscapeString(b.Label))
		}
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String())
}
