package notify

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/aadsts/aadsts/audit"
)

// maxItems bounds chat messages; the generic payload carries every item.
const maxItems = 25

// Reminder is one item of the generic payload.
type Reminder struct {
	Rule           string     `json:"rule"`
	Severity       string     `json:"severity"`
	TenantID       string     `json:"tenant_id,omitempty"`
	AppID          string     `json:"app_id"`
	ObjectID       string     `json:"object_id"`
	ObjectType     string     `json:"object_type"`
	DisplayName    string     `json:"display_name,omitempty"`
	KeyID          string     `json:"key_id,omitempty"`
	CredentialType string     `json:"credential_type,omitempty"`
	CredentialName string     `json:"credential_name,omitempty"`
	Expires        *time.Time `json:"expires,omitempty"`
	DaysLeft       *int       `json:"days_left,omitempty"`
	Message        string     `json:"message"`
	Fix            string     `json:"fix"`
}

// Generic is the generic JSON payload.
type Generic struct {
	Source      string     `json:"source"`
	GeneratedAt time.Time  `json:"generated_at"`
	Summary     string     `json:"summary"`
	Reminders   []Reminder `json:"reminders"`
}

func summary(rs []audit.Finding) string {
	expired, soon := 0, 0
	for _, f := range rs {
		if f.Rule == audit.RuleExpired {
			expired++
		} else {
			soon++
		}
	}
	return fmt.Sprintf("App registration credentials: %d expired, %d expiring soon", expired, soon)
}

func line(f audit.Finding, now time.Time) string {
	name := f.DisplayName
	if name == "" {
		name = f.AppID
	}
	cred := f.CredentialName
	if cred == "" {
		cred = f.KeyID
	}
	when := ""
	if f.Expires != nil {
		if f.Expires.After(now) {
			when = fmt.Sprintf("expires %s (in %d days)", f.Expires.UTC().Format("2006-01-02"), int(f.Expires.Sub(now)/audit.Day))
		} else {
			when = "expired " + f.Expires.UTC().Format("2006-01-02")
		}
	}
	return fmt.Sprintf("%s: %s %s of %s (%s) %s", strings.ToUpper(f.Severity.String()), f.CredentialType, cred, name, f.AppID, when)
}

// Payload builds the request body of format for reminders rs.
func Payload(format string, rs []audit.Finding, now time.Time) ([]byte, error) {
	switch format {
	case FormatGeneric:
		g := Generic{Source: "aadsts audit", GeneratedAt: now.UTC(), Summary: summary(rs), Reminders: []Reminder{}}
		for _, f := range rs {
			r := Reminder{Rule: f.Rule, Severity: f.Severity.String(), TenantID: f.TenantID, AppID: f.AppID, ObjectID: f.ObjectID,
				ObjectType: f.ObjectType, DisplayName: f.DisplayName, KeyID: f.KeyID, CredentialType: f.CredentialType,
				CredentialName: f.CredentialName, Expires: f.Expires, Message: f.Message, Fix: f.Fix}
			if f.Expires != nil {
				d := int(f.Expires.Sub(now) / audit.Day)
				r.DaysLeft = &d
			}
			g.Reminders = append(g.Reminders, r)
		}
		return json.Marshal(g)
	case FormatSlack:
		return json.Marshal(slack(rs, now))
	case FormatTeams:
		return json.Marshal(adaptive(rs, now))
	case FormatMessageCard:
		return json.Marshal(messageCard(rs, now))
	}
	return nil, fmt.Errorf("notify format %q: want one of %s", format, strings.Join(Formats, ", "))
}

func items(rs []audit.Finding, now time.Time) (lines []string, more int) {
	for i, f := range rs {
		if i == maxItems {
			return lines, len(rs) - maxItems
		}
		lines = append(lines, line(f, now))
	}
	return lines, 0
}

func slackEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

func slack(rs []audit.Finding, now time.Time) map[string]any {
	lines, more := items(rs, now)
	var b strings.Builder
	for _, l := range lines {
		b.WriteString("• " + slackEscape(l) + "\n")
	}
	if more > 0 {
		fmt.Fprintf(&b, "…and %d more.\n", more)
	}
	text := b.String()
	if len(text) > 2900 { // a section's text is limited to 3000 characters
		text = text[:2900] + "…"
	}
	return map[string]any{
		"text": summary(rs),
		"blocks": []any{
			map[string]any{"type": "header", "text": map[string]any{"type": "plain_text", "text": "App registration credentials need rotation"}},
			map[string]any{"type": "section", "text": map[string]any{"type": "mrkdwn", "text": text}},
			map[string]any{"type": "context", "elements": []any{map[string]any{"type": "mrkdwn", "text": "aadsts audit, " + now.UTC().Format(time.RFC3339)}}},
		},
	}
}

func adaptive(rs []audit.Finding, now time.Time) map[string]any {
	lines, more := items(rs, now)
	body := []any{
		map[string]any{"type": "TextBlock", "size": "Large", "weight": "Bolder", "text": "App registration credentials need rotation", "wrap": true},
		map[string]any{"type": "TextBlock", "text": summary(rs), "wrap": true},
	}
	for _, l := range lines {
		body = append(body, map[string]any{"type": "TextBlock", "text": "- " + l, "wrap": true, "spacing": "Small"})
	}
	if more > 0 {
		body = append(body, map[string]any{"type": "TextBlock", "text": fmt.Sprintf("…and %d more.", more), "wrap": true})
	}
	return map[string]any{
		"type": "message",
		"attachments": []any{map[string]any{
			"contentType": "application/vnd.microsoft.card.adaptive",
			"contentUrl":  nil,
			"content": map[string]any{
				"$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
				"type":    "AdaptiveCard",
				"version": "1.4",
				"body":    body,
			},
		}},
	}
}

func messageCard(rs []audit.Finding, now time.Time) map[string]any {
	lines, more := items(rs, now)
	var facts []any
	for i, l := range lines {
		facts = append(facts, map[string]any{"name": rs[i].Severity.String(), "value": strings.SplitN(l, ": ", 2)[1]})
	}
	if more > 0 {
		facts = append(facts, map[string]any{"name": "more", "value": fmt.Sprintf("%d more", more)})
	}
	color := "FFA500"
	if audit.Worst(rs) == audit.Critical {
		color = "D00000"
	}
	return map[string]any{
		"@type":      "MessageCard",
		"@context":   "https://schema.org/extensions",
		"summary":    summary(rs),
		"themeColor": color,
		"title":      "App registration credentials need rotation",
		"sections":   []any{map[string]any{"text": summary(rs), "facts": facts}},
	}
}
