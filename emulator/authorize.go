package emulator

import (
	"net/http"
	"sync"

	"github.com/aadsts/aadsts/rules"
)

// codeStore keeps authorization codes and refresh tokens issued by the
// emulator (opaque handles to a grant).
type codeStore struct {
	mu sync.Mutex
}

func newCodeStore() *codeStore { return &codeStore{} }

func (e *Emulator) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "not implemented", http.StatusNotImplemented)
}

func (e *Emulator) redeemCode(c *tokenCall, res *rules.RequestResult) (*grant, *Failure) {
	return nil, &Failure{Code: 70003, OAuthError: "unsupported_grant_type", Message: "The emulator does not support grant type 'authorization_code' yet."}
}

func (e *Emulator) redeemRefresh(c *tokenCall, res *rules.RequestResult) (*grant, *Failure) {
	return nil, &Failure{Code: 70003, OAuthError: "unsupported_grant_type", Message: "The emulator does not support grant type 'refresh_token' yet."}
}

func (e *Emulator) onBehalfOf(c *tokenCall, res *rules.RequestResult) (*grant, *Failure) {
	return nil, &Failure{Code: 70003, OAuthError: "unsupported_grant_type", Message: "The emulator does not support on-behalf-of yet."}
}

func (e *Emulator) refreshToken(ri *reqInfo, g *grant) (string, error) { return "", nil }
