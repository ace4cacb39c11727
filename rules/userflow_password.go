package rules

import (
	"crypto/subtle"
	"strings"

	"github.com/aadsts/aadsts/directory"
)

// errUserDisabled is 50057 in the reference wording (not yet observed on
// the wire).
func errUserDisabled() entraError {
	return entraError{50057, ErrInvalidGrant, "The user account is disabled."}
}

// PasswordSignIn is a username and password presented to the sign-in page
// or the resource owner password grant.
type PasswordSignIn struct {
	Tenant             *directory.Tenant
	Username, Password string
}

// PasswordResult is the outcome of CheckPassword.
type PasswordResult struct {
	Result
	// User is the signed-in user when accepted.
	User *directory.User
}

// CheckPassword checks a username/password sign-in against the directory:
// a user of the tenant (50034) whose password matches (50126), with the
// account enabled (50057, told only to who knows the password). Only the
// emulator's directory holds passwords; the comparison is constant-time
// and no value is put in a finding.
func CheckPassword(in PasswordSignIn) PasswordResult {
	var out PasswordResult
	var user *directory.User
	if in.Tenant != nil && in.Username != "" {
		for i := range in.Tenant.Users {
			if strings.EqualFold(in.Tenant.Users[i].UserPrincipalName, in.Username) {
				user = &in.Tenant.Users[i]
			}
		}
	}
	if user == nil {
		name := ""
		if in.Tenant != nil {
			name = in.Tenant.ID
		}
		if _, domain, ok := strings.Cut(in.Username, "@"); ok {
			name = domain
		}
		out.add(fail("password.user", errUserNotFound(name), "no user of the tenant has this user principal name",
			"Check the user name, and that the user is a member (or guest) of this tenant."))
		return out
	}
	out.add(pass("password.user", "a user of the tenant"))
	pp := user.PasswordProfile
	if pp == nil || pp.Password == "" || subtle.ConstantTimeCompare([]byte(pp.Password), []byte(in.Password)) != 1 {
		out.add(fail("password.match", errBadPassword(), "the password does not match",
			"Check the password; accounts with MFA or federated domains cannot use the password grant."))
		return out
	}
	out.add(pass("password.match", "the password matches"))
	if user.AccountEnabled != nil && !*user.AccountEnabled {
		out.add(fail("password.enabled", errUserDisabled(), "the user's accountEnabled is false",
			"An administrator must enable the account (accountEnabled) before the user can sign in."))
		return out
	}
	out.add(pass("password.enabled", "the account is enabled"))
	out.User = user
	return out
}
