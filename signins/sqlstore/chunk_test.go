package sqlstore

import (
	"errors"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aadsts/aadsts/signins"
)

func fullRecord(i int) *signins.Record {
	r := &signins.Record{Time: time.Date(2026, 3, 5, 8, 12, 44, 123456789, time.UTC).Add(time.Duration(i) * time.Second), Code: 7000222 + i}
	for j, p := range chunkStrings(r) {
		if p != nil {
			*p = string(rune('a'+j)) + "-value-é"
		}
	}
	r.Raw = []byte(`{"id":"x","n":` + string(rune('0'+i%10)) + `}`)
	return r
}

func TestChunkRoundTrip(t *testing.T) {
	in := []*signins.Record{fullRecord(1), nil, fullRecord(2), {ID: "empty", Time: time.Unix(0, -5).UTC(), Code: -1}}
	got, err := decodeChunk(encodeChunk(in))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, in) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, in)
	}
}

func TestChunkDamaged(t *testing.T) {
	good := encodeChunk([]*signins.Record{fullRecord(1), fullRecord(2)})
	// Every truncation and every single-byte change either decodes or
	// fails with errChunk; none panics.
	for n := 0; n < len(good); n++ {
		if _, err := decodeChunk(good[:n]); !errors.Is(err, errChunk) {
			t.Fatalf("truncated to %d bytes: err %v, want errChunk", n, err)
		}
	}
	for i := range good {
		b := append([]byte(nil), good...)
		b[i] ^= 0x5a
		if _, err := decodeChunk(b); err != nil && !errors.Is(err, errChunk) {
			t.Fatalf("byte %d changed: err %v, want errChunk", i, err)
		}
	}
	if _, err := decodeChunk([]byte{9, 1, 2}); err == nil {
		t.Fatal("unknown codec decoded")
	}
}

func FuzzDecodeChunk(f *testing.F) {
	f.Add(encodeChunk([]*signins.Record{fullRecord(1), nil}))
	f.Add([]byte{chunkCodecS2})
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, err := decodeChunk(data)
		if err != nil {
			if !errors.Is(err, errChunk) {
				t.Fatalf("error %v is not errChunk", err)
			}
			return
		}
		// What decodes re-encodes to the same records.
		again, err := decodeChunk(encodeChunk(recs))
		if err != nil || !reflect.DeepEqual(again, recs) {
			t.Fatalf("re-encode: %v", err)
		}
	})
}

func TestChunkSpans(t *testing.T) {
	for _, tt := range []struct {
		sizes []int
		want  []int
	}{
		{nil, []int{0}},
		{[]int{10}, []int{0, 1}},
		{make([]int, 600), []int{0, 256, 512, 600}},
		{[]int{5 << 20, 5 << 20, 1 << 20, 1 << 20, 20 << 20, 1}, []int{0, 1, 4, 5, 6}},
	} {
		if got := chunkSpans(len(tt.sizes), func(j int) int { return tt.sizes[j] }); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("chunkSpans(%v) = %v, want %v", tt.sizes, got, tt.want)
		}
	}
}

// TestChunkHugeLength: a chunk whose header claims more than any chunk
// holds is refused before anything that size is allocated.
func TestChunkHugeLength(t *testing.T) {
	data := []byte{chunkCodecS2, 0xfe, 0xff, 0xff, 0xff, 0x03, 0, 0, 0}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := decodeChunk(data)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, errChunk) || !strings.Contains(err.Error(), "more than a chunk can") {
		t.Fatalf("err %v, want a refused length", err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
		t.Fatalf("decoding allocated %d bytes", grew)
	}
}
