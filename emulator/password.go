package emulator

import (
	"net/http"
	"strings"

	"github.com/aadsts/aadsts/rules"
)

// userRealm is the v1.0 user realm document MSAL reads before a
// username/password request.
type userRealm struct {
	Ver               string `json:"ver"`
	AccountType       string `json:"account_type"`
	DomainName        string `json:"domain_name,omitempty"`
	CloudInstanceName string `json:"cloud_instance_name"`
	CloudAudienceURN  string `json:"cloud_audience_urn"`
}

// handleUserRealm answers GET /common/userrealm/{user}: Managed for a
// verified domain of a tenant, Unknown otherwise.
func (e *Emulator) handleUserRealm(w http.ResponseWriter, r *http.Request) {
	ri := e.request(r)
	user := r.PathValue("user")
	realm := userRealm{Ver: "1.0", AccountType: "Unknown", CloudInstanceName: "microsoftonline.com",
		CloudAudienceURN: "urn:federation:MicrosoftOnline"}
	if _, domain, ok := strings.Cut(user, "@"); ok {
		if t, found := e.dir.FindTenant(domain); found && !strings.EqualFold(t.ID, domain) {
			realm.AccountType, realm.DomainName = "Managed", strings.ToLower(domain)
		}
	}
	w.Header().Set("Content-Disposition", "inline; filename=userrealm.json")
	e.writeJSON(w, ri, http.StatusOK, realm, 0, true)
}

// redeemPassword completes the resource owner password grant (ROPC).
func (e *Emulator) redeemPassword(c *tokenCall, res *rules.RequestResult) (*grant, *Failure) {
	pr := rules.CheckPassword(rules.PasswordSignIn{Tenant: res.Tenant, Username: c.form.Get("username"), Password: c.form.Get("password")})
	if f := failureOfResult(pr.Result); f != nil {
		return nil, f
	}
	ug := &userGrant{tenantID: res.Tenant.ID, clientAppID: res.App.AppID, userID: pr.User.ID, issued: c.ri.now}
	return e.userGrantTokens(c, res, ug, "")
}
