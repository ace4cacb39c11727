package audit

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aadsts/aadsts/directory"
)

// Options tunes the audit. Build it with DefaultOptions and change fields.
type Options struct {
	// Now is the time the audit is run at; it must be set.
	Now time.Time
	// WarnWithin and CriticalWithin are the expiry windows.
	WarnWithin, CriticalWithin time.Duration
	// MaxSecretLifetime and MaxCertLifetime are the lifetime policy; zero
	// disables the rule.
	MaxSecretLifetime, MaxCertLifetime time.Duration
	// MaxFICs is the per-application federated credential limit.
	MaxFICs int
	// SignIns, when set, enables the unused-credential rule with
	// UnusedAfter as its window.
	SignIns     SignInActivity
	UnusedAfter time.Duration
}

// Day is 24 hours, the unit of the thresholds.
const Day = 24 * time.Hour

// DefaultOptions returns the documented defaults: warn 30 days before
// expiry, critical 7 days before, secrets at most 1 year, certificates at
// most 2 years, 20 federated credentials per app, unused after 90 days.
func DefaultOptions(now time.Time) Options {
	return Options{
		Now:               now,
		WarnWithin:        30 * Day,
		CriticalWithin:    7 * Day,
		MaxSecretLifetime: 365 * Day,
		MaxCertLifetime:   2 * 365 * Day,
		MaxFICs:           20,
		UnusedAfter:       90 * Day,
	}
}

// ErrOptions is wrapped by Run's error when options are inconsistent.
var ErrOptions = errors.New("invalid audit options")

// Validate reports inconsistent options.
func (o Options) Validate() error {
	var probs []string
	if o.Now.IsZero() {
		probs = append(probs, "now is not set")
	}
	if o.WarnWithin < 0 || o.CriticalWithin < 0 || o.MaxSecretLifetime < 0 || o.MaxCertLifetime < 0 {
		probs = append(probs, "durations must not be negative")
	}
	if o.CriticalWithin > o.WarnWithin {
		probs = append(probs, fmt.Sprintf("critical window (%s) is longer than the warning window (%s)", days(o.CriticalWithin), days(o.WarnWithin)))
	}
	if len(probs) > 0 {
		return fmt.Errorf("%w: %s", ErrOptions, strings.Join(probs, "; "))
	}
	return nil
}

// Run applies every rule to every application and service principal of d
// and returns the findings, most severe first.
func Run(ctx context.Context, d *directory.Directory, o Options) ([]Finding, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	var out []Finding
	for ti := range d.Tenants {
		t := &d.Tenants[ti]
		r := &run{o: o, t: t}
		// Most credentials of a neglected tenant yield a finding or two.
		n := len(t.Applications) + len(t.ServicePrincipals)
		for ai := range t.Applications {
			n += len(t.Applications[ai].PasswordCredentials) + len(t.Applications[ai].KeyCredentials)
		}
		r.findings = make([]Finding, 0, n+n/4)
		for ai := range t.Applications {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			r.application(ctx, &t.Applications[ai])
		}
		for si := range t.ServicePrincipals {
			r.servicePrincipal(&t.ServicePrincipals[si])
		}
		if r.err != nil {
			return nil, r.err
		}
		out = append(out, r.findings...)
	}
	Sort(out)
	return out, nil
}

// Sort orders findings by severity (most severe first), then name, app,
// rule, credential and message. Findings are large, so an index is sorted
// and the slice permuted once.
func Sort(fs []Finding) {
	idx := make([]int, len(fs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return less(&fs[idx[i]], &fs[idx[j]]) })
	out := make([]Finding, len(fs))
	for i, k := range idx {
		out[i] = fs[k]
	}
	copy(fs, out)
}

func less(a, b *Finding) bool {
	if a.Severity != b.Severity {
		return a.Severity > b.Severity
	}
	if a.DisplayName != b.DisplayName {
		return a.DisplayName < b.DisplayName
	}
	if a.AppID != b.AppID {
		return a.AppID < b.AppID
	}
	if a.Rule != b.Rule {
		return a.Rule < b.Rule
	}
	return a.KeyID < b.KeyID
}

// Worst returns the highest severity among fs, or 0 when fs is empty.
func Worst(fs []Finding) Severity {
	var w Severity
	for _, f := range fs {
		if f.Severity > w {
			w = f.Severity
		}
	}
	return w
}

type run struct {
	o        Options
	t        *directory.Tenant
	findings []Finding
	err      error
}

// owner is what credential rules need to know about an application or a
// service principal.
type owner struct {
	typ, appID, objectID, name, source string
	synthetic                          bool
	portalText                         string // portal(o), built once
}

func (r *run) add(o owner, rule string, sev Severity, msg, fix string, f Finding) {
	f.Rule, f.Severity, f.Message, f.Fix = rule, sev, msg, fix
	f.AppID, f.ObjectID, f.ObjectType, f.DisplayName, f.Source = o.appID, o.objectID, o.typ, o.name, o.source
	f.TenantID = r.t.ID
	r.findings = append(r.findings, f)
}

func (o owner) label() string {
	what := "app"
	if o.typ == ObjectServicePrincipal {
		what = "service principal"
	}
	if o.synthetic {
		return "credentials listed in " + o.source
	}
	if o.name != "" {
		return what + " " + strconv.Quote(o.name) + " (" + orUnknown(o.appID) + ")"
	}
	return what + " " + orUnknown(o.appID)
}

func orUnknown(s string) string {
	if s == "" {
		return "appId unknown"
	}
	return s
}

func (r *run) application(ctx context.Context, a *directory.Application) {
	o := owner{typ: ObjectApplication, appID: a.AppID, objectID: a.ID, name: a.DisplayName, source: a.Source, synthetic: a.Synthetic}
	o.portalText = portal(o)
	r.passwords(o, a.PasswordCredentials)
	r.keys(o, a.KeyCredentials)
	r.federated(o, a.FederatedIdentityCredentials)
	r.permissions(o, a)
	if r.o.SignIns != nil && r.o.UnusedAfter > 0 && a.AppID != "" {
		if err := r.unused(ctx, o, a); err != nil && r.err == nil {
			r.err = err
		}
	}
}

func (r *run) servicePrincipal(sp *directory.ServicePrincipal) {
	name := sp.DisplayName
	if name == "" {
		name = sp.AppDisplayName
	}
	o := owner{typ: ObjectServicePrincipal, appID: sp.AppID, objectID: sp.ID, name: name, source: sp.Source}
	o.portalText = portal(o)
	if strings.EqualFold(sp.ServicePrincipalType, "ManagedIdentity") {
		// Azure issues and rotates a managed identity's certificates
		// itself (roughly every 90 days); nobody can or needs to act on
		// them, so `az ad sp list --all` output reports nothing for them.
		return
	}
	secrets := clientSecrets(sp)
	r.passwords(o, secrets)
	r.keys(o, sp.KeyCredentials)
	r.spSecrets(o, secrets)
}

func days(d time.Duration) string {
	n := int(d / Day)
	if n == 1 {
		return "1 day"
	}
	return strconv.Itoa(n) + " days"
}

func date(t time.Time) string { return t.UTC().Format("2006-01-02") }

func timePtr(t time.Time) *time.Time { t = t.UTC(); return &t }
