package emulator_test

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"

	"github.com/aadsts/aadsts/emulator"
	"github.com/aadsts/aadsts/emulator/fixture"
	"github.com/aadsts/aadsts/jose"
)

func publicClient(t *testing.T, s *emulator.TestServer) public.Client {
	t.Helper()
	app, err := public.New(fixture.CLIAppID, public.WithAuthority(s.Authority(fixture.TenantID)),
		public.WithHTTPClient(s.Client), public.WithInstanceDiscovery(false))
	if err != nil {
		t.Fatal(err)
	}
	return app
}

// TestMSALGoInteractive lets MSAL Go run its own interactive flow (its
// PKCE, its loopback redirect listener); the "browser" follows the
// emulator's redirect with the automatic user signed in.
func TestMSALGoInteractive(t *testing.T) {
	t.Parallel()
	f := sharedFixture(t)
	s := emulator.NewTestServer(t, f.Dir, emulator.Options{AutoUser: fixture.UserUPN})
	app := publicClient(t, s)
	browser := &http.Client{Transport: s.Client.Transport, Timeout: 10 * time.Second}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := app.AcquireTokenInteractive(ctx, []string{fixture.APIURI + "/" + fixture.APIScope},
		public.WithOpenURL(func(u string) error {
			go func() {
				if err := formPostBrowser(browser, u); err != nil {
					t.Errorf("browser: %v", err)
				}
			}()
			return nil
		}))
	if err != nil {
		t.Fatalf("AcquireTokenInteractive: %v", err)
	}
	at, _ := jose.Decode(res.AccessToken)
	if at.StringClaim("scp") != fixture.APIScope || at.StringClaim("azp") != fixture.CLIAppID || at.StringClaim("azpacr") != "0" {
		t.Fatalf("claims: %s", at.ClaimsJSON)
	}
}

func TestMSALGoDeviceCode(t *testing.T) {
	t.Parallel()
	f := sharedFixture(t)
	s := emulator.NewTestServer(t, f.Dir, emulator.Options{DeviceCodeInterval: 1})
	app := publicClient(t, s)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dc, err := app.AcquireTokenByDeviceCode(ctx, []string{fixture.APIURI + "/" + fixture.APIScope})
	if err != nil {
		t.Fatalf("AcquireTokenByDeviceCode: %v", err)
	}
	if !strings.Contains(dc.Result.Message, dc.Result.UserCode) || dc.Result.VerificationURL != s.URL+"/devicelogin" {
		t.Fatalf("device code result: %+v", dc.Result)
	}
	// The user signs in on "another device" after a first pending poll.
	go func() {
		time.Sleep(1500 * time.Millisecond)
		resp, err := s.Client.PostForm(s.URL+"/devicelogin", url.Values{"otc": {dc.Result.UserCode},
			"login": {fixture.UserUPN}, "passwd": {fixture.UserPassword}})
		if err == nil {
			resp.Body.Close()
		}
	}()
	res, err := dc.AuthenticationResult(ctx)
	if err != nil {
		t.Fatalf("device code result: %v", err)
	}
	if res.Account.PreferredUsername != fixture.UserUPN {
		t.Fatalf("account %+v", res.Account)
	}
	pending := 0
	for _, si := range s.SignIns() {
		if si.Status.ErrorCode == 70016 {
			pending++
		}
	}
	if pending == 0 {
		t.Error("no authorization_pending poll was recorded")
	}
}

var (
	formAction = regexp.MustCompile(`<form method="POST" action="([^"]+)">`)
	formInput  = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
)

// formPostBrowser opens u and, like a browser running the page's script,
// submits the response_mode=form_post form it gets back.
func formPostBrowser(c *http.Client, u string) error {
	resp, err := c.Get(u)
	if err != nil {
		return err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	page := string(b)
	m := formAction.FindStringSubmatch(page)
	if m == nil {
		return fmt.Errorf("HTTP %d without a form_post form", resp.StatusCode)
	}
	form := url.Values{}
	for _, in := range formInput.FindAllStringSubmatch(page, -1) {
		form.Set(html.UnescapeString(in[1]), html.UnescapeString(in[2]))
	}
	resp, err = c.PostForm(html.UnescapeString(m[1]), form)
	if err != nil {
		return err
	}
	resp.Body.Close()
	return nil
}

func TestMSALGoUsernamePassword(t *testing.T) {
	t.Parallel()
	s, _ := newServer(t)
	app := publicClient(t, s)
	scopes := []string{fixture.APIURI + "/" + fixture.APIScope}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	res, err := app.AcquireTokenByUsernamePassword(ctx, scopes, fixture.UserUPN, fixture.UserPassword)
	if err != nil {
		t.Fatalf("AcquireTokenByUsernamePassword: %v", err)
	}
	if res.Account.PreferredUsername != fixture.UserUPN {
		t.Fatalf("account %+v", res.Account)
	}
	_, err = app.AcquireTokenByUsernamePassword(ctx, scopes, fixture.UserUPN, "wrong")
	if err == nil || !strings.Contains(err.Error(), "AADSTS50126:") {
		t.Fatalf("wrong password: %v", err)
	}
}
