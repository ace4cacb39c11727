package signins

import (
	"bytes"
	"os"
	"testing"
)

// BenchmarkFastEventHub reads the shared service-principal sample's lines
// with the one-pass reader (the import's hot path; allocations reported).
func BenchmarkFastEventHub(b *testing.B) {
	data, err := os.ReadFile("../../shared/data/signins/elastic_test-service-principal-signinlogs-sample.log")
	if err != nil {
		b.Skipf("shared sample not found: %v", err)
	}
	lines := bytes.Split(bytes.TrimSpace(data), []byte("\n"))
	in := newInterner()
	b.ReportAllocs()
	b.SetBytes(int64(len(data) / len(lines)))
	for i := 0; b.Loop(); i++ {
		if _, ok := fastEventHub(lines[i%len(lines)], hint{}, in); !ok {
			b.Fatal("the fast path gave up on a sample line")
		}
	}
}
