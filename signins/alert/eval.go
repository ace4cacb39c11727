package alert

import (
	"context"
	"fmt"
	"time"

	"github.com/aadsts/aadsts/signins"
)

// Result is a rule evaluated at one time.
type Result struct {
	Rule     string    `json:"rule"`
	Severity int       `json:"severity"`
	Fired    bool      `json:"fired"`
	Count    int       `json:"count"`
	Baseline float64   `json:"baseline,omitempty"`
	From     time.Time `json:"from"`
	To       time.Time `json:"to"`
	Reason   string    `json:"reason"`
}

// Evaluate evaluates every rule at now.
func Evaluate(ctx context.Context, st signins.Store, f *File, now time.Time) ([]Result, error) {
	out := make([]Result, 0, len(f.Rules))
	for i := range f.Rules {
		r, err := EvaluateRule(ctx, st, &f.Rules[i], now)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func count(ctx context.Context, st signins.Store, r *Rule, from, to time.Time) (int, error) {
	if r.Match.Source == "audit" {
		evs, err := st.Audits(ctx, signins.AuditFilter{Since: from, Until: to, CredentialOnly: true})
		if err != nil {
			return 0, err
		}
		n := 0
		for _, e := range evs {
			if len(r.Match.Apps) == 0 || contains(r.Match.Apps, e.AppID) || contains(r.Match.Apps, e.TargetName) {
				n++
			}
		}
		return n, nil
	}
	f := r.Filter()
	f.Since, f.Until = from, to
	return st.Count(ctx, f)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s && s != "" {
			return true
		}
	}
	return false
}

// EvaluateRule evaluates one rule over the window ending at now.
func EvaluateRule(ctx context.Context, st signins.Store, r *Rule, now time.Time) (Result, error) {
	w := time.Duration(r.Window)
	res := Result{Rule: r.Name, Severity: r.Severity, From: now.Add(-w), To: now}
	n, err := count(ctx, st, r, res.From, res.To)
	if err != nil {
		return res, fmt.Errorf("rule %s: %w", r.Name, err)
	}
	res.Count = n
	what := "matching sign-ins"
	if r.Match.Source == "audit" {
		what = "credential changes"
	}
	if r.Baseline == 0 {
		res.Fired = n >= r.Threshold
		res.Reason = fmt.Sprintf("%d %s in the %s up to %s (threshold %d)", n, what, w, now.Format(time.RFC3339), r.Threshold)
		return res, nil
	}
	b := time.Duration(r.Baseline)
	before, err := count(ctx, st, r, res.From.Add(-b), res.From)
	if err != nil {
		return res, fmt.Errorf("rule %s: %w", r.Name, err)
	}
	res.Baseline = float64(before) * float64(w) / float64(b)
	res.Fired = n >= r.MinCount && float64(n) > r.Factor*res.Baseline
	res.Reason = fmt.Sprintf("%d %s in the %s up to %s against %.2f per %s over the %s before (factor %.1f, minimum %d)",
		n, what, w, now.Format(time.RFC3339), res.Baseline, w, b, r.Factor, r.MinCount)
	return res, nil
}
