package signins

import (
	"encoding/binary"
	"testing"
)

// TestSpecial8 checks the eight-byte test against the byte-by-byte one
// for every byte value at every position, among plain bytes and among
// bytes that can borrow or carry (0x00, 0x20, 0xff).
func TestSpecial8(t *testing.T) {
	special := func(c byte) bool { return c == '"' || c == '\\' || c < 0x20 }
	for _, fill := range []byte{'a', 0x20, 0x21, 0x7f, 0x80, 0xff, 0xe0} {
		for pos := range 8 {
			for v := range 256 {
				var w [8]byte
				for i := range w {
					w[i] = fill
				}
				w[pos] = byte(v)
				want := false
				for _, c := range w {
					want = want || special(c)
				}
				if got := special8(binary.LittleEndian.Uint64(w[:])); got != want {
					t.Fatalf("special8(% x) = %v, want %v", w, got, want)
				}
			}
		}
	}
}
