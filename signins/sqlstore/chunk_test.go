package sqlstore

import (
	"errors"
	"reflect"
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
