package audit_test

import (
	"bytes"
	"context"
	"io"
	"testing"
	"time"

	"github.com/aadsts/aadsts/audit"
	"github.com/aadsts/aadsts/audit/internal/benchgen"
	"github.com/aadsts/aadsts/directory"
)

// BenchmarkAudit10k reads, audits and renders (JSON) 10,000 applications
// with 5 credentials each (3 secrets, 2 certificates) from one JSON
// document, as `aadsts audit -o json apps.json` does. The whole-process
// figure comes from scripts/bench.d/audit.sh.
func BenchmarkAudit10k(b *testing.B) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	var in bytes.Buffer
	if err := benchgen.Write(&in, 10000, 3, 2, now); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(in.Len()))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d, err := directory.Read("apps.json", in.Bytes())
		if err != nil {
			b.Fatal(err)
		}
		fs, err := audit.Run(context.Background(), d, audit.DefaultOptions(now))
		if err != nil {
			b.Fatal(err)
		}
		if err := audit.WriteJSON(io.Discard, audit.NewReport(fs, now, 10000, 0)); err != nil {
			b.Fatal(err)
		}
		if i == 0 {
			b.ReportMetric(float64(len(fs)), "findings")
		}
	}
}

func TestBenchInputReads(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	var in bytes.Buffer
	if err := benchgen.Write(&in, 50, 3, 2, now); err != nil {
		t.Fatal(err)
	}
	d, err := directory.Read("apps.json", in.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	a := d.Tenants[0].Applications
	if len(a) != 50 || len(a[7].PasswordCredentials) != 3 || len(a[7].KeyCredentials) != 2 {
		t.Fatalf("generated %d apps", len(a))
	}
	fs, err := audit.Run(context.Background(), d, audit.DefaultOptions(now))
	if err != nil || len(fs) == 0 {
		t.Fatalf("%d findings, %v", len(fs), err)
	}
}
