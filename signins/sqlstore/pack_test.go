package sqlstore

import (
	"bytes"
	"testing"
)

func TestPackRoundTrip(t *testing.T) {
	raw := []byte(`{"time":"2026-03-05T08:12:44Z","category":"ServicePrincipalSignInLogs","properties":{"id":"x"}}`)
	for name, p := range map[string]func([]byte) []byte{"plain": pack, "deflate": packDeflate} {
		got, err := unpack(p(raw))
		if err != nil || !bytes.Equal(got, raw) {
			t.Fatalf("%s: %q, %v", name, got, err)
		}
	}
	if _, err := unpack([]byte{9, 1}); err == nil {
		t.Fatal("unknown packing accepted")
	}
}
