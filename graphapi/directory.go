package graphapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/aadsts/aadsts/directory"
)

// ReadDirectory reads the tenant's applications and service principals
// (pages of PageSize, default 999) into a directory with one tenant whose
// ID is tenantID. It needs Application.Read.All.
func ReadDirectory(ctx context.Context, c *Client, tenantID string, pageSize int) (*directory.Directory, error) {
	if pageSize <= 0 || pageSize > 999 {
		pageSize = 999
	}
	out := &directory.Directory{Tenants: []directory.Tenant{{ID: tenantID}}}
	for _, coll := range []string{"applications", "servicePrincipals"} {
		var buf bytes.Buffer
		// A page document whose @odata.context names the collection, so
		// that items read as what they are even with few properties.
		fmt.Fprintf(&buf, `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#%s","value":[`, coll)
		n := 0
		err := c.Each(ctx, fmt.Sprintf("/%s?$top=%d", coll, pageSize), func(item json.RawMessage) error {
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
		t := &out.Tenants[0]
		for _, dt := range d.Tenants {
			t.Applications = append(t.Applications, dt.Applications...)
			t.ServicePrincipals = append(t.ServicePrincipals, dt.ServicePrincipals...)
		}
	}
	return out, nil
}
