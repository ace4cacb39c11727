package emulator

import (
	"context"
	"sync"
	"time"
)

// SignIn is one sign-in record in Microsoft Graph's signIn shape (the
// service-principal and user sign-ins of /auditLogs/signIns), made for
// every token request, success or failure.
type SignIn struct {
	ID                                   string        `json:"id"`
	CreatedDateTime                      time.Time     `json:"createdDateTime"`
	AppID                                string        `json:"appId"`
	AppDisplayName                       string        `json:"appDisplayName"`
	ServicePrincipalID                   string        `json:"servicePrincipalId"`
	ServicePrincipalName                 string        `json:"servicePrincipalName"`
	ResourceID                           string        `json:"resourceId"`
	ResourceDisplayName                  string        `json:"resourceDisplayName"`
	ResourceServicePrincipalID           string        `json:"resourceServicePrincipalId"`
	ResourceTenantID                     string        `json:"resourceTenantId"`
	HomeTenantID                         string        `json:"homeTenantId"`
	IPAddress                            string        `json:"ipAddress"`
	CorrelationID                        string        `json:"correlationId"`
	OriginalRequestID                    string        `json:"originalRequestId"`
	UniqueTokenIdentifier                string        `json:"uniqueTokenIdentifier"`
	ClientCredentialType                 string        `json:"clientCredentialType"`
	ServicePrincipalCredentialKeyID      string        `json:"servicePrincipalCredentialKeyId"`
	ServicePrincipalCredentialThumbprint string        `json:"servicePrincipalCredentialThumbprint"`
	FederatedCredentialID                *string       `json:"federatedCredentialId"`
	SignInEventTypes                     []string      `json:"signInEventTypes"`
	IsInteractive                        bool          `json:"isInteractive"`
	AuthenticationProtocol               string        `json:"authenticationProtocol"`
	ConditionalAccessStatus              string        `json:"conditionalAccessStatus"`
	UserID                               string        `json:"userId"`
	UserPrincipalName                    *string       `json:"userPrincipalName"`
	UserDisplayName                      *string       `json:"userDisplayName"`
	Status                               SignInStatus  `json:"status"`
	TokenIssuerType                      string        `json:"tokenIssuerType"`
	ProcessingTimeInMilliseconds         int           `json:"processingTimeInMilliseconds"`
	ClientAppUsed                        string        `json:"clientAppUsed"`
	UserAgent                            string        `json:"userAgent"`
	Location                             *SignInPlaces `json:"location"`
}

// SignInStatus is Graph's signInStatus: errorCode 0 is a success.
type SignInStatus struct {
	ErrorCode         int     `json:"errorCode"`
	FailureReason     string  `json:"failureReason"`
	AdditionalDetails *string `json:"additionalDetails"`
}

// SignInPlaces is Graph's signInLocation (empty for loopback requests).
type SignInPlaces struct {
	City            string `json:"city"`
	State           string `json:"state"`
	CountryOrRegion string `json:"countryOrRegion"`
}

// SignInSink receives sign-in records as they happen, for a persistent
// store. Record is called synchronously after the response is written;
// an error is logged, never sent to the client.
type SignInSink interface {
	Record(ctx context.Context, s SignIn) error
}

// signInStore keeps the most recent records in memory for the Graph
// surface: a ring of at most max records, so a busy emulator pays O(1) per
// sign-in however long it runs.
type signInStore struct {
	mu   sync.RWMutex
	max  int
	ring []SignIn // grows to max, then wraps
	next int      // where the next record goes once the ring is full
}

func newSignInStore(max int) *signInStore { return &signInStore{max: max} }

func (s *signInStore) add(si SignIn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.ring) < s.max {
		s.ring = append(s.ring, si)
		return
	}
	s.ring[s.next] = si
	s.next = (s.next + 1) % s.max
}

// newestFirst returns a copy of the records, newest first, as Graph lists them.
func (s *signInStore) newestFirst() []SignIn {
	s.mu.RLock()
	defer s.mu.RUnlock()
	n := len(s.ring)
	out := make([]SignIn, n)
	// The newest record sits just before next (or at the end before the
	// ring first wraps, when next is 0).
	for i := 0; i < n; i++ {
		out[i] = s.ring[((s.next-1-i)%n+n)%n]
	}
	return out
}

// SignIns returns the recorded sign-ins, newest first.
func (e *Emulator) SignIns() []SignIn { return e.store.newestFirst() }

// record stores a sign-in and hands it to the sink.
func (e *Emulator) record(ctx context.Context, si SignIn) {
	e.store.add(si)
	if e.opts.SignIns != nil {
		if err := e.opts.SignIns.Record(ctx, si); err != nil {
			e.logf("sign-in %s: sink: %v", si.ID, err)
		}
	}
}
