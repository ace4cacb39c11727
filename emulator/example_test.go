package emulator_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/confidential"

	"github.com/aadsts/aadsts/emulator"
	"github.com/aadsts/aadsts/emulator/fixture"
)

// Embedding the emulator in a Go test: start it with a directory, point
// MSAL at it with its CA-trusting client and instance discovery off, and
// make Entra fail on purpose.
func ExampleNewTestServer() {
	t := &testing.T{} // in a real test, the *testing.T you were given
	f, _ := fixture.New(time.Now())
	s := emulator.NewTestServer(t, f.Dir, emulator.Options{})

	cred, _ := confidential.NewCredFromSecret(f.Secret)
	app, _ := confidential.New(s.Authority(fixture.TenantID), fixture.DaemonAppID, cred,
		confidential.WithHTTPClient(s.Client), confidential.WithInstanceDiscovery(false))
	_, err := app.AcquireTokenByCredential(context.Background(), []string{fixture.APIURI + "/.default"})
	fmt.Println("first:", err == nil)

	s.InjectFault(emulator.Fault{Code: 7000222, Count: 1}) // the secret "expires"
	_, err = app.AcquireTokenByCredential(context.Background(), []string{"https://graph.microsoft.com/.default"})
	fmt.Println("second fails with AADSTS7000222:", err != nil && strings.Contains(err.Error(), "AADSTS7000222"))
	// Output:
	// first: true
	// second fails with AADSTS7000222: true
}
