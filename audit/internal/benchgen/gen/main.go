// Command gen writes the audit benchmark's input to standard output:
//
//	go run ./audit/internal/benchgen/gen -apps 10000 -secrets 3 -certs 2 > apps.json
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/aadsts/aadsts/audit/internal/benchgen"
)

func main() {
	apps := flag.Int("apps", 10000, "applications")
	secrets := flag.Int("secrets", 3, "secrets per application")
	certs := flag.Int("certs", 2, "certificates per application")
	now := flag.String("now", "2026-11-22T12:00:00Z", "anchor time (RFC 3339)")
	flag.Parse()
	t, err := time.Parse(time.RFC3339, *now)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen: -now:", err)
		os.Exit(2)
	}
	if err := benchgen.Write(os.Stdout, *apps, *secrets, *certs, t); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
