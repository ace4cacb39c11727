package audit

import (
	"context"
	"fmt"
	"time"

	"github.com/aadsts/aadsts/directory"
)

// SignInActivity tells when a credential was last used to sign in: the
// latest service-principal sign-in of appID whose
// servicePrincipalCredentialKeyId is keyID. found is false when none is
// recorded. A sign-in store satisfies it.
type SignInActivity interface {
	LastSignIn(ctx context.Context, appID, keyID string) (last time.Time, found bool, err error)
}

// unused flags active application credentials not used within UnusedAfter.
// Credentials younger than the window are not judged.
func (r *run) unused(ctx context.Context, o owner, a *directory.Application) error {
	cutoff := r.o.Now.Add(-r.o.UnusedAfter)
	check := func(c credential) error {
		if !r.isActive(c) || c.keyID == "" || (!c.start.IsZero() && c.start.After(cutoff)) {
			return nil
		}
		last, found, err := r.o.SignIns.LastSignIn(ctx, a.AppID, c.keyID)
		if err != nil {
			return fmt.Errorf("sign-in activity of app %s key %s: %w", a.AppID, c.keyID, err)
		}
		if found && last.After(cutoff) {
			return nil
		}
		when := "no sign-in is recorded"
		if found {
			when = fmt.Sprintf("the last sign-in was on %s", date(last))
		}
		f := Finding{KeyID: c.keyID, CredentialType: c.kind, CredentialName: c.name}
		if !c.end.IsZero() {
			f.Expires = timePtr(c.end)
		}
		r.add(o, RuleUnused, Warning,
			fmt.Sprintf("The %s of %s was not used to sign in for %s: %s.", c.label(), o.label(), days(r.o.UnusedAfter), when),
			"If nothing needs it, remove it: "+fixRemoveSecretOrKey(o, c), f)
		return nil
	}
	for _, p := range a.PasswordCredentials {
		if err := check(credential{keyID: p.KeyID, name: p.DisplayName, kind: CredSecret, start: p.Start, end: p.End}); err != nil {
			return err
		}
	}
	for _, k := range a.KeyCredentials {
		if k.Usage != "" && k.Usage != directory.KeyUsageVerify {
			continue
		}
		if err := check(credential{keyID: k.KeyID, name: k.DisplayName, kind: CredCertificate, start: k.Start, end: k.End}); err != nil {
			return err
		}
	}
	return nil
}

func fixRemoveSecretOrKey(o owner, c credential) string {
	if c.kind == CredSecret {
		return fixRemoveSecret(o, c.keyID)
	}
	return fixRemoveKey(o, c.keyID)
}
