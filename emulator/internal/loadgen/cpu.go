package main

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/aadsts/aadsts/emulator/internal/mprsa"
)

// clockTicks is USER_HZ, the unit of /proc/PID/stat times (100 on Linux).
const clockTicks = 100

// procCPU returns the user+system CPU seconds of process pid, 0 when
// unknown.
func procCPU(pid int) float64 {
	if pid == 0 {
		return 0
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	// Fields after the command name (which may hold spaces) start after ")".
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseFloat(f[11], 64)
	stime, _ := strconv.ParseFloat(f[12], 64)
	return (utime + stime) / clockTicks
}

// signerRate is one signer's RS256 signatures per CPU second.
type signerRate struct {
	Signer     string  `json:"signer"`
	Signatures int64   `json:"signatures"`
	CPUSeconds float64 `json:"cpu_seconds"`
	PerCPU     float64 `json:"signatures_per_cpu_second"`
}

// rsaRate measures, for d each, the two RSA-2048 signers the emulator may
// use: crypto/rsa with a two-prime key (keys a user brings) and package
// mprsa with the four-prime key the emulator generates. It prints one JSON
// object per signer with signatures per CPU second (getrusage), the bound
// on issuing RS256 tokens whatever the machine's load.
func rsaRate(d time.Duration) {
	two, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
	four, err := mprsa.Generate(2048, 4)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
	digest := sha256.Sum256([]byte("header.claims"))
	enc := json.NewEncoder(os.Stdout)
	enc.Encode(signRate("crypto/rsa, 2 primes", two, digest[:], d))
	enc.Encode(signRate("mprsa, 4 primes", four, digest[:], d))
}

// signRate signs digest on every core for d.
func signRate(name string, key crypto.Signer, digest []byte, d time.Duration) signerRate {
	var n atomic.Int64
	var ru0, ru1 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				if _, err := key.Sign(rand.Reader, digest, crypto.SHA256); err == nil {
					n.Add(1)
				}
			}
		})
	}
	wg.Wait()
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
	cpu := tv(ru1.Utime) + tv(ru1.Stime) - tv(ru0.Utime) - tv(ru0.Stime)
	return signerRate{Signer: name, Signatures: n.Load(), CPUSeconds: cpu, PerCPU: float64(n.Load()) / cpu}
}

func tv(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
