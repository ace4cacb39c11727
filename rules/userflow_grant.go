package rules

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/aadsts/aadsts/directory"
)

func errCodeInvalid() entraError {
	return entraError{70000, ErrInvalidGrant, "The provided value for the 'code' parameter is not valid."}
}

func errCodeExpired() entraError {
	return entraError{70000, ErrInvalidGrant, "The provided value for the 'code' parameter is not valid. The code has expired."}
}

func errCodeRedeemed() entraError {
	return entraError{54005, ErrInvalidGrant, "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token."}
}

func errPKCE() entraError {
	return entraError{501481, ErrInvalidGrant, "The Code_Verifier does not match the code_challenge supplied in the authorization request."}
}

func errCrossOrigin() entraError {
	return entraError{9002326, ErrInvalidRequest, "Cross-origin token redemption is permitted only for the 'Single-Page Application' client-type."}
}

func errRefreshInvalid() entraError {
	return entraError{9002313, ErrInvalidGrant, "Invalid request. Request is malformed or invalid."}
}

// errRefreshInactive is 700082; the inactive span prints as dd.hh:mm:ss.
func errRefreshInactive(issued time.Time, inactive time.Duration) entraError {
	days := int(inactive / (24 * time.Hour))
	rest := inactive - time.Duration(days)*24*time.Hour
	return entraError{700082, ErrInvalidGrant, fmt.Sprintf("The refresh token has expired due to inactivity. The token was issued on %s and was inactive for %02d.%s.",
		entraTime(issued), days, time.Time{}.Add(rest).Format("15:04:05"))}
}

// errRefreshRevoked is 50173 in its 2020 wording.
func errRefreshRevoked(issued, validFrom time.Time) entraError {
	return entraError{50173, ErrInvalidGrant, fmt.Sprintf("The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '%s' and the TokensValidFrom date (before which tokens are not valid) for this user is '%s'.", entraTime(issued), entraTime(validFrom))}
}

func errDevicePending() entraError {
	return entraError{70016, "authorization_pending", "OAuth 2.0 device flow error. Authorization is pending. Continue polling."}
}

func errDeviceExpired() entraError {
	return entraError{70019, "expired_token", "Verification code expired."}
}

func errDeviceBadCode() entraError {
	return entraError{70018, "bad_verification_code", "Invalid verification code."}
}

// CodeGrant is what the authorization endpoint recorded when it issued a
// code.
type CodeGrant struct {
	TenantID, ClientAppID string
	RedirectURI           string
	// Challenge and ChallengeMethod are the PKCE code_challenge and
	// code_challenge_method of the authorization request ("" when none).
	Challenge, ChallengeMethod string
	Issued                     time.Time
	Redeemed                   bool
}

// CodeRedemption is a token request with grant_type=authorization_code,
// with the code's record.
type CodeRedemption struct {
	Now time.Time
	// Grant is the code's record; nil when the code is unknown.
	Grant *CodeGrant
	// TenantID and App are the tenant and client the request names (App
	// may be nil only when Grant is).
	TenantID string
	App      *directory.Application
	// RedirectURI and CodeVerifier are the request's parameters.
	RedirectURI, CodeVerifier string
	// Origin is the request's Origin header: a browser redeeming.
	Origin string
}

// CheckCodeRedemption applies Entra's checks to an authorization code
// redemption, in order: a known code for this client and tenant (70000),
// not already redeemed (54005), not expired (70000), the same
// redirect_uri (50011), the PKCE verifier (501481), and cross-origin
// redemption only for a single-page application redirect URI (9002326).
func CheckCodeRedemption(in CodeRedemption) Result {
	var r Result
	g := in.Grant
	if g == nil || !strings.EqualFold(g.ClientAppID, in.App.AppID) || !strings.EqualFold(g.TenantID, in.TenantID) {
		r.add(fail("code.known", errCodeInvalid(), "the code was not issued to this client in this tenant",
			"Redeem the code with the client id and tenant that requested it, exactly once, soon after the redirect."))
		return r
	}
	r.add(pass("code.known", "a code issued to this client"))
	if g.Redeemed {
		r.add(fail("code.redeemed", errCodeRedeemed(), "the code was already redeemed",
			"A code is single-use: keep the refresh token from the first redemption, or start a new sign-in."))
		return r
	}
	if age := in.Now.Sub(g.Issued); age > CodeLifetime {
		r.add(fail("code.expired", errCodeExpired(), fmt.Sprintf("the code was issued %s ago (lifetime %s)", age.Round(time.Second), CodeLifetime),
			"Redeem the code right after the redirect; a code lives about 10 minutes."))
		return r
	}
	r.add(pass("code.expired", "within the code lifetime"))
	if in.RedirectURI != g.RedirectURI {
		r.add(fail("code.redirect-uri", errRedirectMismatch(in.RedirectURI, g.ClientAppID), fmt.Sprintf("redirect_uri %q differs from %q of the authorization request", in.RedirectURI, g.RedirectURI),
			"Send the same redirect_uri on the token request as on the authorization request.").with("redirect_uri", in.RedirectURI))
		return r
	}
	r.add(pass("code.redirect-uri", "the same redirect URI as the authorization request"))
	if !PKCEVerifies(g.Challenge, g.ChallengeMethod, in.CodeVerifier) {
		detail := "the code_verifier does not hash to the code_challenge"
		if in.CodeVerifier == "" {
			detail = "the authorization request had a code_challenge but the token request has no code_verifier"
		}
		r.add(fail("code.pkce", errPKCE(), detail,
			"Send the code_verifier generated with this sign-in's code_challenge (the same MSAL/PKCE session)."))
		return r
	}
	r.add(pass("code.pkce", "PKCE verified or not used"))
	if in.Origin != "" && !spaRedirect(in.App, g.RedirectURI) {
		r.add(fail("code.cross-origin", errCrossOrigin(), fmt.Sprintf("a browser (Origin %s) redeemed a code for a redirect URI that is not a single-page application one", in.Origin),
			"Register the redirect URI under the Single-page application platform, or redeem the code from a server.").with("origin", in.Origin))
		return r
	}
	r.add(pass("code.cross-origin", "not a cross-origin redemption, or a SPA redirect URI"))
	return r
}

// spaRedirect reports whether redirect is registered as a single-page
// application redirect URI.
func spaRedirect(app *directory.Application, redirect string) bool {
	for _, u := range app.SPA.RedirectURIs {
		if u == redirect {
			return true
		}
	}
	return false
}

// PKCEVerifies reports whether verifier matches the authorization
// request's challenge (RFC 7636 §4.6): S256 unless method is "plain". No
// challenge means PKCE was not used.
func PKCEVerifies(challenge, method, verifier string) bool {
	if challenge == "" {
		return true
	}
	if verifier == "" {
		return false
	}
	want := verifier
	if !strings.EqualFold(method, "plain") {
		sum := sha256.Sum256([]byte(verifier))
		want = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	return subtle.ConstantTimeCompare([]byte(want), []byte(challenge)) == 1
}

// RefreshGrant is the record of a refresh token.
type RefreshGrant struct {
	ClientAppID      string
	Issued, LastUsed time.Time
}

// RefreshRedemption is a token request with grant_type=refresh_token.
type RefreshRedemption struct {
	Now time.Time
	// Grant is the refresh token's record; nil when unknown.
	Grant *RefreshGrant
	App   *directory.Application
	// TokensValidFrom is the user's revocation time (password change,
	// revokeSignInSessions); zero when never revoked.
	TokensValidFrom time.Time
}

// CheckRefreshRedemption applies Entra's checks to a refresh token: known
// and for this client (9002313), used within the inactivity window
// (700082), and issued after the user's sessions were revoked (50173).
func CheckRefreshRedemption(in RefreshRedemption) Result {
	var r Result
	g := in.Grant
	if g == nil || !strings.EqualFold(g.ClientAppID, in.App.AppID) {
		r.add(fail("refresh.known", errRefreshInvalid(), "the refresh token was not issued to this client",
			"Send the refresh token this client received, unmodified."))
		return r
	}
	r.add(pass("refresh.known", "a refresh token of this client"))
	if idle := in.Now.Sub(g.LastUsed); idle > RefreshTokenInactivity {
		r.add(fail("refresh.inactive", errRefreshInactive(g.Issued, idle), fmt.Sprintf("unused for %s (limit %s)", idle.Round(time.Second), RefreshTokenInactivity),
			"Sign the user in again interactively; refresh at least every 90 days to keep the token alive."))
		return r
	}
	r.add(pass("refresh.inactive", "used within the inactivity window"))
	if !in.TokensValidFrom.IsZero() && g.Issued.Before(in.TokensValidFrom) {
		r.add(fail("refresh.revoked", errRefreshRevoked(g.Issued, in.TokensValidFrom), "the user's sessions were revoked after the token was issued",
			"Sign the user in again interactively."))
		return r
	}
	r.add(pass("refresh.revoked", "not revoked"))
	return r
}

// DeviceCodeGrant is the record of a pending device code sign-in.
type DeviceCodeGrant struct {
	ClientAppID string
	Expires     time.Time
	// Approved is set once the user signed in on the verification page.
	Approved bool
}

// DeviceCodePoll is a token request with the device code grant.
type DeviceCodePoll struct {
	Now time.Time
	// Grant is the device code's record; nil when unknown.
	Grant *DeviceCodeGrant
	App   *directory.Application
}

// CheckDeviceCodePoll answers a device code poll: unknown code or another
// client (70018 bad_verification_code), expired (70019 expired_token),
// the user has not finished (70016 authorization_pending).
func CheckDeviceCodePoll(in DeviceCodePoll) Result {
	var r Result
	g := in.Grant
	if g == nil || !strings.EqualFold(g.ClientAppID, in.App.AppID) {
		r.add(fail("device.known", errDeviceBadCode(), "the device code was not issued to this client",
			"Poll with the device_code of the devicecode response, for the same client id."))
		return r
	}
	if !in.Now.Before(g.Expires) {
		r.add(fail("device.expired", errDeviceExpired(), "the device code expired at "+entraTime(g.Expires),
			"Start a new device code sign-in; the user has 15 minutes to enter the code."))
		return r
	}
	r.add(pass("device.expired", "the device code has not expired"))
	if !g.Approved {
		r.add(fail("device.pending", errDevicePending(), "the user has not completed the sign-in yet",
			"Keep polling at the interval of the devicecode response; this is not an error."))
		return r
	}
	r.add(pass("device.pending", "the user signed in"))
	return r
}

// CheckDeviceUserCode checks the code a user typed on the verification
// page: g is the pending sign-in it names (nil when none does); it must
// not have expired (70018 otherwise).
func CheckDeviceUserCode(now time.Time, g *DeviceCodeGrant) Finding {
	const id = "device.user-code"
	if g == nil || !now.Before(g.Expires) {
		return fail(id, errDeviceBadCode(), "no pending device sign-in has this code, or it expired",
			"Type the code shown by the device, before it expires (15 minutes).")
	}
	return pass(id, "a pending device sign-in")
}
