// Command loadgen posts the same form to a token endpoint from N
// concurrent keep-alive connections for a fixed time and reports
// successful responses per second with p50 and p99 latency. The emulator
// benchmark (scripts/bench.d/emulator.sh) drives every server it compares
// with this one generator.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
)

type result struct {
	Label     string  `json:"label"`
	Requests  int     `json:"requests"`
	Errors    int     `json:"errors"`
	Seconds   float64 `json:"seconds"`
	PerSecond float64 `json:"tokens_per_second"`
	// ServerCPU is the CPU time the server process used while measured
	// (from /proc, when -pid is given); PerCPU is tokens per CPU second,
	// which does not depend on what else the machine runs.
	ServerCPU  float64 `json:"server_cpu_seconds,omitempty"`
	PerCPU     float64 `json:"tokens_per_cpu_second,omitempty"`
	P50Millis  float64 `json:"p50_ms"`
	P99Millis  float64 `json:"p99_ms"`
	Concurrent int     `json:"connections"`
}

func main() {
	target := flag.String("url", "", "token endpoint")
	form := flag.String("form", "", "form body (application/x-www-form-urlencoded)")
	conc := flag.Int("c", 16, "concurrent connections")
	dur := flag.Duration("d", 10*time.Second, "measured duration")
	warm := flag.Duration("warmup", 2*time.Second, "unmeasured warm-up")
	caFile := flag.String("ca", "", "CA certificate (PEM) to trust")
	label := flag.String("label", "", "name in the report")
	pid := flag.Int("pid", 0, "server process id, to measure its CPU time (Linux)")
	rsaBench := flag.Duration("rsa", 0, "instead: sign RS256 with each RSA-2048 signer (crypto/rsa two-prime, mprsa four-prime) on every core for this long and report signatures per CPU second")
	flag.Parse()
	if *rsaBench > 0 {
		rsaRate(*rsaBench)
		return
	}
	if *target == "" {
		fmt.Fprintln(os.Stderr, "loadgen: -url is required")
		os.Exit(2)
	}
	tr := &http.Transport{MaxIdleConns: *conc, MaxIdleConnsPerHost: *conc, MaxConnsPerHost: *conc, ForceAttemptHTTP2: false,
		TLSNextProto: map[string]func(string, *tls.Conn) http.RoundTripper{}}
	if *caFile != "" {
		pemData, err := os.ReadFile(*caFile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
			os.Exit(2)
		}
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(pemData)
		tr.TLSClientConfig = &tls.Config{RootCAs: pool}
	}
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	one := func() (time.Duration, bool) {
		start := time.Now()
		resp, err := client.Post(*target, "application/x-www-form-urlencoded", strings.NewReader(*form))
		if err != nil {
			return time.Since(start), false
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return time.Since(start), resp.StatusCode == http.StatusOK
	}
	run := func(d time.Duration, record bool) ([]time.Duration, int, time.Duration) {
		ctx, cancel := context.WithTimeout(context.Background(), d)
		defer cancel()
		var mu sync.Mutex
		var lat []time.Duration
		errs := 0
		var wg sync.WaitGroup
		start := time.Now()
		for i := 0; i < *conc; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var mine []time.Duration
				bad := 0
				for ctx.Err() == nil {
					l, ok := one()
					if ok {
						mine = append(mine, l)
					} else {
						bad++
					}
				}
				if record {
					mu.Lock()
					lat = append(lat, mine...)
					errs += bad
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		return lat, errs, time.Since(start)
	}
	run(*warm, false)
	cpu0 := procCPU(*pid)
	lat, errs, elapsed := run(*dur, true)
	cpu := procCPU(*pid) - cpu0
	slices.Sort(lat)
	pct := func(p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		return float64(lat[int(float64(len(lat)-1)*p)]) / float64(time.Millisecond)
	}
	r := result{Label: *label, Requests: len(lat), Errors: errs, Seconds: elapsed.Seconds(),
		PerSecond: float64(len(lat)) / elapsed.Seconds(), P50Millis: pct(0.50), P99Millis: pct(0.99), Concurrent: *conc}
	if *pid != 0 && cpu > 0 {
		r.ServerCPU, r.PerCPU = cpu, float64(len(lat))/cpu
	}
	json.NewEncoder(os.Stdout).Encode(r)
	if len(lat) == 0 {
		os.Exit(1)
	}
}
