package web

import (
	"strings"
	"testing"
)

func TestScrub(t *testing.T) {
	jwt := "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoIn0.c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJl"
	tests := []struct {
		name, in string
		gone     []string
		kept     []string
	}{
		{"jwt", "assertion " + jwt + " rejected", []string{jwt}, []string{"eyJhbG", "rejected"}},
		{"form secret", "grant_type=client_credentials&client_secret=Zx8Q~abcdefghijklmnopqrstuvwxyz&scope=x", []string{"abcdefghijklmnopqrstuvwxyz"}, []string{"client_secret=", "scope=x"}},
		{"private key", "x -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY----- y", []string{"MIIEvQIBADANBg"}, []string{"private key, not shown", " y"}},
		{"plain error", "AADSTS7000215: Invalid client secret provided.", nil, []string{"AADSTS7000215: Invalid client secret provided."}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := scrub(tc.in)
			for _, g := range tc.gone {
				if strings.Contains(got, g) {
					t.Errorf("scrub(%q) = %q still holds %q", tc.in, got, g)
				}
			}
			for _, k := range tc.kept {
				if !strings.Contains(got, k) {
					t.Errorf("scrub(%q) = %q lost %q", tc.in, got, k)
				}
			}
		})
	}
}
