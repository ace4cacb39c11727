package graphapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"

	"github.com/aadsts/aadsts/directory"
)

// ReadOptions tunes ReadDirectory.
type ReadOptions struct {
	// PageSize is $top for the collections (default and maximum 999).
	PageSize int
	// Federated also reads each application's federated identity
	// credentials (one request per application, which the list does not
	// include), with Workers requests at a time (default 4).
	Federated bool
	Workers   int
}

// ReadDirectory reads the tenant's applications and service principals
// into a directory with one tenant whose ID is tenantID. It needs
// Application.Read.All. When the service does not offer federated
// credentials (HTTP 404 or 501, as a partial emulator may answer), the
// directory says so in Notes instead of failing.
func ReadDirectory(ctx context.Context, c *Client, tenantID string, o ReadOptions) (*directory.Directory, error) {
	if o.PageSize <= 0 || o.PageSize > 999 {
		o.PageSize = 999
	}
	out := &directory.Directory{Tenants: []directory.Tenant{{ID: tenantID}}}
	t := &out.Tenants[0]
	for _, coll := range []string{"applications", "servicePrincipals"} {
		var buf bytes.Buffer
		// A page document whose @odata.context names the collection, so
		// that items read as what they are even with few properties.
		fmt.Fprintf(&buf, `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#%s","value":[`, coll)
		n := 0
		err := c.Each(ctx, fmt.Sprintf("/%s?$top=%d", coll, o.PageSize), func(item json.RawMessage) error {
			if n > 0 {
				buf.WriteByte(',')
			}
			buf.Write(item)
			n++
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", coll, err)
		}
		buf.WriteString("]}")
		if n == 0 {
			continue
		}
		d, err := directory.Read("graph:"+coll, buf.Bytes())
		if err != nil {
			return nil, err
		}
		for _, dt := range d.Tenants {
			t.Applications = append(t.Applications, dt.Applications...)
			t.ServicePrincipals = append(t.ServicePrincipals, dt.ServicePrincipals...)
		}
	}
	if o.Federated {
		note, err := readFederated(ctx, c, t.Applications, o.Workers)
		if err != nil {
			return nil, err
		}
		if note != "" {
			out.Notes = append(out.Notes, note)
		}
	}
	return out, nil
}

// readFederated fills each application's FederatedIdentityCredentials.
func readFederated(ctx context.Context, c *Client, apps []directory.Application, workers int) (string, error) {
	if workers <= 0 {
		workers = 4
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan int)
	var (
		mu       sync.Mutex
		firstErr error
		missing  bool
		wg       sync.WaitGroup
	)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				a := &apps[i]
				var fics []directory.FederatedIdentityCredential
				err := c.Each(ctx, "/applications/"+url.PathEscape(a.ID)+"/federatedIdentityCredentials", func(item json.RawMessage) error {
					var f directory.FederatedIdentityCredential
					if err := json.Unmarshal(item, &f); err != nil {
						return err
					}
					fics = append(fics, f)
					return nil
				})
				var ge *Error
				mu.Lock()
				switch {
				case err == nil:
					a.FederatedIdentityCredentials = fics
				case errors.As(err, &ge) && (ge.Status == http.StatusNotFound || ge.Status == http.StatusNotImplemented):
					missing = true
					cancel()
				case firstErr == nil && ctx.Err() == nil:
					firstErr = fmt.Errorf("read federated credentials of %s: %w", a.AppID, err)
					cancel()
				}
				mu.Unlock()
			}
		}()
	}
feed:
	for i := range apps {
		if apps[i].ID == "" {
			continue
		}
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil && !missing {
		return "", firstErr
	}
	if missing {
		for i := range apps {
			apps[i].FederatedIdentityCredentials = nil
		}
		return "federated identity credentials were not read: the service does not offer /applications/{id}/federatedIdentityCredentials", nil
	}
	return "", nil
}
