package signins

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// Change is a credential change of an app followed by failures of that
// app that were not there before it.
type Change struct {
	Audit AuditEvent
	AppID string
	// Failures after the change, within the window.
	Failures     int
	FirstFailure time.Time
	LastFailure  time.Time
	// FailuresBefore counts the app's failures in the same window before
	// the change.
	FailuresBefore int
	// NewCodes are the codes failing after the change and not before.
	NewCodes []CodeCount
	// Credentials are the credentials (key id, thumbprint or federated
	// credential id) used by the failing sign-ins.
	Credentials []CredentialCount
}

// CodeCount is a code and how many sign-ins had it.
type CodeCount struct {
	Code  int `json:"code"`
	Count int `json:"count"`
}

// CredentialCount is a credential seen in failing sign-ins, and what the
// change did to it ("added", "removed", or "" when the change did not
// touch it).
type CredentialCount struct {
	Credential string `json:"credential"`
	Type       string `json:"type,omitempty"`
	Count      int    `json:"count"`
	Changed    string `json:"changed,omitempty"`
}

// Changes finds the credential changes between since and until (zero for
// unbounded) after which an app started failing within window.
func Changes(ctx context.Context, st Store, since, until time.Time, window time.Duration) ([]Change, error) {
	if window <= 0 {
		return nil, fmt.Errorf("changes: window %s must be positive", window)
	}
	audits, err := st.Audits(ctx, AuditFilter{Since: since, Until: until, CredentialOnly: true})
	if err != nil {
		return nil, err
	}
	var out []Change
	for _, a := range audits {
		apps := nonEmpty(a.AppID, a.TargetName)
		if len(apps) == 0 {
			continue
		}
		fail := []Outcome{OutcomeFailure}
		after, err := st.SignIns(ctx, Filter{Since: a.Time, Until: a.Time.Add(window), Apps: apps, Outcomes: fail}, 0)
		if err != nil {
			return nil, err
		}
		if len(after) == 0 {
			continue
		}
		before, err := st.SignIns(ctx, Filter{Since: a.Time.Add(-window), Until: a.Time, Apps: apps, Outcomes: fail}, 0)
		if err != nil {
			return nil, err
		}
		c := Change{Audit: a, AppID: firstOf(a.AppID, after[0].AppID), Failures: len(after), FailuresBefore: len(before),
			FirstFailure: after[0].Time, LastFailure: after[len(after)-1].Time}
		old := map[int]bool{}
		for _, r := range before {
			old[r.Code] = true
		}
		codes := map[int]int{}
		creds := map[string]*CredentialCount{}
		changed := map[string]string{}
		for _, k := range a.Keys {
			changed[k.KeyID] = k.Action
		}
		for _, r := range after {
			if !old[r.Code] {
				codes[r.Code]++
			}
			if cr := r.Credential(); cr != "" {
				if creds[cr] == nil {
					creds[cr] = &CredentialCount{Credential: cr, Type: r.CredentialType, Changed: changed[cr]}
				}
				creds[cr].Count++
			}
		}
		if len(codes) == 0 {
			continue // the same failures as before: not caused by this change
		}
		for code, n := range codes {
			c.NewCodes = append(c.NewCodes, CodeCount{code, n})
		}
		sort.Slice(c.NewCodes, func(i, j int) bool {
			return c.NewCodes[i].Count > c.NewCodes[j].Count || c.NewCodes[i].Count == c.NewCodes[j].Count && c.NewCodes[i].Code < c.NewCodes[j].Code
		})
		for _, cc := range creds {
			c.Credentials = append(c.Credentials, *cc)
		}
		sort.Slice(c.Credentials, func(i, j int) bool {
			return c.Credentials[i].Count > c.Credentials[j].Count || c.Credentials[i].Count == c.Credentials[j].Count && c.Credentials[i].Credential < c.Credentials[j].Credential
		})
		out = append(out, c)
	}
	return out, nil
}

func nonEmpty(vals ...string) []string {
	var out []string
	for _, v := range vals {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}
