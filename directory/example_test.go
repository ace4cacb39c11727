package directory_test

import (
	"fmt"

	"github.com/aadsts/aadsts/directory"
)

func ExampleRead() {
	// `az ad app credential list --cert` output: certificates without
	// their application.
	d, err := directory.Read("creds.json", []byte(`[{"customKeyIdentifier":"0A1B2C3D4E5F60718293A4B5C6D7E8F901234567",
	  "endDateTime":"2027-03-01T12:00:00Z","keyId":"f0f0f0f0-1111-4222-8333-444444444444",
	  "startDateTime":"2026-03-01T12:00:00Z","type":"AsymmetricX509Cert","usage":"Verify"}]`))
	if err != nil {
		panic(err)
	}
	a := d.Tenants[0].Applications[0]
	fmt.Println(a.Synthetic, len(a.KeyCredentials), a.KeyCredentials[0].End.Format("2006-01-02"))
	// Output: true 1 2027-03-01
}

func ExampleTenant_ServicePrincipalFor() {
	t := directory.Tenant{ID: "11111111-2222-3333-4444-555555555555"}
	sp, _ := t.ServicePrincipalFor("https://graph.microsoft.com")
	role, _ := sp.AppRoleByValue("Application.Read.All")
	fmt.Println(sp.DisplayName, role.ID)
	// Output: Microsoft Graph 9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30
}
