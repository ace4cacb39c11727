// Package benchgen writes synthetic `az ad app list` output for the audit
// benchmark: n applications with secrets and certificates whose end dates
// spread from two years ago to three years ahead, so every expiry rule
// fires somewhere. It holds no real identifiers or secrets.
package benchgen

import (
	"bufio"
	"fmt"
	"io"
	"time"
)

// Write writes a JSON array of n Graph application objects, each with
// secrets secret credentials and certs certificate credentials, dated
// around now.
func Write(w io.Writer, n, secrets, certs int, now time.Time) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString("[")
	for i := 0; i < n; i++ {
		if i > 0 {
			bw.WriteString(",\n")
		}
		fmt.Fprintf(bw, `{"id":"%s","appId":"%s","displayName":"bench-app-%05d","signInAudience":"AzureADMyOrg","identifierUris":[],"keyCredentials":[`,
			guid(1, i, 0), guid(2, i, 0), i)
		for c := 0; c < certs; c++ {
			if c > 0 {
				bw.WriteString(",")
			}
			start, end := dates(i, c, now)
			fmt.Fprintf(bw, `{"customKeyIdentifier":"%040X","displayName":"CN=bench-%d","endDateTime":"%s","key":null,"keyId":"%s","startDateTime":"%s","type":"AsymmetricX509Cert","usage":"Verify"}`,
				i*16+c, i, end.Format(time.RFC3339), guid(3, i, c), start.Format(time.RFC3339))
		}
		bw.WriteString(`],"passwordCredentials":[`)
		for s := 0; s < secrets; s++ {
			if s > 0 {
				bw.WriteString(",")
			}
			start, end := dates(i, s+certs, now)
			fmt.Fprintf(bw, `{"customKeyIdentifier":null,"displayName":"secret-%d","endDateTime":"%s","hint":"abc","keyId":"%s","secretText":null,"startDateTime":"%s"}`,
				s, end.Format(time.RFC3339), guid(4, i, s), start.Format(time.RFC3339))
		}
		bw.WriteString(`],"requiredResourceAccess":[{"resourceAppId":"00000003-0000-0000-c000-000000000000","resourceAccess":[{"id":"e1fe6dd8-ba31-4d61-89e7-88639da4683d","type":"Scope"}]}]`)
		if i%10 == 0 {
			fmt.Fprintf(bw, `,"federatedIdentityCredentials":[{"id":"%s","name":"gh","issuer":"https://token.actions.githubusercontent.com","subject":"repo:contoso/app-%d:ref:refs/heads/main","audiences":["api://AzureADTokenExchange"]}]`, guid(5, i, 0), i)
		}
		bw.WriteString("}")
	}
	bw.WriteString("]\n")
	return bw.Flush()
}

// dates spreads credential validity: starts up to ~3 years back, ends from
// 2 years ago to 3 years ahead.
func dates(i, c int, now time.Time) (time.Time, time.Time) {
	h := (i*7919 + c*104729) % 1826 // days
	end := now.AddDate(0, 0, h-730)
	start := end.AddDate(0, 0, -(365 + (i+c)%900))
	return start.UTC().Truncate(time.Second), end.UTC().Truncate(time.Second)
}

func guid(kind, i, j int) string {
	return fmt.Sprintf("%08x-%04x-4000-8000-%012x", kind, j, i)
}
