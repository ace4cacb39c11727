package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// BenchmarkExplainProcess measures `aadsts explain` as a whole process (start,
// catalog load, parse, render): it builds the binary once, then runs it on a
// real token-endpoint error and reports the median wall time in ms.
//
//	go test -run '^$' -bench ExplainProcess ./internal/cli
func BenchmarkExplainProcess(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "aadsts")
	build := exec.Command("go", "build", "-o", bin, "github.com/aadsts/aadsts/cmd/aadsts")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		b.Fatalf("build: %v", err)
	}
	for _, output := range []string{"text", "json"} {
		b.Run(output, func(b *testing.B) {
			var runs []time.Duration
			for i := 0; i < b.N; i++ {
				cmd := exec.Command(bin, "explain", "--output", output)
				cmd.Stdin = strings.NewReader(tokenJSON7000215)
				cmd.Env = append(os.Environ(), "NO_COLOR=1")
				start := time.Now()
				if err := cmd.Run(); err != nil {
					b.Fatalf("run: %v", err)
				}
				runs = append(runs, time.Since(start))
			}
			slices.Sort(runs)
			b.ReportMetric(float64(runs[len(runs)/2].Microseconds())/1000, "median-ms")
		})
	}
}
