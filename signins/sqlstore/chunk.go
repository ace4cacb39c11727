package sqlstore

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/aadsts/aadsts/signins"
	"github.com/klauspost/compress/s2"
)

// Sign-ins are stored whole in chunks: one row of the chunks table holds up
// to chunkSize consecutive records of a batch, every field and the
// original bytes, encoded one after the other and compressed with S2. The
// signins table keeps one narrow row per record (time, key, the grouped
// and filtered fields as ids of the strs dictionary, and where the record
// sits: chunk and position) so that an import writes a few integers per
// record and one blob per chunk. S2 compresses at gigabytes per second on
// one core; the exports' repeated field names and values shrink 5 to 25
// times.
const chunkSize = 256

// chunkBytes closes a chunk early: one holds more records only while their
// encoded size stays under it (a record larger than it has a chunk to
// itself).
const chunkBytes = 8 << 20

// maxRecordBytes bounds one record, as the importer bounds a line.
const maxRecordBytes = 64 << 20

// encodedSize is about what r takes in a chunk's payload.
func encodedSize(r *signins.Record) int {
	n := 32 + len(r.Raw)
	for _, p := range chunkStrings(r) {
		if p != nil {
			n += len(*p) + 2
		}
	}
	return n
}

// chunkSpans splits n records of the given sizes into chunks of at most
// chunkSize records and, unless one record alone is larger, chunkBytes;
// it returns where each chunk starts, and n last.
func chunkSpans(n int, size func(int) int) []int {
	starts := []int{0}
	count, bytes := 0, 0
	for j := range n {
		sz := size(j)
		if count == chunkSize || count > 0 && bytes+sz > chunkBytes {
			starts = append(starts, j)
			count, bytes = 0, 0
		}
		count, bytes = count+1, bytes+sz
	}
	if n == 0 {
		return starts
	}
	return append(starts, n)
}

// Chunk payload layout (before compression), version 1:
//
//	byte    version (1)
//	uvarint count
//	count × entry:
//	  byte  0: no record here (a duplicate not stored), 1: a record
//	  varint time (Unix nanoseconds), varint code,
//	  then every string field of chunkStrings, each uvarint length + bytes.
const chunkVersion = 1

// chunkCodecS2 is the first byte of a stored chunk: how the payload is
// compressed.
const chunkCodecS2 = 1

// maxChunkPayload bounds a decoded chunk (what chunkSpans makes, with
// room), so that a damaged length cannot make the reader allocate without
// limit.
const maxChunkPayload = chunkBytes + maxRecordBytes + 1<<20

// chunkStrings lists a record's string fields in their stored order.
func chunkStrings(r *signins.Record) [25]*string {
	return [25]*string{&r.ID, (*string)(&r.Kind), &r.TenantID, &r.AppID, &r.AppName, &r.SPID, &r.SPName,
		&r.ResourceID, &r.ResourceName, &r.UserID, &r.UserPrincipal, &r.UserName, &r.IP, &r.Location,
		&r.FailureReason, (*string)(&r.Outcome), &r.CredentialType, &r.CredentialKeyID, &r.CredentialThumbprint,
		&r.FederatedCredentialID, &r.CorrelationID, &r.RequestID, &r.CAStatus, (*string)(&r.Format), nil}
}

// chunkBufs recycles encoding buffers: uncompressed payloads, and stored
// chunks once written (a chunk is a few hundred kilobytes; clearing fresh
// ones cost more than compressing them).
var chunkBufs sync.Pool

func getBuf(n int) []byte {
	if p, ok := chunkBufs.Get().(*[]byte); ok && cap(*p) >= n {
		return (*p)[:n]
	}
	return make([]byte, n)
}

func putBuf(b []byte) { chunkBufs.Put(&b) }

// encodeChunk encodes recs (nil entries are positions left empty) and
// compresses them. The result may be given back with putBuf once stored.
func encodeChunk(recs []*signins.Record) []byte {
	size := 16
	for _, r := range recs {
		if r != nil {
			size += encodedSize(r)
		}
	}
	b := getBuf(size)[:0]
	b = append(b, chunkVersion)
	b = binary.AppendUvarint(b, uint64(len(recs)))
	for _, r := range recs {
		if r == nil {
			b = append(b, 0)
			continue
		}
		b = append(b, 1)
		b = binary.AppendVarint(b, r.Time.UnixNano())
		b = binary.AppendVarint(b, int64(r.Code))
		for _, p := range chunkStrings(r) {
			if p == nil { // the original record
				b = binary.AppendUvarint(b, uint64(len(r.Raw)))
				b = append(b, r.Raw...)
				continue
			}
			b = binary.AppendUvarint(b, uint64(len(*p)))
			b = append(b, *p...)
		}
	}
	out := getBuf(1 + s2.MaxEncodedLen(len(b)))
	out[0] = chunkCodecS2
	out = out[:1+len(s2.Encode(out[1:], b))]
	putBuf(b)
	return out
}

var errChunk = errors.New("damaged sign-in chunk")

// decodeChunk decodes a stored chunk into its records; empty positions
// are nil.
func decodeChunk(data []byte) ([]*signins.Record, error) {
	if len(data) == 0 || data[0] != chunkCodecS2 {
		return nil, fmt.Errorf("%w: unknown codec", errChunk)
	}
	n, err := s2.DecodedLen(data[1:])
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errChunk, err)
	}
	if n > maxChunkPayload {
		return nil, fmt.Errorf("%w: says it holds %d bytes, more than a chunk can", errChunk, n)
	}
	b, err := s2.Decode(make([]byte, n), data[1:])
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errChunk, err)
	}
	if len(b) == 0 || b[0] != chunkVersion {
		return nil, fmt.Errorf("%w: unknown version", errChunk)
	}
	b = b[1:]
	count, k := binary.Uvarint(b)
	// Every entry takes at least one byte.
	if k <= 0 || count > uint64(len(b)) {
		return nil, fmt.Errorf("%w: bad count", errChunk)
	}
	b = b[k:]
	out := make([]*signins.Record, count)
	for i := range out {
		if len(b) == 0 {
			return nil, fmt.Errorf("%w: entry %d missing", errChunk, i)
		}
		flag := b[0]
		b = b[1:]
		switch flag {
		case 0:
			continue
		case 1:
		default:
			return nil, fmt.Errorf("%w: entry %d: bad marker", errChunk, i)
		}
		r := &signins.Record{}
		t, k1 := binary.Varint(b)
		if k1 <= 0 {
			return nil, fmt.Errorf("%w: entry %d: time", errChunk, i)
		}
		code, k2 := binary.Varint(b[k1:])
		if k2 <= 0 || code != int64(int(code)) {
			return nil, fmt.Errorf("%w: entry %d: code", errChunk, i)
		}
		b = b[k1+k2:]
		r.Time, r.Code = time.Unix(0, t).UTC(), int(code)
		for _, p := range chunkStrings(r) {
			l, k := binary.Uvarint(b)
			if k <= 0 || l > uint64(len(b)-k) {
				return nil, fmt.Errorf("%w: entry %d: field length", errChunk, i)
			}
			v := b[k : k+int(l)]
			b = b[k+int(l):]
			if p == nil {
				r.Raw = v[:len(v):len(v)]
				if len(v) == 0 {
					r.Raw = nil
				}
				continue
			}
			*p = string(v)
		}
		out[i] = r
	}
	if len(b) != 0 {
		return nil, fmt.Errorf("%w: %d bytes after the last entry", errChunk, len(b))
	}
	return out, nil
}
