// Command gen writes synthetic service-principal sign-in records (NDJSON,
// diagnostic-settings shape) built from the shared samples, for
// scripts/bench.d/logs.sh. Usage: gen -n 1000000 -samples FILE > out.log
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/aadsts/aadsts/signins/synth"
)

func main() {
	n := flag.Int("n", 1000000, "records")
	samples := flag.String("samples", "../shared/data/signins/elastic_test-service-principal-signinlogs-sample.log", "sample records, one per line")
	flag.Parse()
	f, err := os.Open(*samples)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(2)
	}
	defer f.Close()
	if err := synth.Generate(os.Stdout, f, synth.Options{N: *n}); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
