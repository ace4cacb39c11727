package emulator_test

import (
	"io"
	"net/url"
	"strings"
	"testing"

	"github.com/aadsts/aadsts/emulator"
	"github.com/aadsts/aadsts/emulator/fixture"
)

// BenchmarkClientCredentialsHTTPS is the whole round trip over loopback
// TLS with keep-alive connections, the load generator's view.
func BenchmarkClientCredentialsHTTPS(b *testing.B) {
	f := sharedFixture(b)
	s := emulator.NewTestServer(b, f.Dir, emulator.Options{MaxSignIns: 1000})
	body := url.Values{"grant_type": {"client_credentials"}, "client_id": {fixture.DaemonAppID},
		"client_secret": {f.Secret}, "scope": {fixture.APIURI + "/.default"}}.Encode()
	u := s.Authority(fixture.TenantID) + "/oauth2/v2.0/token"
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := s.Client.Post(u, "application/x-www-form-urlencoded", strings.NewReader(body))
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Fatalf("HTTP %d", resp.StatusCode)
			}
		}
	})
}
