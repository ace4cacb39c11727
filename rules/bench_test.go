package rules_test

import (
	"testing"

	"github.com/aadsts/aadsts/rules"
	"github.com/aadsts/aadsts/rules/scenarios"
)

// BenchmarkCheckTokenRequest measures one certificate-assertion request
// and one secret request through all of Entra's checks (the emulator's
// per-request cost).
func BenchmarkCheckTokenRequest(b *testing.B) {
	s, err := scenarios.New(scenarios.DefaultBaseURL, suiteNow)
	if err != nil {
		b.Fatal(err)
	}
	for _, name := range []string{"cert-ps256-x5t#S256", "secret-ok", "key-not-registered"} {
		var sc scenarios.Scenario
		for _, c := range s.Scenarios {
			if c.Name == name {
				sc = c
			}
		}
		in := s.Request(sc)
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if rules.CheckTokenRequest(in).Code() != sc.WantCode {
					b.Fatal("unexpected code")
				}
			}
		})
	}
}
